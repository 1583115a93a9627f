"""Draws: reproducible from the recorded seed, different with another, checked by anyone."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from keguan.audit import services as audit
from keguan.projects.models import Application
from keguan.review import services
from keguan.review.draws import drawing_order, seed_for
from keguan.review.models import Assignment, Draw, Expert
from keguan.review.workflow import ASSIGNMENT_WORKFLOW, EXPERT_WORKFLOW
from tests.projects.states import application_in
from tests.review.factories import drawn_round, live, make_pool, make_round

pytestmark = pytest.mark.django_db
A = Application.State


def test_the_draw_is_what_the_recorded_seed_gives(personas):
    application = application_in(personas, A.CHECKED)
    make_pool(personas.officer, 10)
    round = drawn_round(personas.officer, [application])
    draw = Draw.objects.get(round=round)
    assert draw.seed == seed_for(round, application.pk, 1)
    assert draw.result == drawing_order(draw.pool, draw.seed)[:5]
    assert list(live(round).values_list("expert_id", flat=True)) == draw.result[:3]
    assert services.verify_round(round) == []


def test_another_published_value_draws_other_experts(personas):
    application = application_in(personas, A.CHECKED)
    make_pool(personas.officer, 12)
    first = make_round(personas.officer, [application], seed_source="2026-11-20 福彩3D 581")
    pool = list(Expert.objects.order_by("pk").values_list("pk", flat=True))
    other_seed = seed_for(first, application.pk, 1).replace(
        seed_for(first, application.pk, 1), seed_for(first, application.pk, 2)
    )
    assert drawing_order(pool, seed_for(first, application.pk, 1)) != drawing_order(
        pool, other_seed
    )
    first.seed_source = "2026-11-21 福彩3D 072"
    assert seed_for(first, application.pk, 1) != other_seed


def test_too_few_eligible_experts_draws_nobody_and_says_so(personas):
    application = application_in(personas, A.CHECKED)
    make_pool(personas.officer, 2)
    round = make_round(personas.officer, [application])
    (draw,) = services.draw_round(personas.officer, round)
    assert draw.outcome == Draw.Outcome.TOO_FEW
    assert not Assignment.objects.filter(round=round).exists()
    assert services.verify_round(round) == []


def test_a_redraw_records_its_reason_and_a_new_seed(personas):
    application = application_in(personas, A.CHECKED)
    make_pool(personas.officer, 10)
    round = drawn_round(personas.officer, [application], open_review=False)
    before = set(live(round).values_list("pk", flat=True))
    services.redraw(personas.officer, round, application, "两位专家同日出差")
    second = Draw.objects.get(round=round, sequence=2)
    assert second.kind == Draw.Kind.REDRAW and second.reason == "两位专家同日出差"
    assert second.seed != Draw.objects.get(round=round, sequence=1).seed
    assert not before & set(live(round).values_list("pk", flat=True))
    assert live(round).count() == 3
    assert services.verify_round(round) == []


def test_a_refused_redraw_keeps_the_experts_and_is_on_the_trail(personas):
    application = application_in(personas, A.CHECKED)
    pool = make_pool(personas.officer, 5)
    round = drawn_round(personas.officer, [application], open_review=False)
    kept = list(live(round).values_list("pk", flat=True))
    drawn = set(live(round).values_list("expert_id", flat=True))
    for expert in [e for e in pool if e.pk not in drawn]:  # the two reserves
        EXPERT_WORKFLOW.apply(personas.officer, expert, "pause", {"note": "出国"})
    today = timezone.localdate()
    services.record_expert_penalty(
        personas.officer,
        live(round).first().expert,
        {"reason": "评审中泄露申报材料", "starts_on": today, "ends_on": today},
    )
    with pytest.raises(services.TooFewExperts):
        services.redraw(personas.officer, round, application, "再抽一次")
    refused = Draw.objects.get(round=round, sequence=2)
    assert refused.outcome == Draw.Outcome.TOO_FEW and refused.reason == "再抽一次"
    assert sorted(live(round).values_list("pk", flat=True)) == sorted(kept)
    assert services.verify_round(round) == []


def test_replacement_from_the_reserves_keeps_the_count(personas):
    application = application_in(personas, A.CHECKED)
    make_pool(personas.officer, 8)
    round = drawn_round(personas.officer, [application])
    for assignment in list(live(round))[:2]:
        ASSIGNMENT_WORKFLOW.apply(assignment.expert.user, assignment, "decline", {"note": "出差"})
    assert live(round).count() == 3
    third = live(round).first()
    ASSIGNMENT_WORKFLOW.apply(third.expert.user, third, "decline", {"note": "生病"})
    assert live(round).count() == 2  # no reserve left: the officer draws a supplement
    services.supplement(personas.officer, round, application, "备选专家已用完")
    assert live(round).count() == 3
    assert services.verify_round(round) == []


def test_verify_draw_names_the_first_difference_after_tampering(personas):
    application = application_in(personas, A.CHECKED)
    make_pool(personas.officer, 8)
    round = drawn_round(personas.officer, [application])
    out = io.StringIO()
    call_command("review", "verify-draw", str(round.pk), stdout=out)
    assert out.getvalue().startswith("ok")
    draw = Draw.objects.get(round=round)
    with audit.writing():
        Draw.objects.filter(pk=draw.pk).update(result=list(reversed(draw.result)))
        audit.record("test.tamper", obj=draw)
    differences = services.verify_round(round)
    assert differences and f"#{draw.pk}" in differences[0]
