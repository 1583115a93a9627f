"""The reserve pool: candidates, their guiding officer and follow-ups."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.accounts.roles import Role
from keguan.core.records import assign as _assign
from keguan.core.records import save_new as _save
from keguan.core.records import update_fields as _update
from keguan.projects import permissions as can
from keguan.projects.models import (
    Call,
    Candidate,
    FollowUp,
)

CANDIDATE_FIELDS = (
    "title",
    "field",
    "summary",
    "maturity",
    "target_level",
    "expected_funding",
    "guiding_officer",
)


# Reserve pool.
def _check_guiding_officer(user, candidate: Candidate, before: dict) -> None:
    """Pairing (结对子) is the bureau's to decide: only an officer changes it, and only to an
    active officer of the candidate's bureau or one above it."""
    officer = candidate.guiding_officer
    if candidate.guiding_officer_id == before.get("guiding_officer"):
        return
    if not can.is_officer(user):
        raise ValidationError({"guiding_officer": _("Only the bureau pairs a guiding officer.")})
    if officer is not None and not (
        officer.is_active
        and officer.has_role(Role.OFFICER)
        and officer.bureau_id is not None
        and officer.bureau.path in candidate.bureau.paths_up()
    ):
        raise ValidationError(
            {"guiding_officer": _("Choose an officer of the unit's bureau or one above it.")}
        )


def create_candidate(user, organization, data: dict) -> Candidate:
    """Record a candidate of ORGANIZATION in the reserve pool."""
    candidate = Candidate(organization=organization, bureau=organization.bureau, created_by=user)
    _assign(candidate, CANDIDATE_FIELDS, data)
    _check_guiding_officer(user, candidate, {"guiding_officer": None})
    _save(candidate, "projects.candidate.create", CANDIDATE_FIELDS)
    return candidate


def update_candidate(user, candidate: Candidate, data: dict) -> Candidate:
    return _update(
        candidate,
        "projects.candidate.update",
        CANDIDATE_FIELDS,
        data,
        refusal=lambda fresh: (
            None
            if can.can_edit_candidate(user, fresh)
            else _("Only a candidate still being prepared can change.")
        ),
        check=lambda fresh, before: _check_guiding_officer(user, fresh, before),
    )


def add_follow_up(user, candidate: Candidate, data: dict) -> FollowUp:
    """Log help given to a candidate (a visit, a lecture, materials, polishing)."""
    note = FollowUp(
        candidate=candidate,
        on=data.get("on"),
        kind=data.get("kind"),
        text=(data.get("text") or "").strip(),
        author=user,
    )
    if note.on and note.on > timezone.localdate():
        raise ValidationError({"on": _("A follow-up note records something already done.")})
    _save(note, "projects.candidate.follow_up", ("on", "kind", "text"))
    return note


def ready_candidates_for(call: Call):
    """Candidates ready to apply whose organization this call admits."""
    qs = Candidate.objects.filter(
        state=Candidate.State.READY,
        target_level=call.program.level,
        bureau__path__startswith=call.bureau.path,
    ).select_related("organization")
    if call.eligible_kinds:
        qs = qs.filter(organization__kind__in=call.eligible_kinds)
    return qs


def open_calls_for(candidate: Candidate, calls=None) -> list[Call]:
    """The open calls CANDIDATE could apply to (ready_candidates_for reversed): the program's
    level is its target level, the call's bureau is the candidate's or one above it, and the
    call admits its organization's kind. CALLS narrows the search (e.g. to what a user sees)."""
    qs = (calls if calls is not None else Call.objects.all()).open_at()
    qs = qs.filter(program__level=candidate.target_level).select_related("program", "bureau")
    return [
        call
        for call in qs.order_by("closes_at", "pk")
        if candidate.bureau.path.startswith(call.bureau.path)
        and call.admits_kind(candidate.organization.kind)
    ]
