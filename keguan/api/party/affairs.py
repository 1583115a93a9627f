"""/api/v1/party/ resources of the affairs area: disclosure items (with the shared workflow
shape; the review takes `data: {"confidential": true}`), honours, responsibility letters,
education activities, declarations of interest, the paired villages with their yearly
summaries, and disaster relief. The same predicates and services as the web pages."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.accounts.permissions import visible_organizations
from keguan.api.projects.common import Yuan, allowed_actions_resolver, forbidden, invalid
from keguan.api.workflow import AllowedAction, add_action_endpoint
from keguan.core.access import get_visible
from keguan.party.permissions import affairs as can
from keguan.party.permissions import branch_of, can_enter_party
from keguan.party.services import affairs as services
from keguan.party.services import affairs_integrity as integrity
from keguan.party.services import affairs_village as village_services
from keguan.party.workflow_affairs import DISCLOSURE_WORKFLOW

router = Router()


def _entered(user) -> None:
    if not can_enter_party(user):
        raise forbidden(_("The Party branch's records are for its members and inspectors."))


# Disclosure.
class DisclosureOut(Schema):
    id: int
    branch_id: int
    title: str
    body: str
    scope: str
    state: str
    state_note: str
    proposed_by_id: int
    reviewed_by_id: int | None
    approved_by_id: int | None
    published_by_id: int | None
    confidentiality_confirmed: bool
    published_at: dt.datetime | None
    notice_id: int | None
    created_at: dt.datetime
    allowed_actions: list[AllowedAction]

    resolve_allowed_actions = allowed_actions_resolver(DISCLOSURE_WORKFLOW)


class DisclosurePatch(Schema):
    title: str | None = Field(None, max_length=200)
    body: str | None = None
    scope: str | None = None


class DisclosureIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1)
    scope: str


def _disclosures(user):
    return can.visible_disclosures(user).order_by("-created_at", "-pk")


@router.get("/disclosures", response=list[DisclosureOut], summary="Disclosure items")
@paginate(LimitOffsetPagination)
def list_disclosures(request, state: str = ""):
    items = _disclosures(request.auth)
    return items.filter(state=state) if state else items


@router.get("/disclosures/{item_id}", response=DisclosureOut, summary="One disclosure item")
def get_disclosure(request, item_id: int):
    return get_visible(request, _disclosures(request.auth), item_id)


@router.post("/disclosures", response={201: DisclosureOut}, summary="Propose an item")
def propose_disclosure(request, body: DisclosureIn):
    if not can.can_propose_disclosure(request.auth):
        raise forbidden(_("Items are proposed by the branch committee."))
    return Status(201, services.propose_disclosure(request.auth, body.dict()))


@router.patch("/disclosures/{item_id}", response=DisclosureOut, summary="Change an item")
def update_disclosure(request, item_id: int, body: DisclosurePatch):
    item = get_visible(request, _disclosures(request.auth), item_id)
    if not can.can_edit_disclosure(request.auth, item):
        raise forbidden(_("Only the proposer changes a proposed or returned item."))
    data = {k: v for k, v in body.dict(exclude_unset=True).items() if v is not None}
    return services.update_disclosure(request.auth, item, data)


add_action_endpoint(router, "disclosures", DISCLOSURE_WORKFLOW, _disclosures, DisclosureOut)


# Honours.
class HonourOut(Schema):
    id: int
    year: int
    title: str
    granted_by: str
    recipient: str
    member_id: int | None
    person_name: str
    note: str


class HonourIn(Schema):
    year: int
    title: str = Field(..., min_length=1, max_length=200)
    granted_by: str = Field(..., min_length=1, max_length=200)
    recipient: str
    member: int | None = None
    person_name: str = ""
    note: str = ""


@router.get("/honours", response=list[HonourOut], summary="Honours of the bureau and its people")
@paginate(LimitOffsetPagination)
def list_honours(request):
    _entered(request.auth)
    return can.visible_honours(request.auth).order_by("-year", "pk")


@router.post("/honours", response={201: HonourOut}, summary="Record an honour")
def create_honour(request, body: HonourIn):
    user = request.auth
    if not can.can_manage_honours(user):
        raise forbidden(_("Honours are recorded by the secretary."))
    data = body.dict()
    if data["member"] is not None:
        member = services.branch_members(branch_of(user)).filter(pk=data["member"]).first()
        if member is None:
            raise invalid("member", _("Choose a member of the branch."))
        data["member"] = member
    return Status(201, services.create_honour(user, data))


# Clean government.
class CheckpointOut(Schema):
    checked_on: dt.date
    kind: str
    result: str
    note: str


class LetterItemOut(Schema):
    id: int
    text: str
    checkpoints: list[CheckpointOut]

    @staticmethod
    def resolve_checkpoints(item) -> list:
        return list(item.checkpoints.all())


class LetterOut(Schema):
    id: int
    year: int
    holder_id: int
    post: str
    signed_on: dt.date | None
    note: str
    items: list[LetterItemOut]

    @staticmethod
    def resolve_items(letter) -> list:
        return list(letter.items.all())


@router.get("/letters", response=list[LetterOut], summary="Responsibility letters")
@paginate(LimitOffsetPagination)
def list_letters(request, year: int | None = None):
    letters = (
        can.visible_letters(request.auth)
        .prefetch_related("items__checkpoints")
        .order_by("-year", "pk")
    )
    return letters.filter(year=year) if year else letters


@router.get("/letters/{letter_id}", response=LetterOut, summary="One responsibility letter")
def get_letter(request, letter_id: int):
    letters = can.visible_letters(request.auth).prefetch_related("items__checkpoints")
    return get_visible(request, letters, letter_id)


class ActivityOut(Schema):
    id: int
    held_on: dt.date
    kind: str
    title: str
    place: str
    attendee_ids: list[int]

    @staticmethod
    def resolve_attendee_ids(activity) -> list[int]:
        return [row.member_id for row in activity.attendance.all()]


@router.get("/education-activities", response=list[ActivityOut], summary="Education activities")
@paginate(LimitOffsetPagination)
def list_activities(request):
    activities = can.visible_activities(request.auth).prefetch_related("attendance")
    return activities.order_by("-held_on", "-pk")


class DeclarationOut(Schema):
    id: int
    declarant_id: int
    relative_name: str
    relation: str
    organization_id: int
    position: str
    starts_on: dt.date
    ends_on: dt.date | None


class DeclarationIn(Schema):
    relative_name: str = Field(..., min_length=1, max_length=50)
    relation: str
    organization: int
    position: str = ""
    starts_on: dt.date
    ends_on: dt.date | None = None


def _declaration_data(user, body: DeclarationIn) -> dict:
    data = body.dict()
    organization = visible_organizations(user).filter(pk=data["organization"]).first()
    if organization is None:
        raise invalid("organization", _("Choose an organization of your jurisdiction."))
    data["organization"] = organization
    return data


@router.get(
    "/declarations",
    response=list[DeclarationOut],
    summary="Declarations of interest: one's own; every one for the inspector",
)
@paginate(LimitOffsetPagination)
def list_declarations(request):
    return can.visible_declarations(request.auth).order_by("-starts_on", "-pk")


@router.post("/declarations", response={201: DeclarationOut}, summary="Declare an interest")
def declare_interest(request, body: DeclarationIn):
    user = request.auth
    if not can.can_declare(user):
        raise forbidden(_("Declarations are made by people working in a bureau."))
    return Status(201, integrity.declare_interest(user, _declaration_data(user, body)))


@router.put("/declarations/{declaration_id}", response=DeclarationOut, summary="Change one's own")
def update_declaration(request, declaration_id: int, body: DeclarationIn):
    user = request.auth
    declaration = get_visible(request, can.visible_declarations(user), declaration_id)
    if not can.can_change_declaration(user, declaration):
        raise forbidden(_("Only its author changes a declaration."))
    return integrity.update_declaration(user, declaration, _declaration_data(user, body))


# The paired village.
class SummaryOut(Schema):
    year: int
    visits: int
    households_visited: int
    aid_money: Yuan
    aid_goods: Yuan
    aid_total: Yuan
    plan_items: int
    plan_items_done: int
    relief_total: Yuan
    relief_count: int


class VillageOut(Schema):
    id: int
    name: str
    township: str
    households: int
    poor_households: int
    paired_since: dt.date | None


class VillageDetailOut(VillageOut):
    summaries: list[SummaryOut]

    @staticmethod
    def resolve_summaries(village) -> list[dict]:
        return [
            village_services.yearly_summary(village, year)
            for year in village_services.summary_years(village)
        ]


@router.get("/villages", response=list[VillageOut], summary="Paired villages")
@paginate(LimitOffsetPagination)
def list_villages(request):
    return can.visible_villages(request.auth).order_by("name", "pk")


@router.get(
    "/villages/{village_id}",
    response=VillageDetailOut,
    summary="One paired village with its yearly summaries",
)
def get_village(request, village_id: int):
    return get_visible(request, can.visible_villages(request.auth), village_id)


class ReliefOut(Schema):
    id: int
    given_on: dt.date
    disaster: str
    amount: Yuan
    goods: str
    contributors: int


@router.get("/relief", response=list[ReliefOut], summary="Disaster relief contributions")
@paginate(LimitOffsetPagination)
def list_relief(request):
    return can.visible_relief(request.auth).order_by("-given_on", "-pk")
