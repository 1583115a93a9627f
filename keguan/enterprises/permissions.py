"""Who may see and record cooperation agreements: the bureau's people of the jurisdiction
read them, officers record them, applicants see their own organization's."""

from django.db.models import Q, QuerySet

from keguan.accounts.permissions import has_role, in_jurisdiction
from keguan.accounts.roles import BUREAU_WIDE_ROLES, Role
from keguan.enterprises.models import Cooperation


def can_list_cooperations(user) -> bool:
    return (has_role(user, *BUREAU_WIDE_ROLES) and user.bureau_id is not None) or (
        has_role(user, Role.APPLICANT) and user.organization_id is not None
    )


def visible_cooperations(user) -> QuerySet[Cooperation]:
    if has_role(user, *BUREAU_WIDE_ROLES) and user.bureau_id is not None:
        return Cooperation.objects.filter(bureau__path__startswith=user.bureau.path)
    if has_role(user, Role.APPLICANT) and user.organization_id is not None:
        return Cooperation.objects.filter(
            Q(organization_id=user.organization_id) | Q(partner_id=user.organization_id)
        )
    return Cooperation.objects.none()


def can_record_cooperation(user) -> bool:
    return has_role(user, Role.OFFICER) and user.bureau_id is not None


def can_edit_cooperation(user, cooperation: Cooperation) -> bool:
    return can_record_cooperation(user) and in_jurisdiction(user, cooperation.bureau)
