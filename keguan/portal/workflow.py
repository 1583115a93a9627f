"""The lifecycles of public notices, objections and petitions.

Each is a transition table applied by `Workflow.apply` (keguan.core.workflow): row locked,
state re-read, who-may and guard checked, the effect run, one audit event, notifications
after commit.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keguan.core.workflow import Transition, Workflow
from keguan.portal import calendar
from keguan.portal import permissions as can
from keguan.portal.models import Notice, NoticeItem, Objection, Petition
from keguan.projects.models import Application
from keguan.projects.workflow import APPLICATION_WORKFLOW

N = Notice.State
O = Objection.State  # noqa: E741  (the letter reads as the model's name here)
P = Petition.State

# How long the public has, in working days, by kind (DESIGN: default 5).
DEFAULT_WORKING_DAYS = 5


def _always(user, obj) -> bool:
    return True


# Notices.
def _publish_refusal(notice: Notice, payload: dict) -> str | None:
    """At least one item; no application listed by another published notice as well (one
    application, one notice: an objection there must hold it)."""
    if not notice.items.exists():
        return _("A notice lists at least one item.")
    if notice.working_days < 1:
        return _("The period is at least one working day.")
    listed = notice.items.filter(application__isnull=False)
    elsewhere = NoticeItem.objects.filter(
        application__in=listed.values("application_id"),
        notice__state__in=(N.RUNNING, N.ENDED),
    ).exclude(state=NoticeItem.State.WITHDRAWN)
    stray = listed.filter(application_id__in=elsewhere.values("application_id"))
    titles = sorted({item.title for item in stray})
    if titles:
        return _("Another published notice lists these applications already: %(titles)s.") % {
            "titles": "、".join(titles)
        }
    return None


def _published(notice: Notice, payload: dict) -> None:
    """The period runs from today (or the next working day) for its working days."""
    span = calendar.period(timezone.localdate(), notice.working_days)
    notice.starts_on, notice.ends_on = span.starts_on, span.ends_on
    notice.calendar_estimated = span.estimated
    notice.published_at = timezone.now()
    payload["audit"] = {"starts_on": str(span.starts_on), "ends_on": str(span.ends_on)}


def _end_refusal(notice: Notice, payload: dict) -> str | None:
    if notice.ends_on is None or timezone.localdate() <= notice.ends_on:
        return _("The period has not ended yet.")
    return None


def move_on(actor, item: NoticeItem, note: str, answering: Objection | None = None) -> None:
    """An item whose notice ended without an open objection moves on: an application in
    notice is confirmed (approved, the project made) through its own workflow."""
    NoticeItem.objects.filter(pk=item.pk).update(state=NoticeItem.State.MOVED_ON)
    application = item.application
    # Another open objection on the same application (ANSWERING is being closed now) holds it.
    held = Objection.objects.filter(
        item__application=application, state__in=Objection.OPEN_STATES
    ).exclude(pk=getattr(answering, "pk", None))
    if (
        application is not None
        and application.state == Application.State.IN_NOTICE
        and not held.exists()
    ):
        APPLICATION_WORKFLOW.apply(actor, application, "confirm", {"note": note}, automatic=True)


def _ended(notice: Notice, payload: dict) -> None:
    """Items without an open objection move on; held ones wait for their objection's answer."""
    notice.ended_at = timezone.now()
    note = _("The public notice “%(title)s” ended without objection.") % {"title": notice.title}
    moved = []
    for item in notice.items.select_related("application").filter(
        state__in=(NoticeItem.State.LISTED, NoticeItem.State.REVISED)
    ):
        move_on(payload["actor"], item, note)
        moved.append(item.pk)
    payload["audit"] = {"moved_on": moved}


NOTICE_WORKFLOW = Workflow(
    name="portal.notice",
    model=Notice,
    transitions=[
        Transition(
            (N.DRAFT,),
            "publish",
            N.RUNNING,
            gettext_lazy("Publish the notice"),
            can.can_manage_notice,
            guard=_publish_refusal,
            effect=_published,
        ),
        Transition(
            (N.RUNNING,),
            "end",
            N.ENDED,
            gettext_lazy("Period ended"),
            _always,
            guard=_end_refusal,
            effect=_ended,
            automatic=True,
        ),
        Transition(
            (N.DRAFT, N.RUNNING),
            "withdraw",
            N.WITHDRAWN,
            gettext_lazy("Withdraw the notice"),
            can.can_manage_notice,
            requires_note=True,
        ),
    ],
)


