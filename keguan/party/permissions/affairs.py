"""Who may see and do what in the affairs area: disclosure, clean government, honours and
the paired village.

- The secretary manages disclosure, honours, the paired village, the responsibility letters
  and the education activities. The letters are the secretary's (not the leader's): the
  branch runs the clean-government responsibility system, and the secretary already keeps
  its other books; a leader reads the letter they signed, like any other holder.
- Disclosure items are proposed and reviewed by the branch committee (the secretary and the
  members holding a seat); the approval is the committee's too, by someone other than the
  proposer; publication is the secretary's.
- Members read published disclosures of their branch, the honours and the village.
- An officer (any user of a bureau) keeps their own declarations of interest; the inspectors
  over the bureau read every declaration, letter and record of the area.
Every queryset is scoped by the branch (or the jurisdiction) before it is filtered; a
record outside it is a 404.
"""

from django.db.models import Q, QuerySet

from keguan.accounts.permissions import has_role, is_member
from keguan.accounts.roles import Role
from keguan.party.models import (
    Branch,
    CommitteeSeat,
    DisclosureItem,
    EducationActivity,
    Honour,
    InterestDeclaration,
    Member,
    PairedVillage,
    ReliefContribution,
    ResponsibilityLetter,
)
from keguan.party.permissions import (
    branch_of,
    can_enter_party,
    is_inspector,
    is_secretary,
    member_of,
)

STAFF_ROLES = (Role.OFFICER, Role.LEADER, Role.PARTY_SECRETARY, Role.PARTY_MEMBER, Role.INSPECTOR)


def _inspector(user) -> bool:
    return has_role(user, Role.INSPECTOR) and user.bureau_id is not None


def _inspected(user, prefix: str = "branch__") -> Q:
    """Rows of the branches of the inspector's jurisdiction."""
    return Q(**{f"{prefix}bureau__path__startswith": user.bureau.path})


def is_committee(user, branch: Branch | None) -> bool:
    """The secretary, or a member holding a seat on the branch committee."""
    if branch is None:
        return False
    if is_secretary(user, branch):
        return True
    if not is_member(user):
        return False
    return CommitteeSeat.objects.filter(
        branch=branch, member__user=user, member__state=Member.State.ACTIVE
    ).exists()


def _is_branch_member(user, branch: Branch | None) -> bool:
    own = member_of(user)
    return branch is not None and own is not None and own.branch_id == branch.pk


def _reads_branch(user, branch: Branch | None) -> bool:
    return (
        is_secretary(user, branch) or is_inspector(user, branch) or _is_branch_member(user, branch)
    )


# Disclosure.
def can_list_disclosures(user) -> bool:
    return can_enter_party(user)


def visible_disclosures(user) -> QuerySet[DisclosureItem]:
    """The committee sees every item of its branch; members the published ones; inspectors
    all items of their jurisdiction."""
    if _inspector(user):
        return DisclosureItem.objects.filter(_inspected(user))
    branch = branch_of(user)
    if branch is None:
        return DisclosureItem.objects.none()
    if is_committee(user, branch):
        return DisclosureItem.objects.filter(branch=branch)
    if _is_branch_member(user, branch):
        return DisclosureItem.objects.filter(branch=branch, state=DisclosureItem.State.PUBLISHED)
    return DisclosureItem.objects.none()


def can_propose_disclosure(user) -> bool:
    return is_committee(user, branch_of(user))


def can_edit_disclosure(user, item: DisclosureItem) -> bool:
    """The proposer changes their item while it waits for review or was returned."""
    return item.proposed_by_id == user.pk and item.state in (
        DisclosureItem.State.PROPOSED,
        DisclosureItem.State.RETURNED,
    )


def can_review_disclosure(user, item: DisclosureItem) -> bool:
    return is_committee(user, item.branch)


def can_approve_disclosure(user, item: DisclosureItem) -> bool:
    """A committee member; that it is not the proposer is the workflow's guard (a message)."""
    return is_committee(user, item.branch)


def can_publish_disclosure(user, item: DisclosureItem) -> bool:
    return is_secretary(user, item.branch)


# Clean government.
def can_enter_integrity(user) -> bool:
    """The index: the branch's people, and any officer of a bureau for their declarations."""
    return can_enter_party(user) or can_declare(user)


def can_manage_integrity(user) -> bool:
    """Letters, their items and checkpoints, education activities: the secretary."""
    return is_secretary(user, branch_of(user))


def visible_letters(user) -> QuerySet[ResponsibilityLetter]:
    if _inspector(user):
        return ResponsibilityLetter.objects.filter(_inspected(user))
    branch = branch_of(user)
    if branch is None:
        return ResponsibilityLetter.objects.none()
    if is_secretary(user, branch):
        return ResponsibilityLetter.objects.filter(branch=branch)
    return ResponsibilityLetter.objects.filter(branch=branch, holder=user)


def can_manage_letter(user, letter: ResponsibilityLetter) -> bool:
    return is_secretary(user, letter.branch)


def visible_activities(user) -> QuerySet[EducationActivity]:
    if _inspector(user):
        return EducationActivity.objects.filter(_inspected(user))
    branch = branch_of(user)
    if _reads_branch(user, branch):
        return EducationActivity.objects.filter(branch=branch)
    return EducationActivity.objects.none()


def can_manage_activity(user, activity: EducationActivity) -> bool:
    return is_secretary(user, activity.branch)


def can_declare(user) -> bool:
    """Anyone working in a bureau (officers, leaders, the branch's people, inspectors)
    declares their own interests; applicants and experts from outside do not."""
    return (
        has_role(user, *STAFF_ROLES) and user.bureau_id is not None and user.organization_id is None
    )


def visible_declarations(user) -> QuerySet[InterestDeclaration]:
    """One's own; the inspector: every declaration of the jurisdiction."""
    if not is_member(user):
        return InterestDeclaration.objects.none()
    own = Q(declarant=user)
    if _inspector(user):
        return InterestDeclaration.objects.filter(
            own | Q(declarant__bureau__path__startswith=user.bureau.path)
        )
    return InterestDeclaration.objects.filter(own)


def can_change_declaration(user, declaration: InterestDeclaration) -> bool:
    return declaration.declarant_id == user.pk


# Honours.
def visible_honours(user) -> QuerySet[Honour]:
    if _inspector(user):
        return Honour.objects.filter(_inspected(user))
    branch = branch_of(user)
    if _reads_branch(user, branch):
        return Honour.objects.filter(branch=branch)
    return Honour.objects.none()


def can_manage_honours(user) -> bool:
    return is_secretary(user, branch_of(user))


def can_manage_honour(user, honour: Honour) -> bool:
    return is_secretary(user, honour.branch)


# The paired village.
def visible_villages(user) -> QuerySet[PairedVillage]:
    if _inspector(user):
        return PairedVillage.objects.filter(_inspected(user))
    branch = branch_of(user)
    if _reads_branch(user, branch):
        return PairedVillage.objects.filter(branch=branch)
    return PairedVillage.objects.none()


def visible_relief(user) -> QuerySet[ReliefContribution]:
    if _inspector(user):
        return ReliefContribution.objects.filter(_inspected(user))
    branch = branch_of(user)
    if _reads_branch(user, branch):
        return ReliefContribution.objects.filter(branch=branch)
    return ReliefContribution.objects.none()


def can_manage_villages(user) -> bool:
    return is_secretary(user, branch_of(user))


def can_manage_village(user, village: PairedVillage) -> bool:
    return is_secretary(user, village.branch)
