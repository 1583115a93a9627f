"""/me, /bureaus and /organizations: the same predicates and services as the web UI."""

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.accounts import permissions, services
from keguan.accounts.models import Organization
from keguan.accounts.workflow import ORGANIZATION_WORKFLOW
from keguan.api.errors import ApiError
from keguan.api.workflow import AllowedAction, add_action_endpoint, allowed_actions
from keguan.core.access import get_visible

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

    # Resolved per caller, so lists can stay querysets paginated in the database.
    @staticmethod
    def resolve_contact_phone(org: Organization, context) -> str:
        if permissions.can_see_contact_details(context["request"].auth, org):
            return org.contact_phone
        return services.mask_phone(org.contact_phone)

    @staticmethod
    def resolve_allowed_actions(org: Organization, context) -> list[dict]:
        return allowed_actions(ORGANIZATION_WORKFLOW, context["request"].auth, org)


class OrganizationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: Organization.Kind
    uscc: str = Field(..., min_length=18, max_length=18)
    address: str = ""
    legal_representative: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


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
    organizations = (
        permissions.visible_organizations(request.auth)
        .select_related("bureau")
        .order_by("name", "pk")
    )
    if q:
        organizations = organizations.filter(Q(name__icontains=q) | Q(uscc__icontains=q))
    if state:
        organizations = organizations.filter(state=state)
    if kind:
        organizations = organizations.filter(kind=kind)
    return organizations


def _visible_or_404(request, pk: int) -> Organization:
    """The caller's organization PK, or a 404 (audited, as on the web, when it exists)."""
    return get_visible(request, permissions.visible_organizations(request.auth), pk)


@router.get("/organizations/{org_id}", response=OrganizationOut, summary="One organization")
def get_organization(request, org_id: int):
    return _visible_or_404(request, org_id)


@router.post(
    "/organizations",
    response={201: OrganizationOut},
    summary="Register an organization in the caller's bureau",
)
def create_organization(request, body: OrganizationIn):
    user = request.auth
    if not permissions.can_create_organization(user):
        raise ApiError(403, "forbidden", _("You may not register organizations."))
    org = services.create_organization(user, user.bureau, body.dict())
    return Status(201, org)


@router.patch(
    "/organizations/{org_id}", response=OrganizationOut, summary="Change an organization's profile"
)
def update_organization(request, org_id: int, body: OrganizationIn):
    user = request.auth
    org = _visible_or_404(request, org_id)
    if not permissions.can_edit_organization(user, org):
        raise ApiError(403, "forbidden", _("You may not change this organization."))
    org = services.update_organization(user, org, body.dict())
    return org


add_action_endpoint(
    router,
    "organizations",
    ORGANIZATION_WORKFLOW,
    permissions.visible_organizations,
    OrganizationOut,
)
