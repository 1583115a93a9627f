"""/api/v1/party/ resources of the democratic evaluation: rounds (with the workflow
shape), one's own self-evaluation, casting one's secret ballot, and the results after the
close. There is no resource that reads a ballot: a cast ballot is never returned, not even
to its voter, and the results are counts per member."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.api.errors import ApiError
from keguan.api.projects.common import allowed_actions_resolver, forbidden
from keguan.api.workflow import AllowedAction, add_action_endpoint
from keguan.audit import services as audit
from keguan.core.access import deny, get_visible
from keguan.party.models import EvaluationRound, SelfEvaluation
from keguan.party.permissions import branch_of
from keguan.party.permissions import evaluation as can
from keguan.party.services import evaluation as services
from keguan.party.workflow_evaluation import ROUND_WORKFLOW

router = Router()


class RoundOut(Schema):
    id: int
    branch_id: int
    year: int
    name: str
    excellent_cap: int | None
    state: str
    state_note: str
    opened_on: dt.date | None
    closed_on: dt.date | None
    finished_on: dt.date | None
    allowed_actions: list[AllowedAction]
    # For the caller: whether they take part, and whether they have voted (never how).
    taking_part: bool
    voted: bool

    resolve_allowed_actions = allowed_actions_resolver(ROUND_WORKFLOW)

    @staticmethod
    def resolve_taking_part(round: EvaluationRound, context) -> bool:
        return can.participation(context["request"].auth, round) is not None

    @staticmethod
    def resolve_voted(round: EvaluationRound, context) -> bool:
        own = can.participation(context["request"].auth, round)
        return own is not None and can.has_voted(own.member, round)


class RoundIn(Schema):
    year: int
    name: str
    excellent_cap: int | None = None


class SelfEvaluationIn(Schema):
    text: str


class SelfEvaluationOut(Schema):
    round_id: int
    text: str
    updated_at: dt.datetime | None


class GradeIn(Schema):
    member: int
    grade: str


class BallotIn(Schema):
    grades: list[GradeIn]


class CastOut(Schema):
    voted: bool


class ResultOut(Schema):
    member_id: int
    member_name: str
    excellent_votes: int | None
    competent_votes: int | None
    basic_votes: int | None
    incompetent_votes: int | None
    final_grade: str
    final_reasons: str

    @staticmethod
    def resolve_member_name(participant) -> str:
        return participant.member.name


def _rounds(user):
    return can.visible_rounds(user).select_related("branch__bureau")


def _taking_part(request, round_id: int):
    round = get_visible(request, _rounds(request.auth), round_id)
    own = can.participation(request.auth, round)
    if own is None:
        raise deny(request, "party.evaluationround", round_id)
    return round, own


@router.get("/evaluation/rounds", response=list[RoundOut], summary="Evaluation rounds")
@paginate(LimitOffsetPagination)
def list_rounds(request):
    return _rounds(request.auth).order_by("-year", "-pk")


@router.get("/evaluation/rounds/{round_id}", response=RoundOut, summary="One evaluation round")
def get_round(request, round_id: int):
    return get_visible(request, _rounds(request.auth), round_id)


@router.post("/evaluation/rounds", response={201: RoundOut}, summary="Prepare a round")
def create_round(request, body: RoundIn):
    user = request.auth
    if not can.can_create_round(user):
        raise forbidden(_("Evaluation rounds are run by the branch secretary."))
    round = services.create_round(user, branch_of(user), body.dict())
    return Status(201, _rounds(user).get(pk=round.pk))


add_action_endpoint(router, "evaluation/rounds", ROUND_WORKFLOW, _rounds, RoundOut)


@router.get(
    "/evaluation/rounds/{round_id}/self-evaluation",
    response=SelfEvaluationOut,
    summary="Your own self-evaluation",
)
def get_self_evaluation(request, round_id: int):
    round, own = _taking_part(request, round_id)
    mine = SelfEvaluation.objects.filter(round=round, member=own.member).first()
    return {
        "round_id": round.pk,
        "text": mine.text if mine else "",
        "updated_at": getattr(mine, "updated_at", None),
    }


@router.put(
    "/evaluation/rounds/{round_id}/self-evaluation",
    response=SelfEvaluationOut,
    summary="Write your own self-evaluation (while the round is open)",
)
def put_self_evaluation(request, round_id: int, body: SelfEvaluationIn):
    round, own = _taking_part(request, round_id)
    mine = services.save_self_evaluation(request.auth, round, own.member, body.text)
    return {"round_id": round.pk, "text": mine.text, "updated_at": mine.updated_at}


@router.post(
    "/evaluation/rounds/{round_id}/ballot",
    response={201: CastOut},
    summary="Cast your secret ballot: a grade for every other member taking part",
)
def cast_ballot(request, round_id: int, body: BallotIn):
    round, own = _taking_part(request, round_id)
    grades = {}
    for item in body.grades:
        if item.member in grades:
            raise ApiError(422, "invalid", _("A member graded twice on one ballot."))
        grades[item.member] = item.grade
    services.cast_ballot(request.auth, round, own.member, grades)
    return Status(201, {"voted": True})


@router.get(
    "/evaluation/rounds/{round_id}/results",
    response=list[ResultOut],
    summary="Counted votes and final grades (after the close; a member: their own, once finished)",
)
def get_results(request, round_id: int):
    user = request.auth
    round = get_visible(request, _rounds(user), round_id)
    if can.can_read_results(user, round):
        audit.record("party.evaluation.result_view", obj=round, after={"members": "all"})
        return list(services.results(round))
    own = can.participation(user, round)
    if own is not None and can.can_read_result(user, own):
        return [own]
    raise deny(request, "party.evaluation.results", round_id)