# Objections.
def _taken_on(objection: Objection, payload: dict) -> None:
    objection.handled_by = payload["actor"]


def _reply_refusal(objection: Objection, payload: dict) -> str | None:
    if not (payload.get("note") or "").strip():
        return _("Write the reply the objector will receive.")
    return None


def _answered(objection: Objection, payload: dict) -> None:
    """Upheld: the item is withdrawn (or revised, when the payload says so); dismissed: the
    item is free again and, when the notice has ended meanwhile, moves on now."""
    objection.reply = payload["note"].strip()
    objection.answered_at = timezone.now()
    item = objection.item
    if item is None:
        return
    still_open = item.objections.filter(state__in=Objection.OPEN_STATES).exclude(pk=objection.pk)
    if objection.state == O.UPHELD:
        outcome = NoticeItem.State.REVISED if payload.get("revise") else NoticeItem.State.WITHDRAWN
        NoticeItem.objects.filter(pk=item.pk).update(state=outcome)
    elif not still_open.exists():
        if item.notice.state == N.ENDED:
            move_on(
                payload["actor"],
                item,
                _("The objection was dismissed after the notice ended."),
                answering=objection,
            )
        else:
            NoticeItem.objects.filter(pk=item.pk).update(state=NoticeItem.State.LISTED)
    payload["audit"] = {"item": item.pk}


OBJECTION_WORKFLOW = Workflow(
    name="portal.objection",
    model=Objection,
    transitions=[
        Transition(
            (O.RECEIVED,),
            "investigate",
            O.INVESTIGATING,
            gettext_lazy("Take on and investigate"),
            can.can_handle_objection,
            effect=_taken_on,
        ),
        Transition(
            (O.INVESTIGATING,),
            "uphold",
            O.UPHELD,
            gettext_lazy("Uphold"),
            can.can_handle_objection,
            guard=_reply_refusal,
            effect=_answered,
            requires_note=True,
        ),
        Transition(
            (O.INVESTIGATING,),
            "dismiss",
            O.DISMISSED,
            gettext_lazy("Dismiss, with reasons"),
            can.can_handle_objection,
            guard=_reply_refusal,
            effect=_answered,
            requires_note=True,
        ),
    ],
)


# Petitions.
ACKNOWLEDGE_DAYS = 15
CONCLUDE_DAYS = 60
EXTENSION_DAYS = 30


def _acknowledged(petition: Petition, payload: dict) -> None:
    petition.acknowledged_at = timezone.now()
    petition.assigned_to = petition.assigned_to or payload["actor"]


def _concluded(petition: Petition, payload: dict) -> None:
    petition.reply = payload["note"].strip()
    petition.concluded_at = timezone.now()


PETITION_WORKFLOW = Workflow(
    name="portal.petition",
    model=Petition,
    transitions=[
        Transition(
            (P.RECEIVED,),
            "acknowledge",
            P.ACKNOWLEDGED,
            gettext_lazy("Acknowledge and take on"),
            can.can_handle_petition,
            effect=_acknowledged,
        ),
        Transition(
            (P.ACKNOWLEDGED,),
            "conclude",
            P.CONCLUDED,
            gettext_lazy("Conclude with a reply"),
            can.can_handle_petition,
            effect=_concluded,
            requires_note=True,
        ),
    ],
)


def due_dates(submitted_on: dt.date) -> tuple[dt.date, dt.date]:
    """(acknowledge by, conclude by) for a petition received on SUBMITTED_ON (calendar days,
    as the petition regulations count them)."""
    return (
        submitted_on + dt.timedelta(days=ACKNOWLEDGE_DAYS),
        submitted_on + dt.timedelta(days=CONCLUDE_DAYS),
    )
