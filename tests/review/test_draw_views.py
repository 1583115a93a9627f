"""The draw pages: drawing, the draw log with its exclusions, redraws, withdrawals, the
ranked list and its export, the check of the draws, and the approach reports."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from keguan.audit import services as audit
from keguan.audit.models import AuditEvent
from keguan.projects.models import Application
from keguan.review import services
from keguan.review.conflicts import RULES
from keguan.review.models import ApproachReport, Assignment, Draw
from keguan.review.workflow import ASSIGNMENT_WORKFLOW
from tests.factories import sign_in
from tests.projects.states import application_in
from tests.review.factories import drawn_round, live, make_expert, make_pool, make_round, score_all

A = Application.State


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def sealed(personas):
    """A sealed round over alice's checked application, a pool of six experts, and one
    more expert who works in alice's unit (so is excluded)."""
    p = personas
    application = application_in(p, A.CHECKED)
    pool = make_pool(p.officer, 6)
    insider = make_expert(p.officer, unit=p.org_a.name, name="甲单位专家")
    round = make_round(p.officer, [application], per_application=3, reserves=2)
    return round, application, pool, insider


def _draw(client, officer, round):
    sign_in(client, officer)
    return client.post(reverse("review:round_draw", args=[round.pk]), follow=True)


def test_drawing_a_round_tells_how_many_applications_were_drawn(client, personas, sealed, english):
    round, application, _pool, _insider = sealed
    response = _draw(client, personas.officer, round)
    assert response.redirect_chain[-1][0] == reverse("review:draw_log", args=[round.pk])
    assert "Experts were drawn for 1 application." in _messages(response)
    assert live(round).count() == 3
    assert Assignment.objects.filter(round=round, state="reserve").count() == 2


