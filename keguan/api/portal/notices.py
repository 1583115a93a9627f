"""Preparing and publishing notices, for the bureau's staff: drafts and their items
(officers), the workflow (publish, withdraw; the end comes by itself)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.api.portal.common import name_of, staff_only
from keguan.api.projects.common import (
    AmountIn,
    Yuan,
    allowed_actions_resolver,
    filtered,
    forbidden,
)
from keguan.api.workflow import AllowedAction, add_action_endpoint
from keguan.core.access import get_visible
from keguan.portal import permissions, services
from keguan.portal.models import Notice
from keguan.portal.workflow import NOTICE_WORKFLOW
from keguan.projects.permissions import visible_applications

router = Router()


class NoticeOut(Schema):
    id: int
    bureau_id: int
    bureau_name: str = Field(..., alias="bureau.name")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    title: str
    body: str
    working_days: int
    starts_on: dt.date | None
    ends_on: dt.date | None
    calendar_estimated: bool
    contact: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    state_note: str
    published_at: dt.datetime | None
    ended_at: dt.datetime | None
    created_by: str
    created_at: dt.datetime
    items_count: int
    allowed_actions: list[AllowedAction]

    resolve_allowed_actions = allowed_actions_resolver(NOTICE_WORKFLOW)

    @staticmethod
    def resolve_created_by(notice: Notice) -> str:
        return name_of(notice.created_by)

    @staticmethod
    def resolve_items_count(notice: Notice) -> int:
        count = getattr(notice, "items_count", None)
        return count if count is not None else notice.items.count()


class ItemOut(Schema):
    id: int
    application_id: int | None
    title: str
    unit: str
    person_name: str
    amount: Yuan | None
    detail: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    position: int


class NoticeDetailOut(NoticeOut):
    items: list[ItemOut]

    @staticmethod
    def resolve_items(notice: Notice) -> list:
        return list(notice.items.all())


class NoticePatch(Schema):
    kind: str | None = None
    title: str | None = None
    body: str | None = None
    working_days: int | None = None
    contact: str | None = None


class NoticeIn(NoticePatch):
    kind: str
    title: str = Field(..., min_length=1, max_length=200)


class ItemIn(Schema):
    title: str = ""
    unit: str = ""
    person_name: str = Field("", description="Only on notices of kinds that name people")
    amount: AmountIn | None = None
    detail: str = ""
    application: int | None = None


class ItemsIn(Schema):
    items: list[ItemIn]


def _notices(user):
    return permissions.visible_notices(user).select_related("bureau", "created_by")


def _managed(request, notice_id: int) -> Notice:
    user = request.auth
    notice = get_visible(request, _notices(user), notice_id)
    if not permissions.can_manage_notice(user, notice):
        raise forbidden(_("Notices are prepared by the bureau's officers."))
    return notice


def _data(body: NoticePatch) -> dict:
    data = body.dict(exclude_unset=True)
    for name in ("title", "body", "contact"):
        if name in data and data[name] is None:
            data[name] = ""
    return {k: v for k, v in data.items() if v is not None}


@router.get("/notices", response=list[NoticeOut], summary="Notices of the jurisdiction, drafts too")
@paginate(LimitOffsetPagination)
def list_notices(request, state: str = "", kind: str = ""):
    staff_only(request, permissions.can_list_notices, "portal.notices")
    notices = _notices(request.auth).annotate(items_count=Count("items"))
    return filtered(notices, state=state, kind=kind).order_by("-created_at", "-pk")


@router.get("/notices/{notice_id}", response=NoticeDetailOut, summary="One notice")
def get_notice(request, notice_id: int):
    return get_visible(request, _notices(request.auth), notice_id)


@router.post("/notices", response={201: NoticeDetailOut}, summary="Prepare a draft notice")
def create_notice(request, body: NoticeIn):
    user = request.auth
    staff_only(request, permissions.can_list_notices, "portal.notices")
    if not permissions.can_create_notice(user):
        raise forbidden(_("Notices are prepared by the bureau's officers."))
    notice = services.create_notice(user, _data(body))
    return Status(201, _notices(user).get(pk=notice.pk))


@router.patch("/notices/{notice_id}", response=NoticeDetailOut, summary="Change a draft notice")
def update_notice(request, notice_id: int, body: NoticePatch):
    user = request.auth
    notice = _managed(request, notice_id)
    services.update_notice(user, notice, _data(body))
    return _notices(user).get(pk=notice.pk)


@router.put(
    "/notices/{notice_id}/items",
    response=NoticeDetailOut,
    summary="Replace the items of a draft notice (a person's name only where the kind names "
    "people)",
)
def replace_items(request, notice_id: int, body: ItemsIn):
    user = request.auth
    notice = _managed(request, notice_id)
    wanted = {item.application for item in body.items if item.application is not None}
    found = visible_applications(user).in_bulk(list(wanted))
    items, errors = [], {}
    for index, item in enumerate(body.items, start=1):
        data = item.dict()
        if item.application is not None:
            data["application"] = found.get(item.application)
            if data["application"] is None:
                errors[f"items.{index}.application"] = [_("Choose among the records offered.")]
        items.append(data)
    if errors:
        raise ValidationError(errors)
    services.replace_items(user, notice, items)
    return _notices(user).get(pk=notice.pk)


add_action_endpoint(router, "notices", NOTICE_WORKFLOW, _notices, NoticeDetailOut)
