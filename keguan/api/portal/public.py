"""The public portal without a token: published notices, objections, petitions and their
tracking. Nothing here names a person except the award notices' items; no phone or ID
number, and never an objector's or a petitioner's identity."""

import datetime as dt

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.accounts.models import Bureau
from keguan.api.errors import ApiError
from keguan.api.portal.common import limit
from keguan.api.projects.common import Yuan, filtered, invalid
from keguan.portal import services
from keguan.portal.models import KINDS_NAMING_PEOPLE, Notice, NoticeItem, Objection, Petition

router = Router()


# Notices.
class PublicNoticeOut(Schema):
    id: int
    bureau_name: str = Field(..., alias="bureau.name")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    title: str
    body: str
    working_days: int
    starts_on: dt.date | None
    ends_on: dt.date | None
    calendar_estimated: bool = Field(
        description="The period's holidays were counted Monday to Friday: the official "
        "calendar of that year was not known yet"
    )
    contact: str = Field(description="The bureau's contact for objections")
    state: str
    state_label: str = Field(..., alias="get_state_display")
    published_at: dt.datetime | None
    ended_at: dt.datetime | None
    items_count: int
    accepts_objections: bool

    @staticmethod
    def resolve_items_count(notice: Notice) -> int:
        count = getattr(notice, "items_count", None)
        return count if count is not None else notice.items.count()

    @staticmethod
    def resolve_accepts_objections(notice: Notice) -> bool:
        return services.objection_refusal(notice) is None


class PublicItemOut(Schema):
    id: int
    title: str
    unit: str
    person_name: str = Field(description="Only on notices of kinds that name people (awards)")
    amount: Yuan | None
    detail: str
    state: str
    state_label: str = Field(..., alias="get_state_display")

    @staticmethod
    def resolve_person_name(item: NoticeItem) -> str:
        return item.person_name if item.notice.kind in KINDS_NAMING_PEOPLE else ""


class PublicNoticeDetailOut(PublicNoticeOut):
    objection_refusal: str | None = Field(
        description="Why the notice takes no objection now; null while it does"
    )
    items: list[PublicItemOut]

    @staticmethod
    def resolve_objection_refusal(notice: Notice) -> str | None:
        refusal = services.objection_refusal(notice)
        return str(refusal) if refusal else None

    @staticmethod
    def resolve_items(notice: Notice) -> list:
        items = list(notice.items.all())
        for item in items:
            item.notice = notice  # read by resolve_person_name without a query
        return items


def _public_notices():
    return Notice.objects.public().select_related("bureau")


@router.get(
    "/notices",
    response=list[PublicNoticeOut],
    auth=None,
    summary="Public notices, running and ended (no token needed)",
)
@paginate(LimitOffsetPagination)
def list_notices(request, kind: str = "", state: str = "", q: str = ""):
    notices = _public_notices().annotate(items_count=Count("items"))
    notices = filtered(notices, kind=kind, state=state, title__icontains=q.strip()[:100])
    return notices.order_by("-starts_on", "-pk")


def _public_notice(notice_id: int) -> Notice:
    notice = (
        _public_notices()
        .prefetch_related(Prefetch("items", queryset=NoticeItem.objects.order_by("position")))
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        raise Http404()
    return notice


@router.get(
    "/notices/{notice_id}",
    response=PublicNoticeDetailOut,
    auth=None,
    summary="One public notice with its items (no token needed)",
)
def get_notice(request, notice_id: int):
    return _public_notice(notice_id)


# Objections.
class ObjectionIn(Schema):
    objector: str = Field(
        Objection.Objector.PERSON,
        description="person; an organization objects on the web form, with its sealed letter",
    )
    name: str = Field("", description="Real name: anonymous objections are not accepted")
    contact: str = Field("", description="Phone or email")
    text: str = ""
    item: int | None = Field(None, description="The item objected to, if one")


class ObjectionReceiptOut(Schema):
    notice_id: int
    item_id: int | None
    state: str
    state_label: str = Field(..., alias="get_state_display")
    submitted_at: dt.datetime


@router.post(
    "/notices/{notice_id}/objections",
    response={201: ObjectionReceiptOut},
    auth=None,
    summary="Object to a running notice under a real name, with a contact (no token needed)",
)
def submit_objection(request, notice_id: int, body: ObjectionIn):
    notice = _public_notice(notice_id)
    limit(request, "objection")
    if body.objector == Objection.Objector.ORGANIZATION:
        message = _(
            "An organization's objection needs the scan of its sealed letter: please use the "
            "objection form on the notice's web page to upload it."
        )
        raise ApiError(422, "letter_required", message, {"letter": [message]})
    if body.objector != Objection.Objector.PERSON:
        raise invalid("objector", _("Choose among the options offered."))
    refusal = services.objection_refusal(notice)
    if refusal:
        raise ApiError(409, "invalid_state", str(refusal))
    data = body.dict(exclude={"item"})
    if body.item is not None:
        data["item"] = notice.items.filter(pk=body.item).first()
        if data["item"] is None:
            raise invalid("item", _("Choose an item of this notice."))
    objection = services.submit_objection(notice, data)
    return Status(201, objection)


# Petitions.
class PetitionIn(Schema):
    kind: str = Field(..., description="complaint, report or suggestion")
    anonymous: bool = False
    name: str = Field("", description="Required unless anonymous")
    contact: str = Field("", description="Phone or email (optional)")
    subject: str
    text: str
    concerns_name: str = Field("", description="The person the report is about, if one")
    bureau: int | None = Field(None, description="The bureau addressed; the county's if omitted")


class TrackOut(Schema):
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    subject: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    submitted_at: dt.datetime
    acknowledge_due: dt.date
    conclude_due: dt.date
    acknowledged_at: dt.datetime | None
    concluded_at: dt.datetime | None
    reply: str = Field(description="The answer, once the petition is concluded")

    @staticmethod
    def resolve_reply(petition: Petition) -> str:
        return petition.reply if petition.state == Petition.State.CONCLUDED else ""


class FiledOut(TrackOut):
    code: str = Field(
        description="The tracking code: shown this once, only its hash is kept; keep it"
    )


def _bureau(bureau_id: int | None) -> Bureau:
    if bureau_id is None:
        bureau = Bureau.objects.filter(level=Bureau.Level.COUNTY).order_by("path").first()
    else:
        bureau = Bureau.objects.filter(pk=bureau_id).first()
    if bureau is None:
        raise invalid("bureau", _("Choose among the records offered."))
    return bureau


@router.post(
    "/petitions",
    response={201: FiledOut},
    auth=None,
    summary="File a petition or report, named or anonymous; the answer holds its tracking "
    "code, shown this once (no token needed)",
)
def file_petition(request, body: PetitionIn):
    limit(request, "petition")
    bureau = _bureau(body.bureau)
    petition, code = services.file_petition(bureau, body.dict(exclude={"bureau"}))
    petition.code = code
    return Status(201, petition)


class TrackIn(Schema):
    code: str = Field(..., max_length=100)


@router.post(
    "/petitions/track",
    response=TrackOut,
    auth=None,
    summary="A petition's state, dates and reply by its tracking code (no token needed)",
)
def track_petition(request, body: TrackIn):
    limit(request, "lookup")
    petition: Petition | None = services.lookup(body.code)
    if petition is None:
        raise Http404()
    return petition
