from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keguan.accounts import permissions
from keguan.funds import permissions as fund_permissions
from keguan.party import permissions as party_permissions
from keguan.portal import permissions as portal_permissions
from keguan.projects import permissions as project_permissions
from keguan.review.views.index import can_enter as can_enter_review

# Menu entries whose URL is a prefix of another entry's: active only on their own page.
# Notifications (the bell) and the calendar (the user menu) sit in the header instead.
_EXACT_MATCH = {"core:home"}


def _items(user):
    yield "core:home", _("Workbench"), "speedometer2", True
    bureau_wide = user.bureau_id is not None and user.has_role("officer", "leader", "inspector")
    applicant = user.organization_id is not None and user.has_role("applicant")
    yield "projects:call_list", _("Calls"), "megaphone", bureau_wide or applicant
    yield "projects:candidate_list", _("Reserve pool"), "inboxes", bureau_wide or applicant
    yield (
        "projects:application_list",
        _("Applications"),
        "file-earmark-text",
        bureau_wide or applicant,
    )
    yield (
        "projects:project_list",
        _("Projects"),
        "kanban",
        project_permissions.can_list_projects(user),
    )
    yield "review:index", _("Expert review"), "clipboard-check", can_enter_review(user)
    yield "funds:fund_list", _("Funds"), "cash-stack", fund_permissions.can_list_funds(user)
    yield "party:index", _("Party branch"), "flag", party_permissions.can_enter_party(user)
    yield (
        "projects:statistics",
        _("Statistics"),
        "bar-chart-line",
        project_permissions.can_read_statistics(user),
    )
    yield "projects:integrity_list", _("Integrity"), "shield-exclamation", bureau_wide
    yield (
        "portal:notice_admin_list",
        _("Public notices"),
        "megaphone-fill",
        portal_permissions.can_list_notices(user),
    )
    yield (
        "portal:petition_list",
        _("Petitions"),
        "envelope-paper",
        portal_permissions.can_list_petitions(user),
    )
    yield (
        "accounts:organization_list",
        _("Organizations"),
        "buildings",
        user.has_role("officer", "leader", "inspector", "applicant", "liaison"),
    )
    yield (
        "accounts:bureau_list",
        _("Jurisdiction"),
        "diagram-3",
        user.bureau_id is not None
        and user.has_role("officer", "leader", "inspector", "sysadmin", "secadmin"),
    )
    yield (
        "accounts:user_list",
        _("Users"),
        "people",
        permissions.can_manage_users(user) or permissions.can_grant_roles(user),
    )
    yield "audit:event_list", _("Audit trail"), "journal-check", permissions.can_read_audit(user)


def navigation(request):
    """The main menu: only what this user's roles may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if getattr(request, "sign_in_step", None):
        # Half signed in (second factor or new password owed): no menu that only bounces.
        return {"nav_items": [], "sign_in_pending": True}
    path = request.path
    items = []
    for name, label, icon, visible in _items(user):
        if not visible:
            continue
        url = reverse(name)
        active = path == url if name in _EXACT_MATCH else path.startswith(url)
        items.append({"url": url, "label": label, "icon": icon, "active": active})
    return {"nav_items": items}
