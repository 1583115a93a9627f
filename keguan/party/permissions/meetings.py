"""Who may see and record branch meetings and major matters.

The secretary records the meetings and major matters of their own branch; members read
their branch's meetings (minutes and decisions, not others' reasons for absence) and its
decided major matters; the inspector reads every branch of their jurisdiction. Anyone else
reaches nothing (an audited 404).
"""

from django.db.models import Q, QuerySet

from keguan.accounts.permissions import has_role
from keguan.accounts.roles import Role
from keguan.party.models import Branch, BranchMeeting, MajorMatter
from keguan.party.permissions import branch_of, can_enter_party, is_secretary, member_of


def _inspector_over(user) -> Q | None:
    if has_role(user, Role.INSPECTOR) and user.bureau_id is not None:
        return Q(bureau__path__startswith=user.bureau.path)
    return None


def secretary_branch(user) -> Branch | None:
    """The branch the user is secretary of, if any."""
    branch = branch_of(user)
    return branch if branch is not None and is_secretary(user, branch) else None


def _own_branch_ids(user) -> set[int]:
    ids = set()
    branch = secretary_branch(user)
    if branch is not None:
        ids.add(branch.pk)
    member = member_of(user)
    if member is not None:
        ids.add(member.branch_id)
    return ids


def visible_branches(user) -> QuerySet[Branch]:
    if not can_enter_party(user):
        return Branch.objects.none()
    scope = Q(pk__in=_own_branch_ids(user))
    over = _inspector_over(user)
    if over is not None:
        scope |= over
    return Branch.objects.filter(scope)


def can_list_meetings(user) -> bool:
    return can_enter_party(user)


def visible_meetings(user) -> QuerySet[BranchMeeting]:
    return BranchMeeting.objects.filter(branch__in=visible_branches(user))


def can_record_meeting(user) -> bool:
    return secretary_branch(user) is not None


def can_edit_meeting(user, meeting: BranchMeeting) -> bool:
    return is_secretary(user, meeting.branch)


def can_read_absence_reasons(user, meeting: BranchMeeting) -> bool:
    """Why a member stayed away is for the secretary and the inspector."""
    if can_edit_meeting(user, meeting):
        return True
    over = _inspector_over(user)
    return over is not None and meeting.branch.bureau.path.startswith(user.bureau.path)


def can_export_meetings(user) -> bool:
    return can_record_meeting(user) or _inspector_over(user) is not None


def visible_matters(user) -> QuerySet[MajorMatter]:
    """All of the branches the user keeps or inspects; to a member, their branch's
    decided matters."""
    if not can_enter_party(user):
        return MajorMatter.objects.none()
    scope = Q(pk__in=[])
    branch = secretary_branch(user)
    if branch is not None:
        scope |= Q(branch=branch)
    over = _inspector_over(user)
    if over is not None:
        scope |= Q(branch__in=Branch.objects.filter(over))
    member = member_of(user)
    if member is not None:
        scope |= Q(branch_id=member.branch_id, state=MajorMatter.State.DECIDED)
    return MajorMatter.objects.filter(scope)


def can_create_matter(user) -> bool:
    return can_record_meeting(user)


def can_manage_matter(user, matter: MajorMatter) -> bool:
    return is_secretary(user, matter.branch)
