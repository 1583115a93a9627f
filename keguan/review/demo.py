"""The demo county's expert review: a pool of sixty, this year's rounds, the decision meetings.

- The pool: the seed's partner universities and institutes, the province's agricultural
  university and academy, the city's institute and the county's own senior engineers and
  agronomists (`demo_data`), each with an expert account. Their declared relations, the
  county units' cooperation agreements with the universities and one integrity penalty
  make the draws exclude experts for the reasons the conflict rules give.
- `review_round`, called by the projects demo for this year's closed county round: a round
  drawn with a published seed, every expert pledged and submitted scores with comments, the
  round closed, so its applications carry the round's score.
- `decide`, called by the projects demo for every county round, history included: one
  decision meeting of the leadership, its decisions staged with votes and released, which
  moves each application on through its own workflow.
- `load`, after the projects: the round in progress for the SME fund (a conflict declared
  and a reserve called, drafts, submitted sheets, an approach reported).

Everything goes through the services and workflows; loading is idempotent (what exists is
left as it is).
"""

import datetime as dt
import zlib
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import ric

from keguan.accounts import services as accounts
from keguan.accounts.models import Organization, User
from keguan.accounts.roles import Role
from keguan.audit.context import acting_as
from keguan.core.demo import COUNTY, DEMO_PASSWORD, ORGANIZATIONS, DemoAccount
from keguan.enterprises.models import Cooperation
from keguan.enterprises.services import create_cooperation
from keguan.projects.demo import _people
from keguan.projects.demo_data import NEW_ORGANIZATIONS, PROGRAMS
from keguan.projects.models import Application, Call, IntegrityPenalty
from keguan.review import services
from keguan.review.demo_data import (
    APPROACH_DETAIL,
    COMMENTS,
    CONFLICT_NOTE,
    COOPERATIONS,
    EXPERTS,
    PENALTY,
    RELATIONS,
    RUBRICS,
    SME_DISCIPLINES,
    UNITS,
)
from keguan.review.models import Assignment, Decision, Expert, Meeting, Round
from keguan.review.permissions import leadership_group
from keguan.review.workflow import ASSIGNMENT_WORKFLOW, MEETING_WORKFLOW, ROUND_WORKFLOW

S = Assignment.State
WAN = Decimal("10000")
# The five experts of an application score around the round's result: the trimmed mean
# (highest and lowest dropped) of these offsets is 0.
OFFSETS = [Decimal(x) for x in ("-3", "1.5", "0", "-1.5", "3")]


def _id_number(region: str, birth: str, sequence: int, sex: str) -> str:
    """A well-formed resident ID number (the check character computed, the sequence odd for
    men) that belongs to nobody: sequences from 500 up are used by no other demo table."""
    body = f"{region}{birth}{500 + 2 * sequence + (sex == 'M'):03d}"
    return body + ric.calc_check_digit(body + "0")  # the function skips the last character


def _fields(text: str) -> list[dict]:
    """'21040:水稻、香稻 220:经济林' → the expert's fields with their keywords."""
    fields = []
    for item in text.split():
        code, words = item.split(":")
        fields.append({"discipline_code": code, "keywords": words.split("、")})
    return fields


def pool_rows() -> list[dict]:
    """The experts of EXPERTS with username, unit, ID number and fields. The universities'
    people already in the projects demo's teams keep their ID numbers there."""
    known = _people()
    rows = []
    for index, line in enumerate(EXPERTS.strip().splitlines(), 1):
        name, sex, birth, unit, title, *fields = line.split()
        unit_name, region = UNITS[unit]
        rows.append(
            {
                "username": f"zj{index:02d}",
                "name": name,
                "unit": unit_name,
                "title": title,
                "phone": f"1357930{index:04d}",
                "id_number": known[name]["id_number"]
                if name in known
                else _id_number(region, birth, index, sex),
                "fields": _fields(" ".join(fields)),
            }
        )
    return rows


