"""Expert pools, rounds and meetings for review tests, built through the services."""

import datetime as dt
import itertools

from django.utils import timezone

from keguan.accounts.roles import Role
from keguan.review import services
from keguan.review.models import Assignment, Round
from keguan.review.permissions import leadership_group
from keguan.review.workflow import ASSIGNMENT_WORKFLOW, MEETING_WORKFLOW, ROUND_WORKFLOW
from tests.factories import make_user
from tests.projects.factories import make_id_number

_numbers = itertools.count(1)

CRITERIA = [
    {"name": "创新性", "weight": 30, "max_score": 10},
    {"name": "可行性", "weight": 30, "max_score": 10},
    {"name": "示范带动", "weight": 40, "max_score": 10},
]


def make_expert(officer, unit="江西农业大学", name=None, relations=(), fields=("210",), **extra):
    """An active expert with an account, in the pool of OFFICER's bureau."""
    number = next(_numbers)
    user = make_user(f"expert{number}", [Role.EXPERT], officer.bureau)
    expert = services.create_expert(
        officer,
        {
            "name": name or f"专家{number}",
            "unit": unit,
            "title": "研究员",
            "phone": f"1390000{number:04d}",
            "id_number": extra.pop("id_number", None) or make_id_number(),
            "user": user,
            **extra,
        },
    )
    if fields:
        services.replace_fields(officer, expert, [{"discipline_code": c} for c in fields])
    if relations:
        services.replace_relations(officer, expert, list(relations))
    return expert


def make_pool(officer, count=8, units=None):
    units = units or [f"第{i}研究所" for i in range(1, count + 1)]
    return [make_expert(officer, unit=units[i % len(units)]) for i in range(count)]


def rubric_for(officer, call, **data):
    return services.replace_rubric(officer, call, data, CRITERIA)


def make_round(officer, applications, per_application=3, reserves=2, seal=True, **extra):
    """A round over APPLICATIONS (all of one call), with a rubric; sealed unless told."""
    call = applications[0].call
    if not hasattr(call, "rubric"):
        rubric_for(officer, call)
    round = services.create_round(
        officer,
        call,
        {
            "name": extra.pop("name", "第一轮评审"),
            "experts_per_application": per_application,
            "reserves": reserves,
            "review_deadline": extra.pop("review_deadline", timezone.now() + dt.timedelta(days=10)),
            "seed_source": extra.pop("seed_source", "2026-11-20 福彩3D 581"),
            **extra,
        },
    )
    services.set_entries(officer, round, applications)
    if seal:
        round = ROUND_WORKFLOW.apply(officer, round, "seal")
    return round


def drawn_round(officer, applications, open_review=True, **extra) -> Round:
    round = make_round(officer, applications, **extra)
    services.draw_round(officer, round)
    if open_review:
        round = ROUND_WORKFLOW.apply(officer, round, "open_review")
    return round


def live(round, application=None):
    qs = Assignment.objects.filter(round=round, state__in=Assignment.LIVE_STATES)
    if application is not None:
        qs = qs.filter(application=application)
    return qs.select_related("expert__user").order_by("application_id", "position")


def score_all(round, values=(8, 8, 8), recommendation="fund", comment="论证充分。"):
    """Every live expert of ROUND pledges and submits VALUES for the three criteria."""
    criteria = list(round.call.rubric.criteria.all())
    for assignment in live(round):
        user = assignment.expert.user
        if assignment.state == Assignment.State.INVITED:
            assignment = ASSIGNMENT_WORKFLOW.apply(user, assignment, "pledge")
        if assignment.state == Assignment.State.REVIEWING:
            services.save_sheet(
                user,
                assignment,
                {
                    "scores": {c.pk: v for c, v in zip(criteria, values, strict=True)},
                    "recommendation": recommendation,
                    "comment": comment,
                },
                submit=True,
            )


def leaders(p, count=2):
    """The leadership group of the county: personas.leader and COUNT-1 more."""
    extra = [
        make_user(f"leader{next(_numbers)}", [Role.LEADER], p.leader.bureau)
        for _ in range(count - 1)
    ]
    return [p.leader, *extra]


def released_meeting(p, decisions, attendees=None):
    """A meeting of the county with all its leaders present, DECISIONS staged (dicts for
    stage_decision) and released."""
    attendees = attendees or list(leadership_group(p.leader.bureau))
    meeting = services.create_meeting(
        p.leader,
        {"title": "局务会", "held_on": timezone.localdate(), "attendees": attendees},
    )
    for data in decisions:
        services.stage_decision(p.leader, meeting, {"votes_for": len(attendees), **data})
    return MEETING_WORKFLOW.apply(p.leader, meeting, "release")
