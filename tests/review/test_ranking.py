"""The ranked list: weighted totals, mean or trimmed mean, spread, all from the database."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from keguan.projects.models import Application
from keguan.review import services
from keguan.review.ranking import ranked_entries
from keguan.review.workflow import ASSIGNMENT_WORKFLOW, ROUND_WORKFLOW
from tests.projects.states import application_in
from tests.review.factories import drawn_round, live, make_pool

pytestmark = pytest.mark.django_db
A = Application.State


def score(round, sheets):
    """Each live expert in turn pledges and submits the next (scores, comment) of SHEETS."""
    criteria = list(round.call.rubric.criteria.all())
    for assignment, values in zip(live(round), sheets, strict=False):
        user = assignment.expert.user
        assignment = ASSIGNMENT_WORKFLOW.apply(user, assignment, "pledge")
        services.save_sheet(
            user,
            assignment,
            {
                "scores": {c.pk: v for c, v in zip(criteria, values, strict=True)},
                "recommendation": "fund",
                "comment": "评审意见。",
            },
            submit=True,
        )


def test_the_weighted_total_of_a_sheet_is_out_of_a_hundred(personas):
    application = application_in(personas, A.CHECKED)
    make_pool(personas.officer, 5)
    round = drawn_round(personas.officer, [application], reserves=0)
    score(round, [(10, 5, 7.5)])
    sheet = live(round).get(state="submitted")
    assert sheet.total == Decimal("75.00")  # 30*1 + 30*0.5 + 40*0.75


def test_five_sheets_give_the_trimmed_mean_and_flag_a_wide_spread(personas):
    application = application_in(personas, A.CHECKED)
    make_pool(personas.officer, 7)
    round = drawn_round(personas.officer, [application], per_application=5, reserves=0)
    score(round, [(6, 6, 6), (7, 7, 7), (8, 8, 8), (9, 9, 9), (10, 10, 10)])
    (entry,) = ranked_entries(round)
    assert entry.n == 5
    assert entry.mean == 80
    assert entry.score_value == 80  # (70 + 80 + 90) / 3
    assert entry.spread == 40 and entry.flagged
    round = ROUND_WORKFLOW.apply(personas.officer, round, "close")
    application.refresh_from_db()
    assert application.state == A.REVIEWED and application.review_score == Decimal("80.00")


def test_the_trimmed_mean_drops_only_the_highest_and_the_lowest(personas):
    application = application_in(personas, A.CHECKED)
    make_pool(personas.officer, 7)
    round = drawn_round(personas.officer, [application], per_application=5, reserves=0)
    score(round, [(2, 2, 2), (8, 8, 8), (8, 8, 8), (9, 9, 9), (10, 10, 10)])
    (entry,) = ranked_entries(round)
    assert entry.mean == 74
    assert round_to_cents(entry.score_value) == Decimal("83.33")  # (80 + 80 + 90) / 3


def test_three_sheets_give_the_plain_mean_and_a_close_spread_is_not_flagged(personas):
    application = application_in(personas, A.CHECKED)
    make_pool(personas.officer, 5)
    round = drawn_round(personas.officer, [application])
    score(round, [(8, 8, 8), (8, 9, 8), (9, 9, 9)])
    (entry,) = ranked_entries(round)
    assert entry.n == 3
    assert entry.score_value == entry.mean
    assert not entry.flagged


def test_a_round_closes_only_when_every_application_has_three_sheets(personas):
    application = application_in(personas, A.CHECKED)
    make_pool(personas.officer, 5)
    round = drawn_round(personas.officer, [application])
    score(round, [(8, 8, 8), (8, 9, 8)])
    from keguan.core.workflow import TransitionError

    deadline = timezone.localtime(round.review_deadline).strftime("%Y-%m-%d %H:%M")
    with pytest.raises(TransitionError, match=deadline):  # still inside the deadline
        ROUND_WORKFLOW.apply(personas.officer, round, "close")
    after_deadline = time_machine.travel(round.review_deadline + dt.timedelta(minutes=1))
    with after_deadline, pytest.raises(TransitionError, match="3"):
        ROUND_WORKFLOW.apply(personas.officer, round, "close")
    application.refresh_from_db()
    assert application.state == A.CHECKED


def test_the_ranking_takes_the_same_queries_for_one_or_many_applications(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from keguan.projects.workflow import APPLICATION_WORKFLOW
    from tests.projects.factories import make_call, submitted_application

    make_pool(personas.officer, 6)
    counts = []
    for size in (1, 3):
        call = make_call(personas.officer, max_per_organization=3)
        applications = [
            APPLICATION_WORKFLOW.apply(
                personas.officer, submitted_application(personas.applicant_a, call), "pass_check"
            )
            for _ in range(size)
        ]
        round = drawn_round(personas.officer, applications)
        score(round, [(8, 8, 8)] * 3 * size)
        with CaptureQueriesContext(connection) as queries:
            assert len(list(ranked_entries(round))) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def round_to_cents(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))