# The pool ----------------------------------------------------------------------------------
def ensure_pool(officer) -> None:
    """Create what is missing of the pool (experts with their accounts, fields and declared
    relations), the county units' cooperation agreements and the expert's penalty."""
    bureau = officer.bureau
    have = set(Expert.objects.filter(bureau=bureau).values_list("id_number", flat=True))
    rows = [row for row in pool_rows() if row["id_number"] not in have]
    units = {row["unit"] for row in rows}
    orgs = {}
    for org in Organization.objects.filter(name__in=units).order_by("-pk"):
        orgs[org.name] = org
    relations = {}
    people = _people()
    for expert_name, kind, name, note in RELATIONS:
        number = people[name]["id_number"] if kind == "relative" and name in people else ""
        relations.setdefault(expert_name, []).append(
            {"kind": kind, "name": name, "id_number": number, "note": note}
        )
    for row in rows:
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            user = accounts.create_user(
                None,
                username=row["username"],
                password=DEMO_PASSWORD,
                roles=[Role.EXPERT],
                bureau=bureau,
                full_name=row["name"],
                phone=row["phone"],
                must_change_password=False,
            )
        expert = services.create_expert(
            officer,
            {
                "name": row["name"],
                "unit": row["unit"],
                "organization": orgs.get(row["unit"]),
                "title": row["title"],
                "phone": row["phone"],
                "id_number": row["id_number"],
                "user": user,
            },
        )
        services.replace_fields(officer, expert, row["fields"])
        if row["name"] in relations:
            services.replace_relations(officer, expert, relations[row["name"]])
    _cooperations(officer)
    _penalty(officer)


def _unit_names() -> dict[str, str]:
    names = {key: name for key, name, *_rest in ORGANIZATIONS}
    names.update({key: name for key, name, *_rest in NEW_ORGANIZATIONS})
    return names


def _cooperations(officer) -> None:
    """Agreements signed within three years: the partner rule keeps their experts away."""
    names, today = _unit_names(), timezone.localdate()
    for key, partner_name, title, (years_ago, month, day), years in COOPERATIONS:
        organization = Organization.objects.filter(name=names[key]).order_by("pk").first()
        if (
            organization is None
            or (
                Cooperation.objects.filter(organization=organization, partner_name=partner_name)
            ).exists()
        ):
            continue
        signed = dt.date(today.year - years_ago, month, day)
        ends = signed.replace(year=signed.year + years) - dt.timedelta(days=1) if years else None
        create_cooperation(
            officer,
            {
                "organization": organization,
                "partner_name": partner_name,
                "partner": Organization.objects.filter(name=partner_name).order_by("pk").first(),
                "title": title,
                "signed_on": signed,
                "ends_on": ends,
            },
        )


def _penalty(officer) -> None:
    name, reason, days_ago, years = PENALTY
    expert = Expert.objects.get(bureau=officer.bureau, name=name)
    if IntegrityPenalty.objects.filter(id_number=expert.id_number).exists():
        return
    starts = timezone.localdate() - dt.timedelta(days=days_ago)
    services.record_expert_penalty(
        officer,
        expert,
        {
            "reason": reason,
            "starts_on": starts,
            "ends_on": starts.replace(year=starts.year + years),
        },
    )


# Rounds ------------------------------------------------------------------------------------
def _program_key(call: Call) -> str:
    return next(key for key, (name, *_rest) in PROGRAMS.items() if name == call.program.name)


def _stable(text: str, modulo: int) -> int:
    return zlib.crc32(text.encode()) % modulo


