"""Preparing public notices: the notice, its items, notices made from decided applications."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from keguan.core.records import assign, replace_rows, save_new, snapshot, update_fields
from keguan.portal.models import KINDS_NAMING_PEOPLE, Notice, NoticeItem, NoticeKind
from keguan.portal.workflow import DEFAULT_WORKING_DAYS, NOTICE_WORKFLOW
from keguan.projects.models import Application

NOTICE_FIELDS = ("kind", "title", "body", "working_days", "contact")


def working_days_for(kind) -> int:
    """The period of a kind of notice, in working days: KEGUAN_NOTICE_WORKING_DAYS
    ({kind: days}) or five."""
    from django.conf import settings

    return getattr(settings, "KEGUAN_NOTICE_WORKING_DAYS", {}).get(kind, DEFAULT_WORKING_DAYS)


ITEM_FIELDS = ("title", "unit", "person_name", "amount", "detail")


# What must never reach a public page: resident ID numbers and mobile numbers.
_PERSONAL = re.compile(r"(?<!\d)(\d{17}[\dXx]|1[3-9]\d{9})(?!\d)")


def personal_data_errors(values: dict, prefix: str = "") -> dict:
    """{field: [message]} for the values of VALUES that carry an ID or a mobile number."""
    return {
        f"{prefix}{name}": [_("A notice is public: remove the ID or mobile number from this text.")]
        for name, value in values.items()
        if isinstance(value, str) and _PERSONAL.search(value)
    }


def _draft_refusal(notice: Notice) -> str | None:
    if notice.state != Notice.State.DRAFT:
        return _("A published notice cannot be changed; withdraw it and publish a new one.")
    return None


def create_notice(user, data: dict) -> Notice:
    """A draft notice of the user's bureau."""
    errors = personal_data_errors({k: data.get(k) for k in ("title", "body")})
    if errors:
        raise ValidationError(errors)
    days = working_days_for(data.get("kind"))
    notice = Notice(bureau=user.bureau, created_by=user, working_days=days)
    assign(notice, NOTICE_FIELDS, data)
    save_new(notice, "portal.notice.create", NOTICE_FIELDS)
    return notice


def update_notice(user, notice: Notice, data: dict) -> Notice:
    errors = personal_data_errors({k: data.get(k) for k in ("title", "body")})
    if errors:
        raise ValidationError(errors)
    return update_fields(notice, "portal.notice.update", NOTICE_FIELDS, data, _draft_refusal)


def _item_record(item: NoticeItem) -> tuple:
    return (item.title, item.unit, str(item.amount) if item.amount is not None else None)


