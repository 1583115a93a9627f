"""The expert pool: experts, their fields and declared relations, penalties, and the
pause/resume/remove/reinstate workflow. Phone and ID numbers are masked except to the
pool's managers (the officers)."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.accounts import permissions as accounts_permissions
from keguan.accounts.models import User
from keguan.accounts.services import mask_phone
from keguan.api.projects.common import allowed_actions_resolver, caller, filtered, forbidden
from keguan.api.projects.common import invalid as invalid_field
from keguan.api.workflow import AllowedAction, add_action_endpoint
from keguan.audit.services import mask_id_number
from keguan.core.access import get_visible
from keguan.review import permissions, services
from keguan.review.models import Expert, Relation
from keguan.review.workflow import EXPERT_WORKFLOW

router = Router()


def _unmasked(context) -> bool:
    return permissions.can_manage_experts(caller(context))


class ExpertOut(Schema):
    id: int
    bureau_id: int
    name: str
    unit: str
    organization_id: int | None
    title: str
    phone: str
    id_number: str
    user_id: int | None
    state: str
    state_note: str
    created_at: dt.datetime
    updated_at: dt.datetime
    allowed_actions: list[AllowedAction]

    resolve_allowed_actions = allowed_actions_resolver(EXPERT_WORKFLOW)

    @staticmethod
    def resolve_phone(expert: Expert, context) -> str:
        return expert.phone if _unmasked(context) else mask_phone(expert.phone)

    @staticmethod
    def resolve_id_number(expert: Expert, context) -> str:
        return expert.id_number if _unmasked(context) else mask_id_number(expert.id_number)


class FieldOut(Schema):
    discipline_code: str
    keywords: list[str]


class RelationOut(Schema):
    kind: str
    name: str
    id_number: str
    note: str

    @staticmethod
    def resolve_id_number(relation: Relation, context) -> str:
        if not relation.id_number or _unmasked(context):
            return relation.id_number
        return mask_id_number(relation.id_number)


class PenaltyOut(Schema):
    reason: str
    starts_on: dt.date
    ends_on: dt.date


class ExpertDetailOut(ExpertOut):
    fields: list[FieldOut]
    relations: list[RelationOut]
    penalties: list[PenaltyOut]

    @staticmethod
    def resolve_fields(expert: Expert) -> list:
        return list(expert.fields.all())

    @staticmethod
    def resolve_relations(expert: Expert) -> list:
        return list(expert.relations.all())

    @staticmethod
    def resolve_penalties(expert: Expert) -> list:
        return list(services.expert_penalties(expert).order_by("-starts_on", "pk"))


class ExpertPatch(Schema):
    name: str | None = None
    unit: str | None = None
    organization: int | None = None
    title: str | None = None
    phone: str | None = None
    id_number: str | None = None
    user: int | None = None


class ExpertIn(ExpertPatch):
    name: str = Field(..., min_length=1, max_length=50)
    unit: str = Field(..., min_length=1, max_length=200)
    id_number: str = Field(..., min_length=1, max_length=18)


class FieldIn(Schema):
    discipline_code: str = ""
    # A list, or one string separated by commas or 、.
    keywords: list[str] | str = []


class RelationIn(Schema):
    kind: str = ""
    name: str = ""
    id_number: str = ""
    note: str = ""


class PenaltyIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)
    starts_on: dt.date
    ends_on: dt.date


def _experts(user):
    return permissions.visible_experts(user).select_related("bureau")


def _detail(user):
    return _experts(user).prefetch_related("fields", "relations")


@router.get("/experts", response=list[ExpertOut], summary="The expert pool")
@paginate(LimitOffsetPagination)
def list_experts(request, state: str = "", q: str = "", discipline: str = ""):
    experts = _experts(request.auth).order_by("name", "pk")
    experts = filtered(experts, state=state, name__icontains=q)
    if discipline:
        experts = experts.filter(
            pk__in=Expert.objects.filter(fields__discipline_code__startswith=discipline).values(
                "pk"
            )
        )
    return experts


@router.get("/experts/{expert_id}", response=ExpertDetailOut, summary="One expert")
def get_expert(request, expert_id: int):
    return get_visible(request, _detail(request.auth), expert_id)


def _expert_data(user, body: ExpertPatch) -> dict:
    """Ids in BODY turned into the records they name, within the caller's jurisdiction."""
    data = body.dict(exclude_unset=True)
    if "organization" in data and data["organization"] is not None:
        organization = (
            accounts_permissions.visible_organizations(user).filter(pk=data["organization"]).first()
        )
        if organization is None:
            raise invalid_field("organization", _("Choose an organization of your jurisdiction."))
        data["organization"] = organization
    if "user" in data and data["user"] is not None:
        account = User.objects.filter(
            pk=data["user"], bureau__path__startswith=user.bureau.path
        ).first()
        if account is None:
            raise invalid_field("user", _("Choose an account of your jurisdiction."))
        data["user"] = account
    for name in ("name", "unit", "title", "phone", "id_number"):
        if name in data and data[name] is None:
            data[name] = ""
    return data


def _managed(request, expert_id: int) -> Expert:
    user = request.auth
    expert = get_visible(request, _experts(user), expert_id)
    if not permissions.can_manage_expert(user, expert):
        raise forbidden(_("The pool is kept by the bureau's officers."))
    return expert


@router.post("/experts", response={201: ExpertDetailOut}, summary="Add an expert to the pool")
def create_expert(request, body: ExpertIn):
    user = request.auth
    if not permissions.can_manage_experts(user):
        raise forbidden(_("The pool is kept by the bureau's officers."))
    expert = services.create_expert(user, _expert_data(user, body))
    return Status(201, _detail(user).get(pk=expert.pk))


@router.patch("/experts/{expert_id}", response=ExpertDetailOut, summary="Change an expert")
def update_expert(request, expert_id: int, body: ExpertPatch):
    user = request.auth
    expert = _managed(request, expert_id)
    services.update_expert(user, expert, _expert_data(user, body))
    return _detail(user).get(pk=expert.pk)


@router.put(
    "/experts/{expert_id}/fields",
    response=ExpertDetailOut,
    summary="Replace an expert's fields (each with at most five keywords)",
)
def replace_fields(request, expert_id: int, body: list[FieldIn]):
    user = request.auth
    expert = _managed(request, expert_id)
    services.replace_fields(user, expert, [item.dict() for item in body])
    return _detail(user).get(pk=expert.pk)


@router.put(
    "/experts/{expert_id}/relations",
    response=ExpertDetailOut,
    summary="Replace the relations an expert declared",
)
def replace_relations(request, expert_id: int, body: list[RelationIn]):
    user = request.auth
    expert = _managed(request, expert_id)
    services.replace_relations(user, expert, [item.dict() for item in body])
    return _detail(user).get(pk=expert.pk)


@router.post(
    "/experts/{expert_id}/penalties",
    response={201: ExpertDetailOut},
    summary="Record an integrity penalty: the expert is not drawn while it runs",
)
def record_penalty(request, expert_id: int, body: PenaltyIn):
    user = request.auth
    expert = _managed(request, expert_id)
    services.record_expert_penalty(user, expert, body.dict())
    return Status(201, _detail(user).get(pk=expert.pk))


add_action_endpoint(router, "experts", EXPERT_WORKFLOW, _detail, ExpertDetailOut)
