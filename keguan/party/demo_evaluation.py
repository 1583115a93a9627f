"""Demo data of the democratic evaluation: last year's round finished (everyone voted, final
grades given, members told), this year's round open with some members having voted.
Everything goes through the services and the workflow; loading twice changes nothing."""

import datetime as dt
import random

from django.utils import timezone

from keguan.accounts.models import User
from keguan.accounts.roles import Role
from keguan.party.models import EvaluationRound, Grade, Member
from keguan.party.services import evaluation as services
from keguan.party.workflow_evaluation import ROUND_WORKFLOW

G = Grade
SELF_TEXT = (
    "本年度认真学习党的理论，按时参加组织生活和三会一课，按时足额交纳党费；"
    "立足科技管理岗位，服务企业和基层，完成了所承担的工作任务。"
    "不足是理论联系实际不够，今后加强学习，改进作风。"
)
COMMENT_TEXT = "工作认真负责，能够团结同志，希望在业务学习上更加深入。"


def _ballot(rng, round, voter) -> dict:
    """A plausible ballot: mostly 合格, a few 优秀 within the cap, now and then 基本合格."""
    others = list(round.participants.exclude(member=voter).values_list("member_id", flat=True))
    grades = {pk: G.COMPETENT for pk in others}
    for pk in rng.sample(others, min(round.excellent_cap or 0, len(others))):
        grades[pk] = G.EXCELLENT
    if rng.random() < 0.2:
        grades[rng.choice(others)] = G.BASIC
    return grades


def _take_part(rng, round, members, voters) -> None:
    for i, member in enumerate(members):
        services.save_self_evaluation(member.user, round, member, SELF_TEXT)
        if i % 3 == 0:
            subject = members[(i + 1) % len(members)]
            services.save_peer_comment(member.user, round, member, subject.pk, COMMENT_TEXT)
    for member in voters:
        services.cast_ballot(member.user, round, member, _ballot(rng, round, member))


def _final_grades(round) -> dict:
    """The branch's decision follows the votes: the most 优秀 votes, up to the cap, are 优秀."""
    participants = list(round.participants.select_related("member"))
    best = sorted(participants, key=lambda p: -(p.excellent_votes or 0))[: round.excellent_cap]
    rows = {}
    for p in participants:
        if p in best and p.excellent_votes:
            rows[p.member_id] = (G.EXCELLENT, "民主测评优秀票较多，全年工作成绩突出。")
        else:
            rows[p.member_id] = (G.COMPETENT, "能够履行党员义务，完成本职工作。")
    return rows


def load(branch, today: dt.date | None = None) -> None:
    """Last year's finished round and this year's open one for BRANCH (once)."""
    today = today or timezone.localdate()
    if EvaluationRound.objects.filter(branch=branch, year=today.year - 1).exists():
        return
    secretary = User.objects.filter(
        bureau_id=branch.bureau_id, is_active=True, role_grants__role=Role.PARTY_SECRETARY
    ).first()
    if secretary is None:
        return
    rng = random.Random(f"evaluation-{branch.pk}-{today.year}")  # noqa: S311  (demo data)
    members = list(Member.objects.active().filter(branch=branch).order_by("pk"))

    last = services.create_round(
        secretary,
        branch,
        {"year": today.year - 1, "name": f"{today.year - 1}年度民主评议党员"},
    )
    last = ROUND_WORKFLOW.apply(secretary, last, "open")
    _take_part(rng, last, members, members)
    last = ROUND_WORKFLOW.apply(secretary, last, "close")
    services.set_final_grades(secretary, last, _final_grades(last))
    ROUND_WORKFLOW.apply(secretary, last, "finish")

    current = services.create_round(
        secretary, branch, {"year": today.year, "name": f"{today.year}年度民主评议党员"}
    )
    current = ROUND_WORKFLOW.apply(secretary, current, "open")
    # Some have voted; the members with accounts other than the first are left to vote in
    # the demo themselves.
    with_account = [m for m in members if m.user_id]
    keep_for_demo = set(m.pk for m in with_account[:2])
    voters = [m for m in members[: len(members) // 2] if m.pk not in keep_for_demo]
    _take_part(rng, current, [m for m in members if m.pk not in keep_for_demo], voters)
