"""Who may see and do what with accounts, organizations and bureaus.

Named predicates, one place: views and API endpoints only call these. Every queryset that
reaches a user starts from a `visible_*` function, which scopes it by role and jurisdiction.
"""

from django.db.models import QuerySet

from keguan.accounts.models import Bureau, Organization, User
from keguan.accounts.roles import BUREAU_WIDE_ROLES, ORGANIZATION_ROLES, Role


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user, *roles: str) -> bool:
    return is_member(user) and user.has_role(*roles)


def in_jurisdiction(user, bureau: Bureau | None) -> bool:
    """The bureau is the user's own or lies below it."""
    return bool(
        bureau is not None
        and user.bureau_id is not None
        and bureau.path.startswith(user.bureau.path)
    )


# Bureaus are configuration: every signed-in user may read its own jurisdiction's tree.
def visible_bureaus(user) -> QuerySet[Bureau]:
    if not is_member(user) or user.bureau_id is None:
        return Bureau.objects.none()
    return Bureau.objects.filter(path__startswith=user.bureau.path)


def visible_organizations(user) -> QuerySet[Organization]:
    """Bureau-wide roles see their jurisdiction; applicants and liaisons their own unit."""
    if not is_member(user):
        return Organization.objects.none()
    if user.has_role(*BUREAU_WIDE_ROLES) and user.bureau_id:
        return Organization.objects.in_jurisdiction(user.bureau)
    if user.has_role(*ORGANIZATION_ROLES) and user.organization_id:
        return Organization.objects.filter(pk=user.organization_id)
    return Organization.objects.none()


def can_view_organization(user, org: Organization) -> bool:
    return visible_organizations(user).filter(pk=org.pk).exists()


def can_edit_organization(user, org: Organization) -> bool:
    if has_role(user, Role.OFFICER) and in_jurisdiction(user, org.bureau):
        return True
    return has_role(user, Role.APPLICANT) and user.organization_id == org.pk


def can_create_organization(user) -> bool:
    return has_role(user, Role.OFFICER) and user.bureau_id is not None


def can_verify_organization(user, org: Organization) -> bool:
    return has_role(user, Role.OFFICER) and in_jurisdiction(user, org.bureau)


def can_resubmit_organization(user, org: Organization) -> bool:
    return has_role(user, Role.APPLICANT) and user.organization_id == org.pk


def can_read_organization_history(user) -> bool:
    """The dated trail of checks on an organization: the bureau's own people."""
    return has_role(user, *BUREAU_WIDE_ROLES)


def can_see_contact_details(user, org: Organization) -> bool:
    """Phone and e-mail in full: the unit itself and the officers who work with it."""
    return can_edit_organization(user, org)


# Administration (三员分立).
def can_manage_users(user) -> bool:
    return has_role(user, Role.SYSADMIN)


def can_grant_roles(user) -> bool:
    return has_role(user, Role.SECADMIN)


def visible_users(user) -> QuerySet[User]:
    if not (can_manage_users(user) or can_grant_roles(user)) or user.bureau_id is None:
        return User.objects.none()
    return User.objects.filter(bureau__path__startswith=user.bureau.path)


def can_read_audit(user) -> bool:
    return has_role(user, Role.INSPECTOR, Role.AUDITADMIN)
