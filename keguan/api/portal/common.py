"""What the portal API modules share: the caller's address for the rate limit, the 429,
a user's name and the staff-only gate of the lists."""

from django.utils.translation import gettext as _

from keguan.api.errors import ApiError
from keguan.core.access import deny
from keguan.portal import services


def address(request) -> str | None:
    """The caller's address as the audit trail records it."""
    return getattr(request, "client_address", None) or request.META.get("REMOTE_ADDR")


def limit(request, form: str) -> None:
    """Count this use of the public FORM; past the limit, the shared error shape with 429."""
    if not services.allow(form, address(request)):
        raise ApiError(
            429,
            "rate_limited",
            _("Too many submissions from your address; please try again in an hour."),
        )


def name_of(user) -> str:
    if user is None:
        return ""
    return user.full_name or user.username


def staff_only(request, predicate, what: str) -> None:
    """A 404 (audited) for a caller PREDICATE does not admit: the list is not theirs."""
    if not predicate(request.auth):
        raise deny(request, what)
