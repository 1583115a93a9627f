"""A member's life in the branch: probationary → full, transferred out, deceased.

MEMBER_WORKFLOW.apply is the only way these change. Payload keys: `note` (the branch's
decision on full membership, or a remark), `on` (the date, a datetime.date; today when
absent) and, for a transfer, `destination` (the organisation the member goes to). Each move
records one audit event `party.member.<action>` with the date and, for a transfer, the
destination.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keguan.core.workflow import Transition, Workflow
from keguan.party import permissions as can
from keguan.party.models import Member

M = Member.State


def _on(member: Member, payload: dict) -> tuple[dt.date | None, str | None]:
    """The move's date from the payload, or a refusal: not before joining, not in future."""
    on = payload.get("on") or timezone.localdate()
    if isinstance(on, str):
        try:
            on = dt.date.fromisoformat(on)
        except ValueError:
            return None, _("The date is not a valid date (YYYY-MM-DD).")
    if on > timezone.localdate():
        return None, _("The date cannot be in the future.")
    if member.joined_on and on < member.joined_on:
        return None, _("The date cannot be before the member joined the Party.")
    return on, None


def _full_refusal(member: Member, payload: dict) -> str | None:
    if member.kind != Member.Kind.PROBATIONARY:
        return _("This member is already a full member.")
    return _on(member, payload)[1]


def _became_full(member: Member, payload: dict) -> None:
    on, _refusal = _on(member, payload)
    member.kind = Member.Kind.FULL
    member.full_on = on
    member.full_decision = payload["note"].strip()
    payload["audit"] = {"kind": member.kind, "full_on": on}


def _transfer_refusal(member: Member, payload: dict) -> str | None:
    if not (payload.get("destination") or "").strip():
        return _("Destination: please name the organisation the member transfers to.")
    return _on(member, payload)[1]


def _transferred(member: Member, payload: dict) -> None:
    member.transferred_on = _on(member, payload)[0]
    member.transferred_to = payload["destination"].strip()[:200]
    payload["audit"] = {"on": member.transferred_on, "destination": member.transferred_to}


def _death_refusal(member: Member, payload: dict) -> str | None:
    return _on(member, payload)[1]


def _died(member: Member, payload: dict) -> None:
    member.deceased_on = _on(member, payload)[0]
    payload["audit"] = {"on": member.deceased_on}


MEMBER_WORKFLOW = Workflow(
    name="party.member",
    model=Member,
    transitions=[
        # The state stays active: full membership is a change of kind, decided by the branch.
        Transition(
            (M.ACTIVE,),
            "become_full",
            M.ACTIVE,
            gettext_lazy("Admit as full member"),
            can.can_manage_member,
            guard=_full_refusal,
            effect=_became_full,
            requires_note=True,
        ),
        Transition(
            (M.ACTIVE,),
            "transfer_out",
            M.TRANSFERRED,
            gettext_lazy("Transfer out"),
            can.can_manage_member,
            guard=_transfer_refusal,
            effect=_transferred,
        ),
        Transition(
            (M.ACTIVE,),
            "record_death",
            M.DECEASED,
            gettext_lazy("Record death"),
            can.can_manage_member,
            guard=_death_refusal,
            effect=_died,
        ),
    ],
)
