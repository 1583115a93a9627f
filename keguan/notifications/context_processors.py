from keguan.accounts.roles import BUSINESS_ROLES


def unread_notifications(request):
    """The header badge: how many notifications the signed-in user has not read (one query).

    Administrators hold no business role and are told nothing, so they pay no query."""
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or getattr(request, "sign_in_step", None)
        or not user.has_role(*BUSINESS_ROLES)
    ):
        return {}
    from keguan.notifications.services import unread_count

    return {"unread_notifications": unread_count(user), "notifications_badge": True}
