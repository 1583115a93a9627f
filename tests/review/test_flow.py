"""The whole path through services: draw, pledge, score, close, meeting, release."""

from decimal import Decimal

import pytest

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


def test_a_meeting_revokes_an_approval_in_notice_and_only_that(personas):
    """A decision changes only through a new meeting: it may revoke an approval still in
    public notice, and nothing else can be staged for that application."""
    from django.core.exceptions import ValidationError

    from tests.projects.states import application_in, draft_meeting, stage

    p = personas
    in_notice = application_in(p, A.IN_NOTICE)
    reviewed = application_in(p, A.REVIEWED, applicant=p.applicant_b)
    meeting = draft_meeting(p.leader, "第二次局务会")
    with pytest.raises(ValidationError) as refused:
        stage(p.leader, meeting, in_notice, "50000", county_fund(p.officer))
    assert "outcome" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        stage(p.leader, meeting, reviewed, outcome="revoke")
    assert "outcome" in refused.value.message_dict
    stage(p.leader, meeting, in_notice, outcome="revoke")
    from keguan.review.workflow import MEETING_WORKFLOW

    MEETING_WORKFLOW.apply(p.leader, meeting, "release")
    in_notice.refresh_from_db()
    assert in_notice.state == A.REJECTED


def test_staging_refuses_more_than_the_fund_has_left_for_the_meeting(personas):
    from django.core.exceptions import ValidationError

    from keguan.review.models import Decision
    from tests.projects.factories import make_fund
    from tests.projects.states import draft_meeting, stage

    p = personas
    fund = make_fund(p.officer, amount="100000")
    first = application_in(p, A.REVIEWED)
    second = application_in(p, A.REVIEWED, applicant=p.applicant_b)
    meeting = draft_meeting(p.leader)
    stage(p.leader, meeting, first, "80000", fund)
    with pytest.raises(ValidationError) as refused:
        stage(p.leader, meeting, second, "30000", fund)
    assert "20000" in " ".join(refused.value.message_dict["amount"])
    assert Decision.objects.filter(meeting=meeting).count() == 1
