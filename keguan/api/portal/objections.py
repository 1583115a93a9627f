"""Objections to notices, for the bureau's staff. An objection's schema never names who
objected: the inspector and the officer handling it ask for the identity, one audit event
each time; anyone else gets a 404."""

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.api.portal.common import name_of, staff_only
from keguan.api.projects.common import allowed_actions_resolver, filtered
from keguan.api.workflow import AllowedAction, add_action_endpoint
from keguan.core.access import deny, get_visible
from keguan.portal import permissions, services
from keguan.portal.models import Objection
from keguan.portal.workflow import OBJECTION_WORKFLOW

router = Router()


class ObjectionOut(Schema):
    id: int
    notice_id: int
    notice_title: str = Field(..., alias="notice.title")
    item_id: int | None
    item_title: str
    objector: str = Field(description="person or organization; who it is: see /identity")
    objector_label: str = Field(..., alias="get_objector_display")
    text: str
    has_letter: bool
    state: str
    state_label: str = Field(..., alias="get_state_display")
    state_note: str
    reply: str
    handled_by_id: int | None
    handled_by: str
    submitted_at: dt.datetime
    answered_at: dt.datetime | None
    allowed_actions: list[AllowedAction]

    resolve_allowed_actions = allowed_actions_resolver(OBJECTION_WORKFLOW)

    @staticmethod
    def resolve_item_title(objection: Objection) -> str:
        return objection.item.title if objection.item is not None else ""

    @staticmethod
    def resolve_has_letter(objection: Objection) -> bool:
        return bool(objection.letter)

    @staticmethod
    def resolve_handled_by(objection: Objection) -> str:
        return name_of(objection.handled_by)


class IdentityOut(Schema):
    name: str
    contact: str
    organization_name: str
    legal_representative: str
    letter: bool = Field(description="Whether a sealed letter was uploaded (read on the web)")


def _objections(user):
    return permissions.visible_objections(user).select_related(
        "notice__bureau", "item", "handled_by"
    )


@router.get(
    "/objections",
    response=list[ObjectionOut],
    summary="Objections to the notices of the jurisdiction (without who objected)",
)
@paginate(LimitOffsetPagination)
def list_objections(request, state: str = "", notice: int = 0):
    staff_only(request, permissions.can_list_notices, "portal.objections")
    objections = _objections(request.auth).order_by("-submitted_at", "-pk")
    return filtered(objections, state=state, notice_id=notice or None)


@router.get("/objections/{objection_id}", response=ObjectionOut, summary="One objection")
def get_objection(request, objection_id: int):
    return get_visible(request, _objections(request.auth), objection_id)


@router.post(
    "/objections/{objection_id}/identity",
    response=IdentityOut,
    summary="Who objected: for the inspector and the officer handling it; each view is an "
    "audit event",
)
def reveal_identity(request, objection_id: int):
    user = request.auth
    objection = get_visible(request, _objections(user), objection_id)
    if not permissions.can_see_objector(user, objection):
        raise deny(request, "portal.objection.identity", objection_id)
    try:
        return services.reveal_objector(user, objection)
    except ValidationError:
        raise deny(request, "portal.objection.identity", objection_id) from None


add_action_endpoint(router, "objections", OBJECTION_WORKFLOW, _objections, ObjectionOut)
