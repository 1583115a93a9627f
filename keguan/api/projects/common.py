"""What the projects API modules share: the router they register on, money in and out,
the errors they raise and the filters of their lists."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from pydantic import BeforeValidator

from keguan.api.errors import ApiError
from keguan.api.workflow import allowed_actions
from keguan.core.workflow import Workflow


class ProjectsRouter(Router):
    """A router whose operations keep the ids they had when these endpoints lived in one
    module, `keguan.api.projects`: ninja derives an id from the view's module and name, and
    clients generated from the OpenAPI document call the operations by their ids."""

    def add_api_operation(self, path, methods, view_func, *, operation_id=None, **options):
        super().add_api_operation(
            path,
            methods,
            view_func,
            operation_id=operation_id or f"keguan_api_projects_{view_func.__name__}",
            **options,
        )


def fen(value):
    """Decimal yuan as a string with two decimals, e.g. "50000.00"."""
    if value is None or isinstance(value, str):
        return value
    return str(Decimal(value).quantize(Decimal("0.01")))


# Money (and scores) out as strings, so no client rounds them through a float.
Yuan = Annotated[str, BeforeValidator(fen)]
# Amounts in: a JSON number or a string; the services check the value and name the field.
AmountIn = Decimal | str


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


def invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def not_editable() -> ApiError:
    """The answer to the applying organization changing an application out of its hands."""
    return ApiError(409, "invalid_state", _("Only a draft or returned application can change."))


def aware(data: dict, *names: str) -> dict:
    """Read naive datetimes in DATA as the bureau's local time."""
    for name in names:
        value = data.get(name)
        if isinstance(value, dt.datetime) and timezone.is_naive(value):
            data[name] = timezone.make_aware(value)
    return data


def caller(context):
    """The user of the request a schema is rendered for."""
    return context["request"].auth


def allowed_actions_resolver(workflow: Workflow):
    """The `resolve_allowed_actions` of a schema of WORKFLOW's objects: the caller's actions."""

    def resolve(obj, context) -> list[dict]:
        return allowed_actions(workflow, caller(context), obj)

    return staticmethod(resolve)


def filtered(queryset, **lookups):
    """QUERYSET narrowed by each of LOOKUPS that has a value: None or "" means no filter."""
    return queryset.filter(**{k: v for k, v in lookups.items() if v is not None and v != ""})
