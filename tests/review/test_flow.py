"""The whole path through services: draw, pledge, score, close, meeting, release."""

from decimal import Decimal

from keguan.projects.models import Application
from keguan.review import services
from keguan.review.models import Assignment, Draw
from keguan.review.workflow import ASSIGNMENT_WORKFLOW, ROUND_WORKFLOW
from tests.projects.states import application_in, county_fund
from tests.review.factories import (
    drawn_round,
    leaders,
    live,
    make_pool,
    released_meeting,
    score_all,
)

A = Application.State


def test_a_county_application_goes_from_check_to_notice_through_review_and_meeting(personas):
    p = personas
    application = application_in(p, A.CHECKED)
    make_pool(p.officer, 6)
    round = drawn_round(p.officer, [application])
    assert live(round).count() == 3
    assert Assignment.objects.filter(round=round, state="reserve").count() == 2
    score_all(round, values=(8, 7, 9))
    round = ROUND_WORKFLOW.apply(p.officer, round, "close")
    application.refresh_from_db()
    assert application.state == A.REVIEWED
    assert application.review_score == Decimal("81.00")
    leaders(p, 2)
    released_meeting(
        p,
        [
            {
                "application": application,
                "outcome": "approve",
                "amount": "50000",
                "fund": county_fund(p.officer),
            }
        ],
    )
    application.refresh_from_db()
    assert application.state == A.IN_NOTICE
    assert services.verify_round(round) == []


def test_a_declared_conflict_hands_the_place_to_the_first_reserve(personas):
    p = personas
    application = application_in(p, A.CHECKED)
    make_pool(p.officer, 6)
    round = drawn_round(p.officer, [application])
    first = live(round).first()
    draw = Draw.objects.get(round=round)
    ASSIGNMENT_WORKFLOW.apply(first.expert.user, first, "declare_conflict", {"note": "曾合作"})
    assert live(round).count() == 3
    called = Assignment.objects.get(replaces=first)
    assert called.expert_id == draw.result[3]
