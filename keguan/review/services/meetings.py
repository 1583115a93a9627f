"""Recording decision meetings: attendance (with quorum), staged decisions, release."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from keguan.accounts.models import Bureau
from keguan.audit import services as audit
from keguan.core.records import save_new, update_fields
from keguan.funds import services as funds
from keguan.funds.models import Fund
from keguan.projects.models import Application
from keguan.review import permissions as can
from keguan.review.models import Attendance, Decision, Meeting, Round
from keguan.review.workflow import quorum_problem

MEETING_FIELDS = ("title", "held_on", "minutes")


def _draft_refusal(meeting: Meeting) -> str | None:
    if meeting.state != Meeting.State.DRAFT:
        return _("The decisions are released; a change needs a new meeting.")
    return None


def _set_attendance(meeting: Meeting, attendees) -> None:
    group = can.leadership_group(meeting.bureau)
    wanted = {u.pk for u in attendees}
    stray = wanted - set(group.values_list("pk", flat=True))
    if stray:
        raise ValidationError({"attendees": _("Only members of the leadership group attend.")})
    before = sorted(meeting.attendance.values_list("user_id", flat=True))
    meeting.attendance.exclude(user_id__in=wanted).delete()
    have = set(meeting.attendance.values_list("user_id", flat=True))
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, user_id=pk) for pk in sorted(wanted - have)]
    )
    meeting.leadership_size = group.count()
    meeting.save(update_fields=["leadership_size"])
    if before != sorted(wanted):
        audit.record(
            "review.meeting.update",
            obj=meeting,
            before={"attendees": before},
            after={"attendees": sorted(wanted), "leadership_size": meeting.leadership_size},
        )


def _set_rounds(meeting: Meeting, rounds) -> None:
    """The ranked lists considered: closed rounds of the meeting's own bureau."""
    rounds = list(rounds)
    if any(r.bureau_id != meeting.bureau_id or r.state != Round.State.CLOSED for r in rounds):
        raise ValidationError({"rounds": _("Only closed review rounds of the bureau.")})
    meeting.rounds.set(rounds)


def create_meeting(user, data: dict) -> Meeting:
    """A meeting of the user's bureau, being recorded; ATTENDEES are leaders present."""
    meeting = Meeting(bureau=user.bureau, recorded_by=user)
    for name in MEETING_FIELDS:
        if name in data:
            setattr(meeting, name, data[name])
    with transaction.atomic():
        save_new(meeting, "review.meeting.create", MEETING_FIELDS)
        with audit.writing():
            _set_attendance(meeting, data.get("attendees") or [])
            if data.get("rounds") is not None:
                _set_rounds(meeting, data["rounds"])
    return meeting


def update_meeting(user, meeting: Meeting, data: dict) -> Meeting:
    with transaction.atomic():
        fresh = update_fields(
            meeting, "review.meeting.update", MEETING_FIELDS, data, refusal=_draft_refusal
        )
        with audit.writing():
            if "attendees" in data:
                _set_attendance(fresh, data["attendees"])
            if data.get("rounds") is not None:
                _set_rounds(fresh, data["rounds"])
    return fresh


def decidable_applications(meeting: Meeting):
    """Applications of the meeting's bureau a county meeting can decide on, not yet staged:
    those awaiting a decision, and approvals still in public notice (to revoke)."""
    return (
        Application.objects.filter(
            bureau=meeting.bureau,
            state__in=(Application.State.REVIEWED, Application.State.IN_NOTICE),
            # Program.funded_by_county is a property; its rule is a county-level program.
            call__program__level=Bureau.Level.COUNTY,
        )
        .exclude(meeting_decisions__meeting=meeting)
        .select_related("organization", "call")
        .order_by("-review_score", "pk")
    )


