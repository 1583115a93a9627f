"""Who may see and do what in expert review.

Bureau staff see the pool, rounds and meetings of their jurisdiction; officers run them;
leaders record decision meetings; inspectors read everything, draws and exclusions included.
An expert reaches applications only through their own live assignments, and reads one only
after signing the pledge: a conflicted, declined, replaced or reserve expert reaches nothing.
"""

from django.db.models import QuerySet
from django.utils import timezone

from keguan.accounts.models import Bureau, User
from keguan.accounts.permissions import has_role, in_jurisdiction
from keguan.accounts.roles import BUREAU_WIDE_ROLES, Role
from keguan.projects.models import Application
from keguan.projects.permissions import is_own_application
from keguan.review.models import ApproachReport, Assignment, Draw, Expert, Meeting, Round


def _bureau_wide(user) -> bool:
    return has_role(user, *BUREAU_WIDE_ROLES) and user.bureau_id is not None


def _officer(user) -> bool:
    return has_role(user, Role.OFFICER) and user.bureau_id is not None


def _leader(user) -> bool:
    return has_role(user, Role.LEADER) and user.bureau_id is not None


def _inspector(user) -> bool:
    return has_role(user, Role.INSPECTOR) and user.bureau_id is not None


def _over(user, record) -> bool:
    return in_jurisdiction(user, record.bureau)


# The expert pool.
def can_list_experts(user) -> bool:
    return _bureau_wide(user)


def visible_experts(user) -> QuerySet[Expert]:
    if _bureau_wide(user):
        return Expert.objects.filter(bureau__path__startswith=user.bureau.path)
    return Expert.objects.none()


def can_manage_experts(user) -> bool:
    """Officers keep the pool (and so see phone and ID numbers unmasked)."""
    return _officer(user)


def can_manage_expert(user, expert: Expert) -> bool:
    return _officer(user) and _over(user, expert)


# Rounds and draws.
def can_list_rounds(user) -> bool:
    return _bureau_wide(user)


def visible_rounds(user) -> QuerySet[Round]:
    if _bureau_wide(user):
        return Round.objects.filter(bureau__path__startswith=user.bureau.path)
    return Round.objects.none()


def can_create_round(user) -> bool:
    return _officer(user)


def can_manage_round(user, round: Round) -> bool:
    return _officer(user) and _over(user, round)


def can_read_draws(user, round: Round) -> bool:
    """Exclusions are explained to the officer and the inspector, never to applicants."""
    return (_officer(user) or _inspector(user)) and _over(user, round)


def visible_draws(user) -> QuerySet[Draw]:
    if _officer(user) or _inspector(user):
        return Draw.objects.filter(round__bureau__path__startswith=user.bureau.path)
    return Draw.objects.none()


def can_read_ranking(user, round: Round) -> bool:
    return _bureau_wide(user) and _over(user, round)


def can_read_approach_reports(user) -> bool:
    return _inspector(user)


def visible_approach_reports(user) -> QuerySet[ApproachReport]:
    """Approaches (请托) reported on the jurisdiction's reviews, for the inspector."""
    if _inspector(user):
        return ApproachReport.objects.filter(
            assignment__round__bureau__path__startswith=user.bureau.path
        )
    return ApproachReport.objects.none()


# Experts and their assignments.
def is_expert(user) -> bool:
    return has_role(user, Role.EXPERT)


def my_assignments(user) -> QuerySet[Assignment]:
    """The expert's live assignments in rounds that are under review or closed. Reserves,
    declined, conflicted and released assignments are not theirs to see."""
    if not is_expert(user):
        return Assignment.objects.none()
    return Assignment.objects.filter(
        expert__user=user,
        state__in=Assignment.LIVE_STATES,
        round__state__in=(Round.State.REVIEWING, Round.State.CLOSED),
    )


def assignments_for(user) -> QuerySet[Assignment]:
    """Assignments a user may open: the expert's own, and every one of the jurisdiction for
    the officer and the inspector (who see who reviewed what)."""
    if _officer(user) or _inspector(user):
        return Assignment.objects.filter(round__bureau__path__startswith=user.bureau.path)
    return my_assignments(user)


def is_own_assignment(user, assignment: Assignment) -> bool:
    return (
        is_expert(user)
        and assignment.expert.user_id == user.pk
        and assignment.state in Assignment.LIVE_STATES
    )


def may_read_application(user, assignment: Assignment) -> bool:
    return is_own_assignment(user, assignment) and assignment.state in Assignment.READING_STATES


def can_score(user, assignment: Assignment) -> bool:
    """The expert scores while the round is under review and its deadline has not passed."""
    return (
        is_own_assignment(user, assignment)
        and assignment.round.state == Round.State.REVIEWING
        and timezone.now() < assignment.round.review_deadline
    )


def can_manage_assignment(user, assignment: Assignment) -> bool:
    return can_manage_round(user, assignment.round)


# The applicant's list of units and experts to avoid: never shown to experts.
def can_read_avoidances(user, application: Application) -> bool:
    """The applicant's own unit, and the officers of the jurisdiction (who read, not edit)."""
    return is_own_application(user, application) or (
        _officer(user) and in_jurisdiction(user, application.bureau)
    )


def can_edit_avoidances(user, application: Application) -> bool:
    return (
        is_own_application(user, application) and application.state in Application.EDITABLE_STATES
    )


# Decision meetings.
def can_list_meetings(user) -> bool:
    return _bureau_wide(user)


def visible_meetings(user) -> QuerySet[Meeting]:
    if _bureau_wide(user):
        return Meeting.objects.filter(bureau__path__startswith=user.bureau.path)
    return Meeting.objects.none()


def can_record_meeting(user) -> bool:
    """Leaders record their meetings (officers may prepare them as their secretaries)."""
    return _leader(user) or _officer(user)


def can_edit_meeting(user, meeting: Meeting) -> bool:
    return (
        can_record_meeting(user)
        and meeting.bureau_id == user.bureau_id
        and meeting.state == Meeting.State.DRAFT
    )


def can_release_meeting(user, meeting: Meeting) -> bool:
    """Releasing the decisions is the leadership's act."""
    return _leader(user) and meeting.bureau_id == user.bureau_id


def leadership_group(bureau: Bureau) -> QuerySet[User]:
    """The leadership group of a bureau: its active users holding the leader role."""
    return User.objects.filter(
        bureau=bureau, is_active=True, role_grants__role=Role.LEADER
    ).distinct()
