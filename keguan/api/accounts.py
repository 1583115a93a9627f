"""/me, /bureaus and /organizations: the same predicates and services as the web UI."""

from datetime import datetime

from django.db.models import Q
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.accounts import permissions, services
from keguan.accounts.models import Organization
from keguan.accounts.workflow import ORGANIZATION_WORKFLOW
from keguan.api.errors import ApiError
from keguan.api.workflow import AllowedAction, add_action_endpoint, allowed_actions

router = Router(tags=["accounts"])


class BureauOut(Schema):
    id: int
    region_code: str
    name: str
    level: str
    parent_id: int | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[str]
    bureau: BureauOut | None
    organization_id: int | None


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    uscc: str
    bureau_id: int
    address: str
    legal_representative: str
    contact_name: str
    contact_phone: str
    state: str
    allowed_actions: list[AllowedAction]
    updated_at: datetime


class OrganizationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: Organization.Kind
    uscc: str = Field(..., min_length=18, max_length=18)
    address: str = ""
    legal_representative: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


def serialize_organization(user, org: Organization) -> dict:
    show = permissions.can_see_contact_details(user, org)
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "uscc": org.uscc,
        "bureau_id": org.bureau_id,
        "address": org.address,
        "legal_representative": org.legal_representative,
        "contact_name": org.contact_name,
        "contact_phone": org.contact_phone if show else services.mask_phone(org.contact_phone),
        "state": org.state,
        "allowed_actions": allowed_actions(ORGANIZATION_WORKFLOW, user, org),
        "updated_at": org.updated_at,
    }


@router.get("/me", response=MeOut, summary="The caller's account")
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "roles": user.role_names(),
        "bureau": user.bureau,
        "organization_id": user.organization_id,
    }


@router.get("/bureaus", response=list[BureauOut], summary="Bureaus in the caller's jurisdiction")
@paginate(LimitOffsetPagination)
def list_bureaus(request):
    return permissions.visible_bureaus(request.auth).order_by("path")


@router.get(
    "/organizations", response=list[OrganizationOut], summary="Organizations the caller may see"
)
@paginate(LimitOffsetPagination)
def list_organizations(request, q: str = "", state: str = "", kind: str = ""):
    organizations = permissions.visible_organizations(request.auth).order_by("name", "pk")
    if q:
        organizations = organizations.filter(Q(name__icontains=q) | Q(uscc__icontains=q))
    if state:
        organizations = organizations.filter(state=state)
    if kind:
        organizations = organizations.filter(kind=kind)
    user = request.auth
    return [serialize_organization(user, org) for org in organizations]


def _visible_or_404(user, pk: int) -> Organization:
    org = permissions.visible_organizations(user).filter(pk=pk).first()
    if org is None:
        raise ApiError(404, "not_found", "Not found.")
    return org


@router.get("/organizations/{org_id}", response=OrganizationOut, summary="One organization")
def get_organization(request, org_id: int):
    return serialize_organization(request.auth, _visible_or_404(request.auth, org_id))


@router.post(
    "/organizations",
    response={201: OrganizationOut},
    summary="Register an organization in the caller's bureau",
)
def create_organization(request, body: OrganizationIn):
    user = request.auth
    if not permissions.can_create_organization(user):
        raise ApiError(403, "forbidden", "You may not register organizations.")
    org = services.create_organization(user, user.bureau, body.dict())
    return Status(201, serialize_organization(user, org))


@router.patch(
    "/organizations/{org_id}", response=OrganizationOut, summary="Change an organization's profile"
)
def update_organization(request, org_id: int, body: OrganizationIn):
    user = request.auth
    org = _visible_or_404(user, org_id)
    if not permissions.can_edit_organization(user, org):
        raise ApiError(403, "forbidden", "You may not change this organization.")
    org = services.update_organization(user, org, body.dict())
    return serialize_organization(user, org)


add_action_endpoint(
    router,
    "organizations",
    ORGANIZATION_WORKFLOW,
    permissions.visible_organizations,
    OrganizationOut,
    serialize_organization,
)
