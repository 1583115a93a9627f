"""Review rounds and the rubric of a call; the draws of a round, explained to the officer
and the inspector only; the ranked list (without experts' names); the check that every
recorded draw is what its seed gives."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.api.projects.common import (
    AmountIn,
    allowed_actions_resolver,
    aware,
    filtered,
    forbidden,
    invalid,
)
from keguan.api.review.common import Score, all_of
from keguan.api.workflow import AllowedAction, add_action_endpoint
from keguan.core.access import deny, get_visible
from keguan.projects import permissions as projects_permissions
from keguan.projects.models import Application, Call
from keguan.review import conflicts, permissions, services
from keguan.review.models import Draw, Expert, Round, Rubric
from keguan.review.ranking import ranked_entries
from keguan.review.workflow import ROUND_WORKFLOW

router = Router()


# The rubric of a call.
class CriterionOut(Schema):
    id: int
    name: str
    guidance: str
    weight: int
    max_score: int
    position: int


class RubricOut(Schema):
    call_id: int
    comment_at_or_above: Score
    comment_at_or_below: Score
    spread_limit: Score
    comments_to_applicants: bool
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_criteria(rubric: Rubric) -> list:
        return list(rubric.criteria.all())


class CriterionIn(Schema):
    name: str = ""
    guidance: str = ""
    weight: int | None = None
    max_score: int | None = None


class RubricIn(Schema):
    comment_at_or_above: AmountIn | None = None
    comment_at_or_below: AmountIn | None = None
    spread_limit: AmountIn | None = None
    comments_to_applicants: bool | None = None
    criteria: list[CriterionIn]


def _call(request, call_id: int) -> Call:
    return get_visible(request, projects_permissions.visible_calls(request.auth), call_id)


def _rubric(call: Call) -> Rubric:
    rubric = Rubric.objects.filter(call=call).first()
    if rubric is None:
        raise invalid("criteria", _("The call has no rubric yet."))
    return rubric


@router.get("/calls/{call_id}/rubric", response=RubricOut, summary="The rubric of a call")
def get_rubric(request, call_id: int):
    user = request.auth
    call = _call(request, call_id)
    if not permissions.can_list_rounds(user):
        raise deny(request, "review.rubric", call_id)
    rubric = Rubric.objects.filter(call=call).first()
    if rubric is None:
        raise deny(request, "review.rubric", call_id)
    return rubric


@router.put(
    "/calls/{call_id}/rubric",
    response=RubricOut,
    summary="Replace the rubric of a call (weights add up to 100; frozen once a round is sealed)",
)
def replace_rubric(request, call_id: int, body: RubricIn):
    user = request.auth
    call = _call(request, call_id)
    if not projects_permissions.can_manage_call(user, call):
        raise forbidden(_("The rubric is set by the bureau's officers."))
    data = {k: v for k, v in body.dict(exclude={"criteria"}).items() if v is not None}
    criteria = [item.dict() for item in body.criteria]
    return services.replace_rubric(user, call, data, criteria)


# Rounds.
class RoundOut(Schema):
    id: int
    bureau_id: int
    call_id: int
    call_title: str = Field(..., alias="call.title")
    name: str
    experts_per_application: int
    reserves: int
    disciplines: list[str]
    review_deadline: dt.datetime
    seed_source: str
    seed_published_where: str
    state: str
    state_note: str
    sealed_at: dt.datetime | None
    closed_at: dt.datetime | None
    created_at: dt.datetime
    allowed_actions: list[AllowedAction]

    resolve_allowed_actions = allowed_actions_resolver(ROUND_WORKFLOW)


class EntryOut(Schema):
    application_id: int
    title: str = Field(..., alias="application.title")
    organization_name: str = Field(..., alias="application.organization.name")
    score: Score | None


class RoundDetailOut(RoundOut):
    entries: list[EntryOut]

    @staticmethod
    def resolve_entries(round: Round) -> list:
        return list(round.entries.select_related("application__organization"))


class RoundPatch(Schema):
    name: str | None = None
    experts_per_application: int | None = None
    reserves: int | None = None
    disciplines: list[str] | None = None
    review_deadline: dt.datetime | None = None
    seed_source: str | None = None
    seed_published_where: str | None = None


class RoundIn(RoundPatch):
    call: int
    name: str = Field(..., min_length=1, max_length=100)
    review_deadline: dt.datetime


class EntriesIn(Schema):
    applications: list[int]


def _rounds(user):
    return permissions.visible_rounds(user).select_related("call", "bureau")


def _managed(request, round_id: int) -> Round:
    user = request.auth
    round = get_visible(request, _rounds(user), round_id)
    if not permissions.can_manage_round(user, round):
        raise forbidden(_("Rounds are run by the bureau's officers."))
    return round


def _round_data(body: RoundPatch) -> dict:
    data = aware(body.dict(exclude_unset=True), "review_deadline")
    for name in ("name", "seed_source", "seed_published_where"):
        if name in data and data[name] is None:
            data[name] = ""
    if "disciplines" in data and data["disciplines"] is None:
        data["disciplines"] = []
    return data


@router.get("/rounds", response=list[RoundOut], summary="Review rounds")
@paginate(LimitOffsetPagination)
def list_rounds(request, state: str = "", call: int = 0):
    rounds = _rounds(request.auth).order_by("-created_at", "-pk")
    return filtered(rounds, state=state, call_id=call or None)


@router.get("/rounds/{round_id}", response=RoundDetailOut, summary="One round")
def get_round(request, round_id: int):
    return get_visible(request, _rounds(request.auth), round_id)


@router.post("/rounds", response={201: RoundDetailOut}, summary="Prepare a review round")
def create_round(request, body: RoundIn):
    user = request.auth
    if not permissions.can_create_round(user):
        raise forbidden(_("Rounds are run by the bureau's officers."))
    data = _round_data(body)
    call = projects_permissions.visible_calls(user).filter(pk=data.pop("call")).first()
    if call is None or not projects_permissions.can_manage_call(user, call):
        raise invalid("call", _("Choose a call of your jurisdiction."))
    round = services.create_round(user, call, data)
    return Status(201, _rounds(user).get(pk=round.pk))


@router.patch("/rounds/{round_id}", response=RoundDetailOut, summary="Change a round")
def update_round(request, round_id: int, body: RoundPatch):
    user = request.auth
    round = _managed(request, round_id)
    services.update_round(user, round, _round_data(body))
    return _rounds(user).get(pk=round.pk)


@router.put(
    "/rounds/{round_id}/entries",
    response=RoundDetailOut,
    summary="Set the applications a round reviews (while it is being prepared)",
)
def set_entries(request, round_id: int, body: EntriesIn):
    user = request.auth
    round = _managed(request, round_id)
    applications = all_of(services.eligible_applications(round), body.applications, "applications")
    services.set_entries(user, round, applications)
    return _rounds(user).get(pk=round.pk)


add_action_endpoint(router, "rounds", ROUND_WORKFLOW, _rounds, RoundDetailOut)


# Draws.
class ExclusionOut(Schema):
    expert: int
    expert_name: str
    rules: list[str]
    rule_labels: list[str]
    detail: str


class DrawOut(Schema):
    id: int
    round_id: int
    application_id: int
    sequence: int
    kind: str
    reason: str
    wanted: int
    reserves: int
    seed: str
    pool: list[int]
    excluded: list[ExclusionOut]
    result: list[int]
    outcome: str
    drawn_by_id: int | None
    drawn_at: dt.datetime

    @staticmethod
    def resolve_excluded(draw: Draw, context) -> list[dict]:
        names = getattr(context["request"], "expert_names", {})
        return [
            {
                "expert": item["expert"],
                "expert_name": names.get(item["expert"], ""),
                "rules": list(item.get("rules") or []),
                "rule_labels": [str(conflicts.RULES.get(r, r)) for r in item.get("rules") or []],
                "detail": item.get("detail") or "",
            }
            for item in draw.excluded
        ]


class DrawsOut(Schema):
    round_id: int
    seed_source: str
    seed_published_where: str
    # Names of every expert the draws name (pool, exclusions, results), by id.
    experts: dict[int, str]
    draws: list[DrawOut]


class RedrawIn(Schema):
    application: int
    reason: str = ""


def _drawing(request, round_id: int) -> Round:
    """The round, for a caller who may read its draws (officer, inspector); else 404."""
    user = request.auth
    round = get_visible(request, _rounds(user), round_id)
    if not permissions.can_read_draws(user, round):
        raise deny(request, "review.draws", round_id)
    return round


def _draws_out(request, round: Round, draws) -> dict:
    draws = list(draws)
    ids = set()
    for draw in draws:
        ids.update(draw.pool)
        ids.update(draw.result)
        ids.update(item["expert"] for item in draw.excluded)
    names = dict(Expert.objects.filter(pk__in=ids).values_list("pk", "name"))
    request.expert_names = names  # read by DrawOut.resolve_excluded
    return {
        "round_id": round.pk,
        "seed_source": round.seed_source,
        "seed_published_where": round.seed_published_where,
        "experts": names,
        "draws": draws,
    }


@router.get(
    "/rounds/{round_id}/draws",
    response=DrawsOut,
    summary="Every recorded draw of a round: seed, pool, exclusions with their rules, result",
)
def list_draws(request, round_id: int, application: int = 0):
    round = _drawing(request, round_id)
    draws = permissions.visible_draws(request.auth).filter(round=round)
    draws = filtered(draws, application_id=application or None).order_by(
        "application_id", "sequence"
    )
    return _draws_out(request, round, draws)


@router.post(
    "/rounds/{round_id}/draw",
    response=DrawsOut,
    summary="Draw the experts of every application of the round not yet drawn",
)
def draw_round(request, round_id: int):
    user = request.auth
    round = _managed(request, round_id)
    draws = services.draw_round(user, round)
    return _draws_out(request, round, draws)


def _round_application(round: Round, application_id: int) -> Application:
    application = Application.objects.filter(pk=application_id, round_entries__round=round).first()
    if application is None:
        raise invalid("application", _("Choose an application of this round."))
    return application


@router.post(
    "/rounds/{round_id}/redraw",
    response=DrawsOut,
    summary="Release an application's experts and draw again, with the reason on record",
)
def redraw(request, round_id: int, body: RedrawIn):
    user = request.auth
    round = _managed(request, round_id)
    draw = services.redraw(user, round, _round_application(round, body.application), body.reason)
    return _draws_out(request, round, [draw])


@router.post(
    "/rounds/{round_id}/supplement",
    response=DrawsOut,
    summary="Draw the experts an application is missing once its reserves are used up",
)
def supplement(request, round_id: int, body: RedrawIn):
    user = request.auth
    round = _managed(request, round_id)
    draw = services.supplement(
        user, round, _round_application(round, body.application), body.reason
    )
    return _draws_out(request, round, [draw])


class VerifyOut(Schema):
    ok: bool
    draws: int
    differences: list[str]


@router.get(
    "/rounds/{round_id}/verify",
    response=VerifyOut,
    summary="Recompute every draw of the round from its recorded seed and compare",
)
def verify_round(request, round_id: int):
    round = _drawing(request, round_id)
    differences = services.verify_round(round)
    return {"ok": not differences, "draws": round.draws.count(), "differences": differences}


# The ranked list.
class RankedOut(Schema):
    rank: int | None  # None until a sheet is in
    application_id: int
    title: str
    organization_name: str
    sheets: int
    mean: Score | None
    low: Score | None
    high: Score | None
    spread: Score | None
    score: Score | None
    flagged: bool
    fund: int
    fund_with_changes: int
    do_not_fund: int


@router.get(
    "/rounds/{round_id}/ranking",
    response=list[RankedOut],
    summary="The ranked list of a round: totals, spread, recommendations (no experts' names)",
)
def ranking(request, round_id: int):
    user = request.auth
    round = get_visible(request, _rounds(user), round_id)
    if not permissions.can_read_ranking(user, round):
        raise deny(request, "review.ranking", round_id)
    rows = []
    for rank, entry in enumerate(ranked_entries(round), start=1):
        rows.append(
            {
                "rank": rank if entry.n else None,
                "application_id": entry.application_id,
                "title": entry.application.title,
                "organization_name": entry.application.organization.name,
                "sheets": entry.n,
                "mean": entry.mean,
                "low": entry.low,
                "high": entry.high,
                "spread": entry.spread,
                "score": entry.score_value,
                "flagged": bool(entry.flagged),
                "fund": entry.fund,
                "fund_with_changes": entry.fund_with_changes,
                "do_not_fund": entry.do_not_fund,
            }
        )
    return rows
