"""Who may see the bureau's funds and record money going out.

Funds are the bureau's own books: its officers, leaders and inspectors see the funds of
their jurisdiction; officers record them and the tranches paid to projects.
"""

from django.db.models import QuerySet

from keguan.accounts.permissions import has_role, in_jurisdiction
from keguan.accounts.roles import BUREAU_WIDE_ROLES, Role
from keguan.funds.models import Fund


def can_list_funds(user) -> bool:
    return has_role(user, *BUREAU_WIDE_ROLES) and user.bureau_id is not None


def visible_funds(user) -> QuerySet[Fund]:
    if can_list_funds(user):
        return Fund.objects.filter(bureau__path__startswith=user.bureau.path)
    return Fund.objects.none()


def can_manage_funds(user) -> bool:
    return has_role(user, Role.OFFICER) and user.bureau_id is not None


def can_record_disbursement(user, project) -> bool:
    """Tranches are paid by an officer of the project's bureau, until the project closes."""
    from keguan.projects.models import Project

    return (
        can_manage_funds(user)
        and in_jurisdiction(user, project.bureau)
        and project.state != Project.State.CLOSED
    )
