"""Applications: starting, editing, team and budget, submitting; the integrity record."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric

from keguan.audit import services as audit
from keguan.core.records import assign as _assign
from keguan.core.records import replace_rows
from keguan.core.records import save_new as _save
from keguan.core.records import update_fields as _update
from keguan.core.workflow import TransitionError
from keguan.projects import permissions as can
from keguan.projects.models import (
    Application,
    BudgetLine,
    Call,
    Candidate,
    IntegrityPenalty,
    TeamMember,
)
from keguan.projects.workflow import APPLICATION_WORKFLOW, CANDIDATE_WORKFLOW

APPLICATION_FIELDS = (
    "title",
    "summary",
    "discipline_code",
    "field",
    "start_on",
    "end_on",
    "expected_patents",
    "expected_products",
    "expected_revenue",
    "expected_jobs",
)


# Applications.
def start_application(user, call: Call, candidate: Candidate | None = None, data=None):
    """A draft application of the user's organization to CALL, carrying a candidate's data.

    Refused when the call is not open or does not admit the organization's kind.
    """
    from keguan.projects import rules

    organization = user.organization
    if organization is None:
        raise ValidationError(_("Your account is not bound to an organization."))
    refusal = rules.window_refusal(call)
    if refusal:
        raise ValidationError(refusal)
    if not call.admits_kind(organization.kind):
        raise ValidationError(
            _("Organizations of the kind “%(kind)s” may not apply to this call.")
            % {"kind": organization.get_kind_display()}
        )
    if candidate is not None and candidate.organization_id != organization.pk:
        raise ValidationError(_("That candidate belongs to another organization."))
    if candidate is not None and candidate.state not in Candidate.OPEN_STATES:
        raise ValidationError(_("That candidate is no longer being prepared."))
    data = dict(data or {})
    if candidate is not None:
        data.setdefault("title", candidate.title)
        data.setdefault("summary", candidate.summary)
        data.setdefault("field", candidate.field)
    application = Application(
        call=call,
        organization=organization,
        bureau=organization.bureau,
        candidate=candidate,
        created_by=user,
    )
    _assign(application, APPLICATION_FIELDS, data)
    application.full_clean()
    with audit.writing():
        application.save()
        audit.record(
            "projects.application.create",
            obj=application,
            after={"call": call.pk, "candidate": candidate.pk if candidate else None},
        )
        if candidate is not None:
            try:
                CANDIDATE_WORKFLOW.apply(user, candidate, "apply", automatic=True)
            except TransitionError as exc:  # dropped or used meanwhile: nothing is kept
                raise ValidationError(exc.message) from None
    return application


def _editable_refusal(user):
    def refusal(application: Application) -> str | None:
        if can.can_edit_application(user, application):
            return None
        return _("Only a draft or returned application of your own can change.")

    return refusal


def _check_planned_dates(application: Application, before: dict) -> None:
    if application.start_on and application.end_on and application.end_on <= application.start_on:
        raise ValidationError({"end_on": _("The planned end must come after the planned start.")})


def update_application(
    user, application: Application, data: dict, expected_version: str | None = None
) -> Application:
    """Change the application's own fields (not its team, budget or attachments).
    EXPECTED_VERSION: see keguan.core.records.update_fields."""
    return _update(
        application,
        "projects.application.update",
        APPLICATION_FIELDS,
        data,
        refusal=_editable_refusal(user),
        check=_check_planned_dates,
        expected_version=expected_version,
    )


def validate_id_number(value: str, field: str) -> str:
    """A resident ID number: 18 characters, a real birth date, the right check character.

    Not `ric.validate`: its birth-place table lacks whole provinces (Jiangxi's 3611xx
    codes among them) and would refuse real people.
    """
    value = ric.compact(value or "")
    try:
        if len(value) != 18 or not value[:-1].isdigit():
            raise ValueError
        if value[-1] != ric.calc_check_digit(value):
            raise ValueError
        ric.get_birth_date(value)
        return value
    except Exception:
        raise ValidationError(
            {field: _("“%(value)s” is not a valid resident ID number.") % {"value": value}}
        ) from None


def _member_record(member: TeamMember) -> dict:
    # "id_number" is masked by audit.redact before it enters the trail.
    return {"name": member.name, "role": member.role, "id_number": member.id_number}


def _line_record(line: BudgetLine) -> dict:
    return {
        "category": line.category,
        "requested": str(line.requested),
        "self_raised": str(line.self_raised),
    }


def replace_team(user, application: Application, members: list[dict]) -> list[TeamMember]:
    """Replace the team with MEMBERS (dicts of name, unit, role, title, id_number).

    Errors name the row: {"team.2.id_number": [...]}; nothing changes unless all are valid.
    """
    if not can.can_edit_application(user, application):
        raise ValidationError(_editable_refusal(user)(application))
    errors, rows = {}, []
    for index, data in enumerate(members, 1):
        member = TeamMember(
            application=application,
            name=(data.get("name") or "").strip(),
            unit=(data.get("unit") or "").strip(),
            role=data.get("role") or TeamMember.Role.MEMBER,
            title=(data.get("title") or "").strip(),
            position=index,
        )
        try:
            member.id_number = validate_id_number(data.get("id_number"), "id_number")
            member.full_clean(exclude=["application"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[f"team.{index}.{name}"] = messages
        rows.append(member)
    leaders = sum(1 for m in rows if m.role == TeamMember.Role.LEADER)
    if rows and leaders != 1:
        errors["team"] = [_("The team needs exactly one project leader.")]
    if errors:
        raise ValidationError(errors)
    return replace_rows(
        application,
        "team",
        TeamMember,
        rows,
        "projects.application.team",
        "members",
        _member_record,
        _editable_refusal(user),
    )


def replace_budget(user, application: Application, lines: list[dict]) -> list[BudgetLine]:
    """Replace the budget with LINES (category, requested, self_raised), one per category.

    The requested total must stay within the call's ceiling. Errors name the row.
    """
    if not can.can_edit_application(user, application):
        raise ValidationError(_editable_refusal(user)(application))
    errors, rows, seen = {}, [], set()
    for index, data in enumerate(lines, 1):
        line = BudgetLine(
            application=application,
            category=data.get("category"),
            requested=data.get("requested") or Decimal("0"),
            self_raised=data.get("self_raised") or Decimal("0"),
        )
        try:
            line.full_clean(exclude=["application"], validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[f"budget.{index}.{name}"] = messages
        if line.category in seen:
            errors[f"budget.{index}.category"] = [_("Each category appears once.")]
        seen.add(line.category)
        rows.append(line)
    if not errors:
        requested = sum((line.requested for line in rows), Decimal("0"))
        if requested > application.call.budget_ceiling:
            errors["budget"] = [
                _("The budget asks for %(requested)s yuan; this call allows at most %(ceiling)s.")
                % {"requested": requested, "ceiling": application.call.budget_ceiling}
            ]
    if errors:
        raise ValidationError(errors)
    return replace_rows(
        application,
        "budget_lines",
        BudgetLine,
        rows,
        "projects.application.budget",
        "lines",
        _line_record,
        _editable_refusal(user),
    )


def submit_application(user, application: Application) -> tuple[Application, bool]:
    """Submit (or resubmit) APPLICATION; return it and whether this call submitted it.

    Idempotent: a double click or a retried request finds it already submitted and
    returns (application, False) without a second event.
    """
    action = "resubmit" if application.state == Application.State.RETURNED else "submit"
    try:
        return (
            APPLICATION_WORKFLOW.apply(user, application, action, expected_state=application.state),
            True,
        )
    except TransitionError as exc:
        # stale_state: a double click with the page's copy; invalid_state: a retried
        # request that loaded the application already submitted.
        if exc.code not in ("stale_state", "invalid_state"):
            raise
        fresh = Application.objects.get(pk=application.pk)
        if fresh.state == Application.State.SUBMITTED and can.is_own_application(user, fresh):
            return fresh, False
        raise


# Integrity record.
def record_integrity_penalty(user, data: dict) -> IntegrityPenalty:
    """Record a research-integrity penalty on a unit or a person (by ID number)."""
    penalty = IntegrityPenalty(
        bureau=user.bureau,
        organization=data.get("organization"),
        person_name=(data.get("person_name") or "").strip(),
        reason=(data.get("reason") or "").strip(),
        starts_on=data.get("starts_on"),
        ends_on=data.get("ends_on"),
    )
    errors = {}
    if data.get("id_number"):
        try:
            penalty.id_number = validate_id_number(data["id_number"], "id_number")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if penalty.organization is None and not penalty.id_number:
        errors["organization"] = [_("Name the organization or the person's ID number.")]
    if penalty.starts_on and penalty.ends_on and penalty.ends_on < penalty.starts_on:
        errors["ends_on"] = [_("The penalty must end after it starts.")]
    if errors:
        raise ValidationError(errors)
    _save(
        penalty,
        "projects.integrity.create",
        ("organization", "person_name", "reason", "starts_on", "ends_on"),
    )
    return penalty
