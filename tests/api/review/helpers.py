"""A review round built through the services, where one expert's assignments are in every
state: invited, conflicted, declined, released and reserve."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from keguan.projects.workflow import APPLICATION_WORKFLOW
from keguan.review import services
from keguan.review.draws import drawing_order, seed_for
from keguan.review.models import Assignment, Round
from keguan.review.workflow import ASSIGNMENT_WORKFLOW, ROUND_WORKFLOW
from tests.projects.factories import make_call, submitted_application
from tests.review.factories import make_pool, rubric_for

PER_APPLICATION, RESERVES = 3, 2


def checked_applications(p, count: int, call=None):
    """COUNT applications of alice's unit to one call, past the formal check."""
    call = call or make_call(p.officer, max_per_organization=count)
    return [
        APPLICATION_WORKFLOW.apply(
            p.officer, submitted_application(p.applicant_a, call), "pass_check"
        )
        for _ in range(count)
    ]


def _seed_where(round: Round, applications, expert_id: int, pool: list[int], wanted) -> str:
    """A published value whose draws put EXPERT_ID among the reviewers (True) or the
    reserves (False) of each application, as WANTED says; searched before the seal."""
    for attempt in range(5000):
        round.seed_source = f"2026-11-20 福彩3D {attempt:04d}"
        good = True
        for application, reviewer in zip(applications, wanted, strict=True):
            order = drawing_order(pool, seed_for(round, application.pk, 1))
            position = order.index(expert_id)
            if (position < PER_APPLICATION) != reviewer:
                good = False
                break
        if good:
            return round.seed_source
    raise AssertionError("no seed found")


def expert_in_every_state(p):
    """Five applications of one call, a pool of five experts, three per application and two
    reserves. Expert X is a reviewer of applications 0-3 and a reserve of application 4;
    X declares a conflict on 0, declines 1, is withdrawn from 2 and holds 3."""
    applications = checked_applications(p, 5)
    call = applications[0].call
    rubric_for(p.officer, call)
    experts = make_pool(p.officer, PER_APPLICATION + RESERVES)
    x = experts[0]
    round = services.create_round(
        p.officer,
        call,
        {
            "name": "接口评审",
            "experts_per_application": PER_APPLICATION,
            "reserves": RESERVES,
            "review_deadline": timezone.now() + dt.timedelta(days=10),
            "seed_source": "pending",
        },
    )
    services.set_entries(p.officer, round, applications)
    seed = _seed_where(
        round,
        applications,
        x.pk,
        sorted(e.pk for e in experts),
        [True, True, True, True, False],
    )
    services.update_round(p.officer, round, {"seed_source": seed})
    round = ROUND_WORKFLOW.apply(p.officer, round, "seal")
    services.draw_round(p.officer, round)
    round = ROUND_WORKFLOW.apply(p.officer, round, "open_review")

    def mine(application):
        return Assignment.objects.get(round=round, application=application, expert=x)

    conflicted = ASSIGNMENT_WORKFLOW.apply(
        x.user, mine(applications[0]), "declare_conflict", {"note": "曾在该单位兼职。"}
    )
    declined = ASSIGNMENT_WORKFLOW.apply(
        x.user, mine(applications[1]), "decline", {"note": "时间冲突。"}
    )
    services.withdraw_assignment(p.officer, mine(applications[2]), "联系不上。")
    released = mine(applications[2])
    held = mine(applications[3])
    reserve = mine(applications[4])
    assert [conflicted.state, declined.state, released.state, held.state, reserve.state] == [
        "conflict",
        "declined",
        "released",
        "invited",
        "reserve",
    ]
    return SimpleNamespace(
        round=round,
        call=call,
        applications=applications,
        experts=experts,
        x=x,
        conflicted=conflicted,
        declined=declined,
        released=released,
        held=held,
        reserve=reserve,
    )
