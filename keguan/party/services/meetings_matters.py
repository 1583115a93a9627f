"""Major matters (三重一大): proposing and changing one while it is open. Deciding and
withdrawing go through MAJOR_MATTER_WORKFLOW (keguan.party.workflow_meetings)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from keguan.core.records import save_new, update_fields
from keguan.party.models import MajorMatter, MeetingDecision

MATTER_FIELDS = ("category", "title", "description", "amount", "proposed_on")


def _open_refusal(matter: MajorMatter) -> str | None:
    if matter.state != MajorMatter.State.PROPOSED:
        return _("The matter is %(state)s; it no longer changes.") % {
            "state": matter.get_state_display()
        }
    return None


def _yuan(value) -> Decimal:
    """VALUE (a Decimal, a number or a string like "650,000") as yuan, or the field's error."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("Enter an amount in yuan, e.g. 50000.")}) from None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e12"):
        raise ValidationError({"amount": _("Enter an amount in yuan, e.g. 50000.")})
    return amount.quantize(Decimal("0.01"))


def _check(matter: MajorMatter, before=None) -> None:
    if matter.amount in (None, ""):
        matter.amount = None
    else:
        matter.amount = _yuan(matter.amount)
    if matter.category == MajorMatter.Category.FUNDS and matter.amount is None:
        raise ValidationError({"amount": _("Give the sum for the use of a large sum.")})


def create_matter(user, branch, data: dict) -> MajorMatter:
    """A proposed major matter of BRANCH."""
    matter = MajorMatter(branch=branch, created_by=user)
    for name in MATTER_FIELDS:
        if name in data:
            setattr(matter, name, data[name])
    _check(matter)
    with transaction.atomic():
        save_new(matter, "party.major_matter.create", MATTER_FIELDS)
    return matter


def update_matter(user, matter: MajorMatter, data: dict) -> MajorMatter:
    return update_fields(
        matter,
        "party.major_matter.update",
        MATTER_FIELDS,
        data,
        refusal=_open_refusal,
        check=_check,
    )


def deciding_decisions(branch):
    """Decisions of the branch's meetings offered to decide a matter: newest first. The
    workflow's guard still refuses those of a meeting without quorum, or not passed."""
    return (
        MeetingDecision.objects.filter(meeting__branch=branch)
        .select_related("meeting")
        .order_by("-meeting__held_on", "-pk")
    )


def passed_decisions(branch) -> list[MeetingDecision]:
    """The branch's decisions that passed at a quorate meeting (for the decide form)."""
    return [
        d
        for d in deciding_decisions(branch)
        if d.meeting.quorate and d.passed_with(d.meeting.present_count)
    ]
