"""The roles of keguan, and which of them go together."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    LEADER = "leader", _("Leader")
    APPLICANT = "applicant", _("Applicant")
    EXPERT = "expert", _("Expert")
    LIAISON = "liaison", _("Liaison officer")
    PARTY_SECRETARY = "party_secretary", _("Party secretary")
    PARTY_MEMBER = "party_member", _("Party member")
    INSPECTOR = "inspector", _("Inspector")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITADMIN = "auditadmin", _("Audit administrator")


# 三员分立: three administrators, three different people, none of whom reads business data.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)
# Roles whose holders see everything in their bureau's jurisdiction.
BUREAU_WIDE_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.INSPECTOR})
# Roles that act for one organization and must be bound to it.
ORGANIZATION_ROLES = frozenset({Role.APPLICANT, Role.LIAISON})
# Roles that may not log in with a password alone.
TWO_FACTOR_ROLES = ADMIN_ROLES
