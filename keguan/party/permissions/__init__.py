"""Who may enter the Party branch's pages, and who may see and change members and dues.

The base predicates (`branch_of`, `member_of`, `is_secretary`, `is_inspector`,
`can_enter_party`) are shared by every area; each area builds its own in
`permissions/<area>.py`. Membership is sensitive: a member sees their own record only; the
secretary of the branch and the inspectors over its bureau see all of them. Only the
secretary changes records and reveals an ID number.
"""

from django.db.models import QuerySet

from keguan.accounts.permissions import has_role, in_jurisdiction, is_member
from keguan.accounts.roles import Role
from keguan.party.models import Branch, DuesRecord, Member, PartyGroup


def branch_of(user) -> Branch | None:
    """The branch of the user's bureau (remembered on the user for the request)."""
    if not is_member(user) or user.bureau_id is None:
        return None
    cached = getattr(user, "_party_branch", None)
    if cached is not None and cached.bureau_id == user.bureau_id:
        return cached
    branch = Branch.objects.filter(bureau_id=user.bureau_id).select_related("bureau").first()
    if branch is not None:
        user._party_branch = branch
    return branch


def member_of(user) -> Member | None:
    """The user's own active member record, if any."""
    if not is_member(user):
        return None
    return Member.objects.active().filter(user=user).select_related("branch").first()


def is_secretary(user, branch: Branch | None) -> bool:
    """The user holds the Party secretary role in the branch's own bureau."""
    return bool(
        branch is not None
        and has_role(user, Role.PARTY_SECRETARY)
        and user.bureau_id == branch.bureau_id
    )


def is_inspector(user, branch: Branch | None) -> bool:
    """The user inspects the jurisdiction the branch's bureau lies in."""
    return bool(
        branch is not None
        and has_role(user, Role.INSPECTOR)
        and in_jurisdiction(user, branch.bureau)
    )


def can_enter_party(user) -> bool:
    """The branch's pages are for its secretary, its members and its inspectors."""
    # Asked for the menu on every page: no query for users without a party role.
    if not has_role(user, Role.PARTY_SECRETARY, Role.PARTY_MEMBER, Role.INSPECTOR):
        return False
    branch = branch_of(user)
    if branch is None:
        return False
    if is_secretary(user, branch) or is_inspector(user, branch):
        return True
    own = member_of(user)
    return own is not None and own.branch_id == branch.pk


def sees_all_members(user, branch: Branch | None) -> bool:
    """The secretary and the inspector read every member's record."""
    return is_secretary(user, branch) or is_inspector(user, branch)


# Members.
def visible_members(user) -> QuerySet[Member]:
    """All the branch's members (any state) for the secretary and inspector; else one's own."""
    branch = branch_of(user)
    if branch is None:
        return Member.objects.none()
    if sees_all_members(user, branch):
        return Member.objects.filter(branch=branch)
    return Member.objects.filter(branch=branch, user=user, user__isnull=False)


def can_list_members(user) -> bool:
    return sees_all_members(user, branch_of(user))


def can_manage_members(user) -> bool:
    """Creating and editing members, seats, groups: the secretary."""
    return is_secretary(user, branch_of(user))


def can_manage_member(user, member: Member) -> bool:
    return is_secretary(user, member.branch)


def can_reveal_id_number(user, member: Member) -> bool:
    """Only the secretary sees an ID number in full, one reveal (audited) at a time."""
    return is_secretary(user, member.branch)


def is_own_record(user, member: Member) -> bool:
    return bool(member.user_id is not None and member.user_id == getattr(user, "pk", None))


def can_export_members(user) -> bool:
    return can_list_members(user)


def visible_groups(user) -> QuerySet[PartyGroup]:
    branch = branch_of(user)
    if branch is None or not can_enter_party(user):
        return PartyGroup.objects.none()
    return PartyGroup.objects.filter(branch=branch)


# Dues.
def visible_dues(user) -> QuerySet[DuesRecord]:
    """Every member's dues for the secretary and inspector; one's own for a member."""
    branch = branch_of(user)
    if branch is None:
        return DuesRecord.objects.none()
    if sees_all_members(user, branch):
        return DuesRecord.objects.filter(member__branch=branch)
    return DuesRecord.objects.filter(member__branch=branch, member__user=user)


def can_read_dues_sheet(user) -> bool:
    return sees_all_members(user, branch_of(user))


def can_manage_dues(user) -> bool:
    """Declaring incomes and marking dues paid: the secretary keeps the dues book."""
    return is_secretary(user, branch_of(user))


def can_declare_income(user, member: Member) -> bool:
    """A member declares their own monthly income; the secretary may for anyone."""
    if not member.is_active:
        return False
    return is_secretary(user, member.branch) or (
        is_own_record(user, member) and has_role(user, Role.PARTY_MEMBER, Role.PARTY_SECRETARY)
    )