def _prepared_round(officer, call: Call, applications, deadline, disciplines=()) -> Round:
    """A round of CALL over APPLICATIONS with its rubric, sealed with a published seed,
    drawn and open to the experts."""
    key = _program_key(call)
    services.replace_rubric(
        officer,
        call,
        {"comments_to_applicants": True},
        [
            {"name": name, "guidance": guidance, "weight": weight, "max_score": top}
            for name, guidance, weight, top in RUBRICS.get(key, RUBRICS["county_plan"])
        ],
    )
    name = f"{call.year}年度{call.program.name}项目评审"
    round = services.create_round(
        officer,
        call,
        {
            "name": name,
            "experts_per_application": 5,
            "reserves": 2,
            "disciplines": list(disciplines),
            "review_deadline": deadline,
            "seed_source": f"{10000 + _stable(name, 90000)}",
            "seed_published_where": f"县科技局门户网站《关于{name}专家抽取的公告》,抽取前三日公布",
        },
    )
    services.set_entries(officer, round, applications)
    round = ROUND_WORKFLOW.apply(officer, round, "seal")
    services.draw_round(officer, round)
    return ROUND_WORKFLOW.apply(officer, round, "open_review")


def _sheet(assignment: Assignment, target: Decimal, complete: bool = True) -> dict:
    """Scores that give a total of TARGET plus the expert's offset; the two middle criteria
    (of equal weight) are tilted a little apart so the sheets don't all look alike."""
    criteria = list(assignment.round.call.rubric.criteria.all())
    total = target + OFFSETS[assignment.position % len(OFFSETS)]
    tilt = Decimal("0.3") * (assignment.position % 3 - 1)
    scores = {}
    for index, criterion in enumerate(criteria):
        value = total / 100 * criterion.max_score
        if index in (1, 2) and criteria[1].weight == criteria[2].weight:
            value += tilt if index == 1 else -tilt
        scores[criterion.pk] = min(value, Decimal(criterion.max_score)).quantize(Decimal("0.01"))
    if not complete:
        scores = dict(list(scores.items())[:2])
    if total >= 85:
        recommendation = Assignment.Recommendation.FUND
    elif total >= 72:
        recommendation = Assignment.Recommendation.FUND_WITH_CHANGES
    else:
        recommendation = Assignment.Recommendation.DO_NOT_FUND
    comments = COMMENTS[recommendation]
    return {
        "scores": scores,
        "recommendation": recommendation,
        "comment": comments[assignment.position % len(comments)],
    }


def _review(assignment: Assignment, target: Decimal, submit=True, complete=True) -> Assignment:
    """The expert signs the pledge and scores (submitted, or kept as a draft)."""
    user = assignment.expert.user
    with acting_as(user):
        assignment = ASSIGNMENT_WORKFLOW.apply(user, assignment, "pledge")
        return services.save_sheet(
            user, assignment, _sheet(assignment, target, complete), submit=submit
        )


def _invited(round: Round, application_id=None):
    assignments = Assignment.objects.filter(round=round, state=S.INVITED)
    if application_id is not None:
        assignments = assignments.filter(application_id=application_id)
    return list(assignments.select_related("expert__user").order_by("application_id", "position"))


def review_round(call: Call, applications: list[Application], scores: dict[int, Decimal]):
    """This year's closed county round, reviewed for real: drawn, every expert pledged and
    submitted scores whose trimmed mean is SCORES[application id], the round closed (so
    each application is reviewed with the round's score). Its deadline, an hour away, is
    one the experts all beat."""
    officer = User.objects.get(username="officer")
    ensure_pool(officer)
    round = _prepared_round(officer, call, applications, timezone.now() + dt.timedelta(hours=1))
    for assignment in _invited(round):
        _review(assignment, scores[assignment.application_id])
    return ROUND_WORKFLOW.apply(officer, round, "close")