def stage_decision(user, meeting: Meeting, data: dict) -> Decision:
    """Stage one decision (approve with amount and fund, reject or defer) with its votes.
    Refused without quorum: no decision is recorded at a meeting that cannot decide."""
    decision = Decision(
        meeting=meeting,
        application=data.get("application"),
        outcome=data.get("outcome") or "",
        amount=data.get("amount"),
        fund=data.get("fund"),
        votes_for=data.get("votes_for") or 0,
        votes_against=data.get("votes_against") or 0,
        abstentions=data.get("abstentions") or 0,
        note=(data.get("note") or "").strip(),
    )
    with transaction.atomic():
        fresh = Meeting.objects.select_for_update().get(pk=meeting.pk)
        refusal = _draft_refusal(fresh) or quorum_problem(fresh)
        if refusal:
            raise ValidationError(refusal)
        errors = {}
        try:
            decision.full_clean(exclude=["meeting", "fund", "amount"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
        application = decision.application
        if (
            application is not None
            and not decidable_applications(fresh).filter(pk=application.pk).exists()
        ):
            errors["application"] = [_("This application is not awaiting a decision here.")]
        present = fresh.attendance.count()
        votes = decision.votes_for + decision.votes_against + decision.abstentions
        if votes > present:
            errors["votes_for"] = [
                _("%(votes)d votes but only %(present)d present.")
                % {"votes": votes, "present": present}
            ]
        if decision.outcome == Decision.Outcome.APPROVE:
            if decision.votes_for * 2 <= present:
                errors["votes_for"] = [_("Approval needs the votes of more than half present.")]
            try:
                decision.amount = funds.to_yuan(data.get("amount"), "amount")
            except ValidationError as exc:
                errors.update(exc.message_dict)
            else:
                if application is not None and decision.amount > application.requested_total:
                    errors["amount"] = [
                        _("The amount cannot exceed the %(requested)s yuan requested.")
                        % {"requested": application.requested_total}
                    ]
            fund = decision.fund
            if fund is None or not Fund.objects.reaching(fresh.bureau).filter(pk=fund.pk).exists():
                errors["fund"] = [_("Choose the fund the money comes from.")]
            elif application is not None and fund.year != application.call.year:
                # The release applies decide_approve, which refuses another year's fund:
                # caught here, it cannot fail the whole release later.
                errors["fund"] = [
                    _("Choose a fund of %(year)d, the call's year.")
                    % {"year": application.call.year}
                ]
            elif "amount" not in errors and decision.amount is not None:
                # What the fund has left, less what this meeting already staged from it (the
                # release checks again, under the fund's lock).
                staged = sum(
                    (d.amount for d in fresh.decisions.filter(fund=fund, outcome="approve")),
                    Decimal("0"),
                )
                left = funds.remaining(fund) - staged
                if decision.amount > left:
                    errors["amount"] = [
                        _("The fund has %(left)s yuan left for this meeting's decisions.")
                        % {"left": left}
                    ]
        else:
            decision.amount, decision.fund = None, None
            if decision.outcome != Decision.Outcome.DEFER and not decision.note:
                errors["note"] = [_("Please give a reason.")]
        revoking = decision.outcome == Decision.Outcome.REVOKE
        in_notice = application is not None and application.state == Application.State.IN_NOTICE
        if application is not None and decision.outcome and revoking != in_notice:
            errors["outcome"] = [
                _("An approval in public notice can only be revoked.")
                if in_notice
                else _("Only an approval in public notice can be revoked.")
            ]
        if errors:
            raise ValidationError(errors)
        save_new(
            decision,
            "review.decision.stage",
            (
                "application",
                "outcome",
                "amount",
                "fund",
                "votes_for",
                "votes_against",
                "abstentions",
                "note",
            ),
        )
    return decision


def remove_decision(user, decision: Decision) -> None:
    with transaction.atomic(), audit.writing():
        meeting = Meeting.objects.select_for_update().get(pk=decision.meeting_id)
        refusal = _draft_refusal(meeting)
        if refusal:
            raise ValidationError(refusal)
        audit.record(
            "review.decision.withdraw",
            obj=meeting,
            before={"application": decision.application_id, "outcome": decision.outcome},
        )
        decision.delete()
