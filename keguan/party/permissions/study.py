"""Who may see and do what in the study system.

Sessions and plans are the branch's common business: every member of the branch reads them.
Attendance, study notes, leave requests and assessments are personal: a member reaches only
their own; the secretary manages the branch's; an inspector reads those of the branches in
their jurisdiction and changes nothing. Every queryset starts from `visible_*` here.
"""

from django.db.models import Q, QuerySet

from keguan.accounts.permissions import has_role
from keguan.accounts.roles import Role
from keguan.party.models import (
    Assessment,
    Branch,
    LeaveRequest,
    StudyAttendance,
    StudyNote,
    StudyPlan,
    StudySession,
)
from keguan.party.permissions import (
    branch_of,
    can_enter_party,
    is_inspector,
    is_secretary,
    member_of,
)


def can_use_study(user) -> bool:
    return can_enter_party(user)


def overseen_branches(user) -> QuerySet[Branch]:
    """Branches whose personal study records the user may read: the secretary's own, and
    an inspector's jurisdiction."""
    q = Q(pk__in=[])
    if has_role(user, Role.INSPECTOR) and user.bureau_id is not None:
        q |= Q(bureau__path__startswith=user.bureau.path)
    own = branch_of(user) if has_role(user, Role.PARTY_SECRETARY) else None
    if own is not None and is_secretary(user, own):
        q |= Q(pk=own.pk)
    return Branch.objects.filter(q)


def _readable_branches(user) -> QuerySet[Branch]:
    """Branches whose sessions and plans the user reads: overseen ones and their own."""
    member = member_of(user)
    q = Q(pk__in=overseen_branches(user).values("pk"))
    if member is not None:
        q |= Q(pk=member.branch_id)
    return Branch.objects.filter(q)


def can_oversee(user, branch: Branch) -> bool:
    return is_secretary(user, branch) or is_inspector(user, branch)


def can_manage_study(user, branch: Branch | None = None) -> bool:
    """The branch secretary keeps plans, sessions, sign-ins and assessments."""
    branch = branch if branch is not None else branch_of(user)
    return branch is not None and is_secretary(user, branch)


def can_oversee_any(user) -> bool:
    return overseen_branches(user).exists()


def visible_plans(user) -> QuerySet[StudyPlan]:
    return StudyPlan.objects.filter(branch__in=_readable_branches(user))


def visible_sessions(user) -> QuerySet[StudySession]:
    return StudySession.objects.filter(branch__in=_readable_branches(user))


def _personal(model, user) -> QuerySet:
    q = Q(member__branch__in=overseen_branches(user))
    member = member_of(user)
    if member is not None:
        q |= Q(member=member)
    return model.objects.filter(q)


def visible_attendance(user) -> QuerySet[StudyAttendance]:
    return _personal(StudyAttendance, user)


def visible_notes(user) -> QuerySet[StudyNote]:
    return _personal(StudyNote, user)


def visible_leave_requests(user) -> QuerySet[LeaveRequest]:
    return _personal(LeaveRequest, user)


def visible_assessments(user) -> QuerySet[Assessment]:
    return _personal(Assessment, user)


def can_sign_in(user, session: StudySession) -> bool:
    """Only an active member of the session's branch signs themselves in."""
    member = member_of(user)
    return member is not None and member.branch_id == session.branch_id


def can_ask_leave(user, session: StudySession) -> bool:
    return can_sign_in(user, session)


def can_decide_leave(user, leave: LeaveRequest) -> bool:
    return can_manage_study(user, leave.session.branch)


def can_withdraw_leave(user, leave: LeaveRequest) -> bool:
    member = member_of(user)
    return member is not None and leave.member_id == member.pk


def can_read_material(user, session: StudySession) -> bool:
    return visible_sessions(user).filter(pk=session.pk).exists()