def replace_items(user, notice: Notice, items: list[dict]) -> list[NoticeItem]:
    """The notice's items (title, unit, person, amount, detail; an application when one);
    person names only for kinds that name people."""
    rows, errors = [], {}
    for index, data in enumerate(items, start=1):
        item = NoticeItem(notice=notice, position=index, application=data.get("application"))
        assign(item, ITEM_FIELDS, {k: v for k, v in data.items() if k in ITEM_FIELDS})
        errors.update(
            personal_data_errors(
                {k: data.get(k) for k in ("title", "unit", "detail", "person_name")},
                prefix=f"items.{index}.",
            )
        )
        if item.person_name and notice.kind not in KINDS_NAMING_PEOPLE:
            errors[f"items.{index}.person_name"] = [_("This kind of notice names no person.")]
        try:
            item.full_clean(exclude=["notice", "application"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[f"items.{index}.{name}"] = messages
        rows.append(item)
    if errors:
        raise ValidationError(errors)
    return replace_rows(
        notice,
        "items",
        NoticeItem,
        rows,
        "portal.notice.items",
        "items",
        _item_record,
        _draft_refusal,
    )


def awaiting_notice(user):
    """Applications of the user's jurisdiction in public notice that no published notice
    lists yet (the meeting's release put them there)."""
    from keguan.projects.permissions import visible_applications

    # Items without an application (awards) are left out: a NULL in NOT IN excludes all.
    listed = NoticeItem.objects.filter(
        notice__state__in=(Notice.State.RUNNING, Notice.State.ENDED), application__isnull=False
    ).values("application_id")
    return (
        visible_applications(user)
        .filter(state=Application.State.IN_NOTICE)
        .exclude(pk__in=listed)
        .select_related("organization", "call")
        .order_by("call_id", "pk")
    )


def notice_for_applications(user, applications, data: dict) -> Notice:
    """A draft project-approval notice listing APPLICATIONS (title, unit, amount granted)."""
    allowed = set(awaiting_notice(user).values_list("pk", flat=True))
    if not applications or any(a.pk not in allowed for a in applications):
        raise ValidationError(
            {"applications": _("Choose applications in public notice not yet listed.")}
        )
    with transaction.atomic():
        notice = create_notice(user, {"kind": NoticeKind.PROJECT_APPROVAL, **data})
        replace_items(
            user,
            notice,
            [
                {
                    "application": a,
                    "title": a.title,
                    "unit": a.organization.name,
                    "amount": a.granted_amount,
                }
                for a in applications
            ],
        )
    return notice


def end_due_notices(actor=None) -> list[Notice]:
    """End every running notice whose period is over (the scheduled task calls this with no
    user: the trail names the system). A notice that cannot end is logged and left for the
    next run; it does not keep the others from ending."""
    import logging

    from django.utils import timezone

    from keguan.core.workflow import TransitionError

    ended = []
    for notice in Notice.objects.filter(
        state=Notice.State.RUNNING, ends_on__lt=timezone.localdate()
    ).order_by("ends_on", "pk"):
        try:
            ended.append(NOTICE_WORKFLOW.apply(actor, notice, "end", automatic=True))
        except TransitionError as exc:
            logging.getLogger(__name__).error("notice %s did not end: %s", notice.pk, exc)
    return ended


def backdate_notice_for_import(user, notice: Notice, first_day) -> Notice:
    """Put an imported notice's period back where its paper record says it was, and end it.

    Only for imports of paper records (the demo's 2006–2011 notices, a bureau's archive).
    keguan counts a period from the day of publication, so an import publishes the notice
    now and then calls this once, while it runs: the period becomes the notice's working
    days from FIRST_DAY on by the official calendar (`keguan.portal.calendar.period`), the
    publication the morning of its first day; the notice then ends through NOTICE_WORKFLOW
    as any notice does (its items move on) and the end is dated the morning after the last
    day. Refused unless the user manages the notice, it is running with no objection, and
    the historical period lies wholly in the past. One audit event
    `portal.notice.import_history` keeps the period before and after, so the trail shows
    the import for what it was and no ordinary edit can do the same.
    """
    import datetime as dt

    from django.utils import timezone

    from keguan.audit import services as audit
    from keguan.portal import calendar
    from keguan.portal import permissions as can

    if not can.can_manage_notice(user, notice):
        raise ValidationError(_("You may not change this notice."))
    if notice.state != Notice.State.RUNNING or notice.objections.exists():
        raise ValidationError(
            _("Only a running notice without objections can take a historical period.")
        )
    span = calendar.period(first_day, notice.working_days)
    if span.ends_on >= timezone.localdate():
        raise ValidationError({"starts_on": _("A historical period must have ended before today.")})

    def morning(day):
        return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9))

    fields = ("starts_on", "ends_on", "calendar_estimated", "published_at", "ended_at")
    before = {k: str(v) if v is not None else None for k, v in snapshot(notice, fields).items()}
    with audit.writing():
        notice.starts_on, notice.ends_on = span.starts_on, span.ends_on
        notice.calendar_estimated = span.estimated
        notice.published_at = morning(span.starts_on)
        notice.save(update_fields=["starts_on", "ends_on", "calendar_estimated", "published_at"])
        notice = NOTICE_WORKFLOW.apply(user, notice, "end", automatic=True)
        notice.ended_at = morning(span.ends_on + dt.timedelta(days=1))
        notice.save(update_fields=["ended_at"])
        after = {k: str(v) if v is not None else None for k, v in snapshot(notice, fields).items()}
        audit.record("portal.notice.import_history", obj=notice, before=before, after=after)
    return notice
