"""/api/v1/party/ resources of the members area: members (ID numbers masked; revealed only
to the secretary by an audited call), the member workflow, and party dues.

The same predicates (`keguan.party.permissions`) and services as the pages: a member sees
their own record and dues; the secretary and inspectors see all; every read of another
member's record is an audit event.
"""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.accounts.models import User
from keguan.api.projects.common import allowed_actions_resolver, filtered, forbidden
from keguan.api.projects.common import invalid as invalid_field
from keguan.api.workflow import AllowedAction, add_action_endpoint
from keguan.core.access import get_visible
from keguan.party import permissions as can
from keguan.party.models import Member
from keguan.party.services import dues as dues_services
from keguan.party.services import members as services
from keguan.party.workflow_members import MEMBER_WORKFLOW

router = Router()


class MemberOut(Schema):
    id: int
    branch_id: int
    user_id: int | None
    name: str
    gender: str
    birth_date: dt.date | None
    # Always masked; POST /party/members/{id}/reveal-id gives the secretary the number.
    id_number: str = Field(..., alias="masked_id_number")
    joined_on: dt.date
    kind: str
    full_due_on: dt.date | None
    full_on: dt.date | None
    full_decision: str
    post: str
    group_id: int | None
    state: str
    transferred_on: dt.date | None
    transferred_to: str
    deceased_on: dt.date | None
    allowed_actions: list[AllowedAction]

    resolve_allowed_actions = allowed_actions_resolver(MEMBER_WORKFLOW)


class MemberPatch(Schema):
    name: str | None = None
    gender: str | None = None
    birth_date: dt.date | None = None
    id_number: str | None = None
    joined_on: dt.date | None = None
    full_due_on: dt.date | None = None
    post: str | None = None
    group: int | None = None
    user: int | None = None


class MemberIn(MemberPatch):
    name: str = Field(..., min_length=1, max_length=50)
    gender: str
    id_number: str = Field(..., min_length=1, max_length=18)
    joined_on: dt.date
    kind: str = Member.Kind.PROBATIONARY


class RevealedOut(Schema):
    id: int
    id_number: str


class DuesOut(Schema):
    id: int
    member_id: int
    month: dt.date
    income: Decimal
    amount: Decimal
    paid_on: dt.date | None


class DuesIn(Schema):
    member: int
    # YYYY-MM
    month: str = Field(..., min_length=7, max_length=10)
    income: Decimal = Field(..., ge=0)


class PaidIn(Schema):
    paid_on: dt.date | None = None


def _members(user):
    return can.visible_members(user).select_related("branch")


@router.get("/members", response=list[MemberOut], summary="The branch's members")
@paginate(LimitOffsetPagination)
def list_members(request, state: str = "", kind: str = "", q: str = ""):
    members = _members(request.auth).order_by("name", "pk")
    return filtered(members, state=state, kind=kind, name__icontains=q)


@router.get("/members/{member_id}", response=MemberOut, summary="One member (read audited)")
def get_member(request, member_id: int):
    member = get_visible(request, _members(request.auth), member_id)
    services.record_view(request.auth, member)
    return member


def _member_data(branch, body: MemberPatch) -> dict:
    data = body.dict(exclude_unset=True)
    if data.get("group") is not None:
        group = branch.groups.filter(pk=data["group"]).first()
        if group is None:
            raise invalid_field("group", _("Party group: choose a group of this branch."))
        data["group"] = group
    if data.get("user") is not None:
        account = User.objects.filter(pk=data["user"], bureau=branch.bureau_id).first()
        if account is None:
            raise invalid_field("user", _("Account: choose an account of this bureau."))
        data["user"] = account
    for name in ("name", "post", "gender", "id_number"):
        if name in data and data[name] is None:
            data[name] = ""
    return data


def _managed(request, member_id: int) -> Member:
    member = get_visible(request, _members(request.auth), member_id)
    if not can.can_manage_member(request.auth, member):
        raise forbidden(_("Members are kept by the branch secretary."))
    return member


@router.post("/members", response={201: MemberOut}, summary="Add a member")
def create_member(request, body: MemberIn):
    user = request.auth
    if not can.can_manage_members(user):
        raise forbidden(_("Members are kept by the branch secretary."))
    branch = can.branch_of(user)
    member = services.create_member(user, branch, _member_data(branch, body))
    return Status(201, _members(user).get(pk=member.pk))


@router.patch("/members/{member_id}", response=MemberOut, summary="Change a member's record")
def update_member(request, member_id: int, body: MemberPatch):
    member = _managed(request, member_id)
    services.update_member(request.auth, member, _member_data(member.branch, body))
    return _members(request.auth).get(pk=member.pk)


@router.post(
    "/members/{member_id}/reveal-id",
    response=RevealedOut,
    summary="The full ID number, for the secretary (the reveal is audited)",
)
def reveal_id_number(request, member_id: int):
    member = get_visible(request, _members(request.auth), member_id)
    if not can.can_reveal_id_number(request.auth, member):
        raise forbidden(_("Only the branch secretary may see an ID number in full."))
    return {"id": member.pk, "id_number": services.reveal_id_number(request.auth, member)}


# Payload `data`: {"on": "YYYY-MM-DD", "destination": "..."}; become_full's note is the
# branch decision.
add_action_endpoint(router, "members", MEMBER_WORKFLOW, _members, MemberOut)


# Dues.
@router.get("/dues", response=list[DuesOut], summary="Party dues (one's own, or the branch's)")
@paginate(LimitOffsetPagination)
def list_dues(request, month: str = "", member: int | None = None, unpaid: bool = False):
    records = can.visible_dues(request.auth).order_by("-month", "member__name", "pk")
    if month:
        records = records.filter(month=dues_services.parse_month(month))
    if unpaid:
        records = records.filter(paid_on__isnull=True)
    return filtered(records, member_id=member)


@router.post("/dues", response={201: DuesOut}, summary="Declare a month's income")
def declare_income(request, body: DuesIn):
    user = request.auth
    member = get_visible(request, _members(user), body.member)
    if not can.can_declare_income(user, member):
        raise forbidden(_("Members declare their own income; the secretary anyone's."))
    record = dues_services.declare_income(user, member, body.month, body.income)
    return Status(201, record)


@router.post("/dues/{record_id}/paid", response=DuesOut, summary="Mark a month's dues paid")
def mark_paid(request, record_id: int, body: PaidIn):
    user = request.auth
    record = get_visible(request, can.visible_dues(user), record_id)
    if not can.can_manage_dues(user):
        raise forbidden(_("The dues book is kept by the branch secretary."))
    return dues_services.mark_paid(user, record, body.paid_on)
