"""Petitions and reports, for the inspectors: a report about a named officer stays hidden
from that officer; due dates, one extension with a reason, assignment, the workflow."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.accounts.models import User
from keguan.api.portal.common import name_of, staff_only
from keguan.api.projects.common import allowed_actions_resolver, filtered, forbidden, invalid
from keguan.api.workflow import AllowedAction, add_action_endpoint
from keguan.core.access import get_visible
from keguan.portal import permissions, services
from keguan.portal.models import Petition
from keguan.portal.workflow import PETITION_WORKFLOW

router = Router()


class PetitionOut(Schema):
    id: int
    bureau_id: int
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    anonymous: bool
    name: str
    contact: str
    subject: str
    text: str
    concerns_name: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    state_note: str
    assigned_to_id: int | None
    assigned_to: str
    acknowledge_due: dt.date
    conclude_due: dt.date
    extension_reason: str
    overdue: bool = Field(
        description="Open past the date it is due to be acknowledged or concluded by"
    )
    reply: str
    submitted_at: dt.datetime
    acknowledged_at: dt.datetime | None
    concluded_at: dt.datetime | None
    allowed_actions: list[AllowedAction]

    resolve_allowed_actions = allowed_actions_resolver(PETITION_WORKFLOW)

    @staticmethod
    def resolve_assigned_to(petition: Petition) -> str:
        return name_of(petition.assigned_to)

    @staticmethod
    def resolve_overdue(petition: Petition) -> bool:
        today = timezone.localdate()
        if petition.state == Petition.State.RECEIVED:
            return today > petition.acknowledge_due
        return petition.state == Petition.State.ACKNOWLEDGED and today > petition.conclude_due


class ExtendIn(Schema):
    reason: str = ""


class AssignIn(Schema):
    assigned_to: int = Field(description="The inspector who handles it")


def _petitions(user):
    return permissions.visible_petitions(user).select_related("bureau", "assigned_to")


def _handled(request, petition_id: int) -> Petition:
    user = request.auth
    petition = get_visible(request, _petitions(user), petition_id)
    if not permissions.can_handle_petition(user, petition):
        raise forbidden(_("Petitions are handled by the bureau's inspectors."))
    return petition


@router.get(
    "/petitions",
    response=list[PetitionOut],
    summary="Petitions and reports of the jurisdiction (inspectors; never one naming you)",
)
@paginate(LimitOffsetPagination)
def list_petitions(request, state: str = "", kind: str = ""):
    staff_only(request, permissions.can_list_petitions, "portal.petitions")
    petitions = _petitions(request.auth).order_by("-submitted_at", "-pk")
    return filtered(petitions, state=state, kind=kind)


@router.get("/petitions/{petition_id}", response=PetitionOut, summary="One petition")
def get_petition(request, petition_id: int):
    return get_visible(request, _petitions(request.auth), petition_id)


@router.post(
    "/petitions/{petition_id}/extend",
    response=PetitionOut,
    summary="Extend the time to conclude once, by 30 days, with a reason",
)
def extend_petition(request, petition_id: int, body: ExtendIn):
    user = request.auth
    petition = _handled(request, petition_id)
    services.extend_petition(user, petition, body.reason)
    return _petitions(user).get(pk=petition.pk)


@router.post(
    "/petitions/{petition_id}/assign",
    response=PetitionOut,
    summary="Give the petition to an inspector of the jurisdiction",
)
def assign_petition(request, petition_id: int, body: AssignIn):
    user = request.auth
    petition = _handled(request, petition_id)
    handler = User.objects.filter(pk=body.assigned_to, is_active=True).first()
    if handler is None:
        raise invalid("assigned_to", _("Choose an inspector who may handle it."))
    services.assign_petition(user, petition, handler)
    return _petitions(user).get(pk=petition.pk)


add_action_endpoint(router, "petitions", PETITION_WORKFLOW, _petitions, PetitionOut)
