"""Preparing public notices: the notice, its items, notices made from decided applications."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from keguan.core.records import assign, replace_rows, save_new, update_fields
from keguan.portal.models import KINDS_NAMING_PEOPLE, Notice, NoticeItem, NoticeKind
from keguan.portal.workflow import DEFAULT_WORKING_DAYS, NOTICE_WORKFLOW
from keguan.projects.models import Application

NOTICE_FIELDS = ("kind", "title", "body", "working_days", "contact")
ITEM_FIELDS = ("title", "unit", "person_name", "amount", "detail")


def _draft_refusal(notice: Notice) -> str | None:
    if notice.state != Notice.State.DRAFT:
        return _("A published notice cannot be changed; withdraw it and publish a new one.")
    return None


def create_notice(user, data: dict) -> Notice:
    """A draft notice of the user's bureau."""
    notice = Notice(bureau=user.bureau, created_by=user, working_days=DEFAULT_WORKING_DAYS)
    assign(notice, NOTICE_FIELDS, data)
    save_new(notice, "portal.notice.create", NOTICE_FIELDS)
    return notice


def update_notice(user, notice: Notice, data: dict) -> Notice:
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

    listed = NoticeItem.objects.filter(
        notice__state__in=(Notice.State.RUNNING, Notice.State.ENDED)
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
    """End every running notice whose period is over (the scheduled task calls this)."""
    from django.utils import timezone

    from keguan.audit.context import acting_as

    ended = []
    for notice in Notice.objects.filter(
        state=Notice.State.RUNNING, ends_on__lt=timezone.localdate()
    ).select_related("created_by"):
        who = actor or notice.created_by
        with acting_as(who):
            ended.append(NOTICE_WORKFLOW.apply(who, notice, "end", automatic=True))
    return ended