# Decision meetings -------------------------------------------------------------------------
def decide(call: Call, decisions: list[dict], held_on: dt.date) -> Meeting:
    """The leadership's meeting on CALL's round: the leaders present (every one of the
    leadership group), each decision of DECISIONS ({application, outcome, amount, fund,
    note}) staged with their votes, then released, which moves each application on."""
    officer = User.objects.get(username="officer")
    leaders = list(leadership_group(call.bureau).order_by("pk"))
    outcomes = []
    for number, decision in enumerate(decisions, 1):
        if decision["outcome"] == Decision.Outcome.APPROVE:
            what = f"同意立项,资助{(decision['amount'] / WAN).normalize():f}万元"
        elif decision["outcome"] == Decision.Outcome.REJECT:
            what = "不予立项"
        else:
            what = "暂缓决定,待补充材料后再议"
        outcomes.append(f"{number}. {decision['application'].title}:{what}。")
    minutes = (
        f"{held_on.year}年{held_on.month}月{held_on.day}日召开局务会,领导班子应到{len(leaders)}"
        f"人,实到{len(leaders)}人。会议听取计划管理科关于{call.title}评审情况的汇报,"
        "逐项研究,形成决定如下:\n" + "\n".join(outcomes)
    )
    meeting = services.create_meeting(
        officer,
        {
            "title": f"{call.year}年度{call.program.name}项目立项局务会",
            "held_on": held_on,
            "minutes": minutes,
            "attendees": leaders,
            "rounds": list(Round.objects.filter(call=call, state=Round.State.CLOSED)),
        },
    )
    for decision in decisions:
        services.stage_decision(officer, meeting, {**decision, "votes_for": len(leaders)})
    with acting_as(leaders[0]):
        return MEETING_WORKFLOW.apply(leaders[0], meeting, "release")


# This year's round in progress ---------------------------------------------------------------
def load(stdout=None) -> list[DemoAccount]:
    """The pool, and the SME fund's round under review; return the account of an expert
    with a sheet in progress (to sign in as), the demo's password."""
    officer = User.objects.get(username="officer")
    with acting_as(officer):
        ensure_pool(officer)
        call = Call.objects.filter(
            bureau=officer.bureau,
            program__name=PROGRAMS["county_sme"][0],
            year=timezone.localdate().year,
        ).first()
        if call is None:
            return []
        round = Round.objects.filter(call=call).first()
        if round is None:
            if not Application.objects.filter(call=call, state=Application.State.CHECKED).exists():
                return []
            round = _open_round(officer, call)
    drafting = (
        Assignment.objects.filter(round=round, state=S.REVIEWING, approach_reports__isnull=True)
        .select_related("expert__user")
        .order_by("application_id", "position")
        .first()
    )
    if drafting is None:
        return []
    user = drafting.expert.user
    return [DemoAccount(user.username, user.full_name, (Role.EXPERT,), bureau=COUNTY)]


def _open_round(officer, call: Call) -> Round:
    """The SME fund reviews its applications as they pass the formal check: a round drawn
    from its disciplines, open until two weeks from now. Of each application's five: the
    first declares a conflict (the first reserve takes the place and has yet to pledge),
    the second has scored part of the sheet, the third and fourth submitted, the fifth
    has a full draft and reported an approach (请托)."""
    day = timezone.localdate() + dt.timedelta(days=14)
    deadline = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 17))
    applications = list(
        Application.objects.filter(call=call, state=Application.State.CHECKED).order_by("pk")
    )
    round = _prepared_round(officer, call, applications, deadline, SME_DISCIPLINES)
    for application in applications:
        target = Decimal(78 + _stable(application.title, 12)) + Decimal("0.5")
        first, second, third, fourth, fifth = _invited(round, application.pk)[:5]
        user = first.expert.user
        with acting_as(user):
            ASSIGNMENT_WORKFLOW.apply(user, first, "declare_conflict", {"note": CONFLICT_NOTE})
        _review(second, target, submit=False, complete=False)
        _review(third, target)
        _review(fourth, target)
        fifth = _review(fifth, target, submit=False)
        with acting_as(fifth.expert.user):
            services.report_approach(fifth.expert.user, fifth, APPROACH_DETAIL)
    return round
