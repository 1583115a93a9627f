"""Who is acting, for the audit trail: set per request by the middleware, per run by the CLI."""

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    roles: str
    client_address: str | None


SYSTEM = Actor(user_id=None, username="system", roles="", client_address=None)

current_actor: contextvars.ContextVar[Actor] = contextvars.ContextVar(
    "keguan_audit_actor", default=SYSTEM
)


@contextlib.contextmanager
def acting_as(user) -> Iterator[None]:
    """Name USER, the one acting, in the events recorded within. In a request that is the
    request's user anyway (its address is kept); outside one (CLI, scheduler, demo
    loading) it replaces "system"."""
    token = None
    if getattr(user, "is_authenticated", False):
        token = current_actor.set(actor_for(user, current_actor.get().client_address))
    try:
        yield
    finally:
        if token is not None:
            current_actor.reset(token)


def actor_for(user, client_address: str | None = None) -> Actor:
    """Describe a user (or an anonymous visitor) as an audit actor."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(None, "anonymous", "", client_address)
    return Actor(user.pk, user.get_username(), ",".join(user.role_names()), client_address)


def client_address(request) -> str | None:
    """The peer address; behind the bureau's proxy, the first X-Forwarded-For hop it set."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None
