from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keguan.accounts import permissions


def _items(user):
    yield "core:home", _("Workbench"), "speedometer2", True
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
        active = path == url if name == "core:home" else path.startswith(url)
        items.append({"url": url, "label": label, "icon": icon, "active": active})
    return {"nav_items": items}
