"""Programs and their calls, including the import of past rounds."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.accounts.permissions import in_jurisdiction
from keguan.audit import services as audit
from keguan.core.records import (
    assign as _assign,
)
from keguan.core.records import (
    save_new as _save,
)
from keguan.core.records import (
    snapshot as _snapshot,
)
from keguan.core.records import (
    update_fields as _update,
)
from keguan.projects import permissions as can
from keguan.projects.models import (
    Application,
    Call,
    Program,
    Project,
)

PROGRAM_FIELDS = ("name", "level", "body", "description", "active")
CALL_FIELDS = (
    "program",
    "year",
    "title",
    "guide",
    "opens_at",
    "closes_at",
    "eligible_kinds",
    "max_per_organization",
    "required_attachments",
    "budget_ceiling",
    "public_notice",
)


# Programs and calls.
def create_program(user, data: dict) -> Program:
    """A program kept by the user's bureau."""
    program = Program(bureau=user.bureau)
    _assign(program, PROGRAM_FIELDS, data)
    _save(program, "projects.program.create", PROGRAM_FIELDS)
    return program


def update_program(user, program: Program, data: dict) -> Program:
    return _update(
        program,
        "projects.program.update",
        PROGRAM_FIELDS,
        data,
        refusal=lambda fresh: (
            None
            if can.can_manage_programs(user) and in_jurisdiction(user, fresh.bureau)
            else _("You may not change this program.")
        ),
    )


def _check_call(call: Call) -> None:
    errors = {}
    if call.opens_at and call.closes_at and call.closes_at <= call.opens_at:
        errors["closes_at"] = _("The call must close after it opens.")
    from keguan.accounts.models import Organization
    from keguan.projects.models import AttachmentKind

    unknown = set(call.eligible_kinds or []) - set(Organization.Kind.values)
    if unknown:
        errors["eligible_kinds"] = _("Unknown organization kind: %(kinds)s.") % {
            "kinds": ", ".join(sorted(unknown))
        }
    unknown = set(call.required_attachments or []) - set(AttachmentKind.values)
    if unknown:
        errors["required_attachments"] = _("Unknown attachment kind: %(kinds)s.") % {
            "kinds": ", ".join(sorted(unknown))
        }
    if errors:
        raise ValidationError(errors)


def create_call(user, data: dict) -> Call:
    """A draft call of the user's bureau; officers publish it through CALL_WORKFLOW."""
    call = Call(bureau=user.bureau)
    _assign(call, CALL_FIELDS, data)
    _check_call(call)
    _save(call, "projects.call.create", CALL_FIELDS)
    return call


# What may still change once a call is published: applicants have read the rest.
PUBLISHED_CALL_FIELDS = ("guide", "closes_at")


def _call_refusal(user, call: Call) -> str | None:
    if not can.can_manage_call(user, call):
        return _("You may not change this call.")
    if call.state == Call.State.CANCELLED:
        return _("A cancelled call cannot be changed.")
    return None


def _check_call_change(call: Call, before: dict) -> None:
    if call.state != Call.State.DRAFT:
        frozen = [
            name
            for name in CALL_FIELDS
            if name not in PUBLISHED_CALL_FIELDS
            and before[name] != getattr(call, call._meta.get_field(name).attname)
        ]
        if frozen:
            raise ValidationError(
                {
                    name: _("This can no longer change once the call is published.")
                    for name in frozen
                }
            )
    _check_call(call)


def update_call(user, call: Call, data: dict, expected_version: str | None = None) -> Call:
    """Change a call. Once published only the guide text and close time may change; any
    other field that would change is refused by name. EXPECTED_VERSION: see
    keguan.core.records.update_fields."""
    return _update(
        call,
        "projects.call.update",
        CALL_FIELDS,
        data,
        refusal=lambda fresh: _call_refusal(user, fresh),
        check=_check_call_change,
        expected_version=expected_version,
    )


def backdate_call_for_import(user, call: Call, opens_at, closes_at) -> Call:
    """Put an imported call's window back where its paper record says it was.

    Only for imports of paper records (the demo's 2006–2011 history, a bureau's archive of
    projects still running when it adopted keguan). keguan takes applications only while a
    call is open, so an import creates the call with a window open now, takes every
    application through the workflows as it went on paper, and then calls this once to set
    the window and the publication time to the historical ones. Refused unless the user
    manages the call, the call is published and the new window lies wholly in the past.
    The round's applications, decisions, allocations and signed task books take moments
    inside and after that window, so their pages read as the paper record does.
    One audit event `projects.call.import_history` keeps the window before and after, so
    the trail shows the import for what it was and no ordinary edit can do the same.
    """
    if not can.can_manage_call(user, call):
        raise ValidationError(_("You may not change this call."))
    if call.state != Call.State.PUBLISHED:
        raise ValidationError(_("Only a published call can take a historical window."))
    if not opens_at < closes_at <= timezone.now():
        raise ValidationError(
            {"closes_at": _("A historical window must close after it opens, in the past.")}
        )
    fields = ("opens_at", "closes_at", "published_at")
    before = _snapshot(call, fields)
    call.opens_at, call.closes_at, call.published_at = opens_at, closes_at, opens_at
    call.full_clean()
    # The round's own moments follow its paper dates, not the moment of the import:
    # submitted inside the window, decided (or recommended) a month after it closed, task
    # books signed a month after that.
    now = timezone.now()
    moments = {
        "submitted": opens_at + (closes_at - opens_at) / 2,
        "decided": min(closes_at + dt.timedelta(days=30), now),
        "signed": min(closes_at + dt.timedelta(days=60), now),
    }
    from keguan.funds.models import Allocation

    with audit.writing():
        call.save(update_fields=list(fields))
        round_ = Application.objects.filter(call=call)
        round_.filter(submitted_at__isnull=False).update(submitted_at=moments["submitted"])
        round_.filter(recommended_at__isnull=False).update(recommended_at=moments["decided"])
        round_.filter(decided_at__isnull=False).update(decided_at=moments["decided"])
        Allocation.objects.filter(application__call=call).update(created_at=moments["decided"])
        Project.objects.filter(application__call=call, task_book_signed_at__isnull=False).update(
            task_book_signed_at=moments["signed"]
        )
        audit.record(
            "projects.call.import_history",
            obj=call,
            before=before,
            after={**_snapshot(call, fields), "moments": moments, "applications": round_.count()},
        )
    return call
