"""The units and experts an applicant asks to avoid: read by the unit and the bureau's
officers, changed by the unit while the application is still editable."""

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from keguan.api.projects.common import forbidden
from keguan.core.access import deny, get_visible
from keguan.projects.permissions import visible_applications
from keguan.review import permissions, services
from keguan.review.models import Avoidance

router = Router()


class AvoidanceItem(Schema):
    kind: str = Field(description="unit or expert")
    name: str
    unit: str = Field("", description="for an expert: their unit, to tell namesakes apart")
    reason: str


class AvoidancesIn(Schema):
    items: list[AvoidanceItem] = Field(max_length=Avoidance.MAX_PER_APPLICATION)


def _application(request, application_id: int):
    application = get_visible(request, visible_applications(request.auth), application_id)
    if not permissions.can_read_avoidances(request.auth, application):
        raise deny(request, "review.avoidances", application_id)
    return application


def _items(application) -> list[dict]:
    return list(application.avoidances.values("kind", "name", "unit", "reason"))


@router.get(
    "/applications/{application_id}/avoidances",
    response=list[AvoidanceItem],
    summary="Units or experts the applicant asks to avoid (never shown to experts)",
)
def list_avoidances(request, application_id: int):
    return _items(_application(request, application_id))


@router.put(
    "/applications/{application_id}/avoidances",
    response=list[AvoidanceItem],
    summary="Replace the list (at most three, with reasons) while the application is editable",
)
def replace_avoidances(request, application_id: int, body: AvoidancesIn):
    application = _application(request, application_id)
    if not permissions.can_edit_avoidances(request.auth, application):
        raise forbidden(_("Only the applying unit changes this list, while it may edit."))
    services.replace_avoidances(request.auth, application, [item.dict() for item in body.items])
    return _items(application)