@pytest.mark.parametrize("who", ["officer", "inspector"])
def test_the_draw_log_explains_each_exclusion_to_the_officer_and_the_inspector(
    client, personas, sealed, english, who
):
    round, application, pool, insider = sealed
    services.draw_round(personas.officer, round)
    sign_in(client, getattr(personas, who))
    response = client.get(reverse("review:draw_log", args=[round.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert insider.name in page
    assert escape(str(RULES["same_unit"])) in page
    draw = Draw.objects.get(round=round)
    assert draw.seed in page
    for expert_id in draw.result:
        assert next(e.name for e in pool if e.pk == expert_id) in page
    # Only the officer gets the forms that change the draw.
    assert ("Redraw all experts" in page) is (who == "officer")


@pytest.mark.parametrize("who", ["applicant_a", "expert", "leader", "neighbour_officer"])
def test_the_draw_log_is_a_404_for_everyone_else(client, personas, sealed, who):
    round, _application, _pool, _insider = sealed
    services.draw_round(personas.officer, round)
    sign_in(client, getattr(personas, who))
    assert client.get(reverse("review:draw_log", args=[round.pk])).status_code == 404
    assert client.get(reverse("review:round_verify", args=[round.pk])).status_code == 404


def test_the_draw_log_of_an_expert_who_was_drawn_is_still_a_404(client, personas, sealed):
    round, _application, _pool, _insider = sealed
    services.draw_round(personas.officer, round)
    drawn = live(round).first().expert.user
    sign_in(client, drawn)
    assert client.get(reverse("review:draw_log", args=[round.pk])).status_code == 404


@pytest.mark.parametrize("who", ["applicant_a", "inspector", "leader"])
def test_only_the_officer_may_draw_and_nothing_is_drawn_otherwise(client, personas, sealed, who):
    round, _application, _pool, _insider = sealed
    sign_in(client, getattr(personas, who))
    assert client.post(reverse("review:round_draw", args=[round.pk])).status_code == 404
    assert not Draw.objects.filter(round=round).exists()
    assert not Assignment.objects.filter(round=round).exists()


def test_drawing_is_a_post(client, personas, sealed):
    round, _application, _pool, _insider = sealed
    sign_in(client, personas.officer)
    assert client.get(reverse("review:round_draw", args=[round.pk])).status_code == 405
    assert not Draw.objects.filter(round=round).exists()


def test_too_few_experts_is_said_with_the_counts_and_nobody_is_drawn(client, personas, english):
    p = personas
    application = application_in(p, A.CHECKED)
    make_pool(p.officer, 2)
    make_expert(p.officer, unit=p.org_a.name)
    round = make_round(p.officer, [application], per_application=3)
    response = _draw(client, p.officer, round)
    text = _messages(response)
    assert "Only 2 experts without a conflict remain" in text
    assert application.title in text
    assert "3 are needed. Nobody was drawn." in text
    assert not Assignment.objects.filter(round=round).exists()
    assert Draw.objects.get(round=round).outcome == Draw.Outcome.TOO_FEW
    page = client.get(reverse("review:draw_log", args=[round.pk])).content.decode()
    assert "Nobody was drawn." in page


def test_a_redraw_needs_a_reason_and_shows_as_a_second_draw(client, personas, sealed, english):
    round, application, _pool, _insider = sealed
    services.draw_round(personas.officer, round)
    first = set(live(round).values_list("pk", flat=True))
    sign_in(client, personas.officer)
    url = reverse("review:redraw", args=[round.pk, application.pk])

    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert Draw.objects.filter(round=round).count() == 1
    assert set(live(round).values_list("pk", flat=True)) == first

    response = client.post(url, {"reason": "抽中专家均在外地出差"}, follow=True)
    assert "draw 2" in _messages(response)
    second = Draw.objects.get(round=round, sequence=2)
    assert second.kind == Draw.Kind.REDRAW
    assert second.reason == "抽中专家均在外地出差"
    assert not first & set(live(round).values_list("pk", flat=True))
    page = client.get(reverse("review:draw_log", args=[round.pk])).content.decode()
    assert "抽中专家均在外地出差" in page
    assert "2 draws" in page
    assert "1 redraw" in page


def test_the_draw_log_query_count_does_not_grow_with_the_draws(client, personas):
    p = personas
    application = application_in(p, A.CHECKED)
    make_pool(p.officer, 8)
    make_expert(p.officer, unit=p.org_a.name)
    round = make_round(p.officer, [application], per_application=3)
    services.draw_round(p.officer, round)
    sign_in(client, p.officer)
    url = reverse("review:draw_log", args=[round.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for reason in ("第一次重抽", "第二次重抽", "第三次重抽"):
        services.redraw(p.officer, round, application, reason)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)


def test_the_officer_takes_an_expert_off_and_the_first_reserve_steps_in(
    client, personas, sealed, english
):
    round, _application, _pool, _insider = sealed
    services.draw_round(personas.officer, round)
    leaving = live(round).first()
    sign_in(client, personas.officer)
    url = reverse("review:assignment_withdraw", args=[leaving.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "联系不上"}, follow=True)
    assert "takes the place" in _messages(response)
    leaving.refresh_from_db()
    assert leaving.state == Assignment.State.RELEASED
    assert Assignment.objects.get(replaces=leaving).state == Assignment.State.INVITED
    assert live(round).count() == 3


def test_the_inspector_cannot_take_an_expert_off(client, personas, sealed):
    round, _application, _pool, _insider = sealed
    services.draw_round(personas.officer, round)
    leaving = live(round).first()
    sign_in(client, personas.inspector)
    url = reverse("review:assignment_withdraw", args=[leaving.pk])
    assert client.post(url, {"reason": "联系不上"}).status_code == 404
    leaving.refresh_from_db()
    assert leaving.state == Assignment.State.INVITED


def _scored_round(p):
    application = application_in(p, A.CHECKED)
    pool = make_pool(p.officer, 6)
    round = drawn_round(p.officer, [application])
    score_all(round, values=(8, 7, 9))
    return round, application, pool


def test_the_ranking_shows_scores_and_no_expert_names(client, personas):
    round, application, pool = _scored_round(personas)
    sign_in(client, personas.leader)
    response = client.get(reverse("review:ranking", args=[round.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert application.title in page
    assert "81.00" in page
    for expert in pool:
        assert expert.name not in page


def test_the_ranking_export_is_a_workbook_without_expert_names(client, personas):
    round, application, pool = _scored_round(personas)
    sign_in(client, personas.officer)
    response = client.get(reverse("review:ranking_export", args=[round.pk]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == 1
    assert rows[1][1] == application.title
    assert rows[1][3] == 3
    assert float(rows[1][5]) == 81.0
    cells = " ".join(str(value) for row in rows for value in row if value is not None)
    for expert in pool:
        assert expert.name not in cells
    assert AuditEvent.objects.filter(action="review.ranking.export").exists()


@pytest.mark.parametrize("who", ["applicant_a", "expert", "neighbour_officer"])
def test_the_ranking_is_a_404_outside_the_bureau(client, personas, who):
    round, _application, _pool = _scored_round(personas)
    sign_in(client, getattr(personas, who))
    assert client.get(reverse("review:ranking", args=[round.pk])).status_code == 404
    assert client.get(reverse("review:ranking_export", args=[round.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="review.ranking.export").exists()


def test_the_verify_page_says_ok_then_reports_a_tampered_draw(client, personas, sealed, english):
    round, _application, _pool, _insider = sealed
    services.draw_round(personas.officer, round)
    sign_in(client, personas.inspector)
    url = reverse("review:round_verify", args=[round.pk])
    page = client.get(url).content.decode()
    assert "The draw checks out." in page
    assert "SHA-256" in page

    draw = Draw.objects.get(round=round)
    # Someone with database access swaps the order (audit.writing insists on an event).
    with audit.writing():
        Draw.objects.filter(pk=draw.pk).update(result=list(reversed(draw.result)))
        audit.record("test.tamper", object_type="test")
    response = client.get(url)
    assert response.context["problems"]
    page = response.content.decode()
    assert "checks out" not in page
    assert f"#{draw.pk}" in page


def test_the_inspector_reads_approach_reports_and_the_officer_does_not(client, personas, english):
    p = personas
    application = application_in(p, A.CHECKED)
    make_pool(p.officer, 6)
    round = drawn_round(p.officer, [application])
    assignment = live(round).first()
    assignment = ASSIGNMENT_WORKFLOW.apply(assignment.expert.user, assignment, "pledge")
    services.report_approach(assignment.expert.user, assignment, "申报单位负责人来电请托")
    assert ApproachReport.objects.count() == 1
    url = reverse("review:approach_reports")
    sign_in(client, p.inspector)
    page = client.get(url).content.decode()
    assert "申报单位负责人来电请托" in page
    assert assignment.expert.name in page
    assert application.title in page
    for who in ("officer", "leader", "applicant_a"):
        sign_in(client, getattr(p, who))
        assert client.get(url).status_code == 404
