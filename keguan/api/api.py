"""The REST API at /api/v1/, built with django-ninja.

django-ninja was chosen over DRF because its OpenAPI 3 document comes from the same typed
schemas that validate input, with no separate schema generator to keep in step.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from keguan.accounts.services import user_for_token
from keguan.api.errors import ApiError, error_body
from keguan.audit.context import actor_for, current_actor


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            # API calls are attributed to the token's user in the audit trail.
            current_actor.set(actor_for(user, getattr(request, "client_address", None)))
        return user


api = NinjaAPI(
    title="keguan API",
    version="1",
    description="The REST API of keguan. Authenticate with `Authorization: Bearer <token>`; "
    "create a token with `keguan token create USERNAME` or on your account page.",
    auth=BearerToken(),
    urls_namespace="api",
)


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict


class ErrorOut(Schema):
    error: ErrorDetail


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return api.create_response(
        request, error_body(exc.code, exc.message, exc.fields), status=exc.status
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return api.create_response(
        request, error_body("unauthorized", _("A valid API token is required.")), status=401
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", []) if part not in ("body", "payload")]
        fields.setdefault(".".join(loc) or "__all__", []).append(item.get("msg", ""))
    return api.create_response(
        request, error_body("invalid", _("The request is not valid."), fields), status=422
    )


@api.exception_handler(ValidationError)
def _model_invalid(request, exc: ValidationError):
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(
        request, error_body("invalid", _("The request is not valid."), fields), status=422
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, error_body("error", str(exc)), status=exc.status_code)


from keguan.api import accounts as _accounts  # noqa: E402  (routes register on import)
from keguan.api import party as _party  # noqa: E402
from keguan.api import portal as _portal  # noqa: E402
from keguan.api import projects as _projects  # noqa: E402
from keguan.api import review as _review  # noqa: E402

api.add_router("", _accounts.router)
api.add_router("", _projects.router)
api.add_router("/review", _review.router)
api.add_router("/portal", _portal.router)
api.add_router("/party", _party.router)
