"""The one way views and endpoints refuse: 404, and an audit event saying who tried what."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import Http404

from keguan.audit import services as audit
from keguan.audit.models import Result


def deny(request, what: str, object_id: str | int = "") -> Http404:
    """Record a refused access and return the 404 to raise."""
    audit.record(
        "access.denied",
        object_type=what,
        object_id=object_id,
        result=Result.DENIED,
        after={"path": request.path[:200], "method": request.method},
    )
    return Http404()


def get_visible(request, queryset: QuerySet, pk) -> Model:
    """The object with PK from the user's scoped QUERYSET, else 404 (audited if it exists)."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        model = queryset.model
        if model._default_manager.filter(pk=pk).exists():
            raise deny(request, model._meta.label_lower, pk)
        raise Http404()
    return obj


def require(predicate):
    """Let the view run only for signed-in users for whom PREDICATE(user) holds."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise deny(request, f"view:{view.__module__}.{view.__name__}")
            return view(request, *args, **kwargs)

        wrapped.required_predicate = predicate
        return wrapped

    return decorator


def signed_in(user) -> bool:
    return user.is_authenticated and user.is_active
