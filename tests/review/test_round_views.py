"""Review rounds through the web: who may open which page, preparing and sealing a round,
what a sealed round refuses, and the list's query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keguan.audit.models import AuditEvent
from keguan.projects.workflow import APPLICATION_WORKFLOW
from keguan.review import services
from keguan.review.models import Criterion, Round, RoundEntry, Rubric
from tests.factories import sign_in
from tests.projects.factories import make_application, make_call
from tests.projects.states import application_in, row
from tests.review.factories import drawn_round, make_pool, make_round

pytestmark = pytest.mark.django_db

READERS = ["officer", "leader", "inspector"]
OUTSIDERS = ["applicant_a", "expert", "neighbour_officer"]


def in_ten_days() -> str:
    return (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")


def round_form_data(call=None, **changes) -> dict:
    data = {
        "name": "2030年度第一轮评审",
        "experts_per_application": "5",
        "reserves": "2",
        "disciplines": "210， 230",
        "review_deadline": in_ten_days(),
        "seed_source": "2030-03-01 福彩3D 581",
        "seed_published_where": "中国福利彩票官网",
    }
    if call is not None:
        data["call"] = str(call.pk)
    data.update(changes)
    return data


def rubric_form_data(rows, **thresholds) -> dict:
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "comment_at_or_above": "90",
        "comment_at_or_below": "60",
        "spread_limit": "20",
    }
    for index, (name, weight, max_score) in enumerate(rows):
        data.update(
            {
                f"criteria-{index}-name": name,
                f"criteria-{index}-guidance": "",
                f"criteria-{index}-weight": str(weight),
                f"criteria-{index}-max_score": str(max_score),
            }
        )
    data.update(thresholds)
    return data


@pytest.fixture
def draft_round(personas):
    application = application_in(personas, "checked")
    return make_round(personas.officer, [application], seal=False)


def page_urls(round) -> dict:
    return {
        "detail": reverse("review:round_detail", args=[round.pk]),
        "edit": reverse("review:round_edit", args=[round.pk]),
        "entries": reverse("review:round_entries", args=[round.pk]),
        "rubric": reverse("review:rubric_edit", args=[round.call_id]),
    }


# Who may open what.
@pytest.mark.parametrize("persona", READERS)
def test_bureau_staff_see_the_round_list_and_the_round(client, personas, draft_round, persona):
    sign_in(client, getattr(personas, persona))
    response = client.get(reverse("review:round_list"))
    assert response.status_code == 200
    assert draft_round in list(response.context["page"])
    assert client.get(page_urls(draft_round)["detail"]).status_code == 200


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_applicants_experts_and_neighbours_get_404_on_every_round_page(
    client, personas, draft_round, persona
):
    sign_in(client, getattr(personas, persona))
    for name, url in page_urls(draft_round).items():
        assert client.get(url).status_code == 404, name
    before = row(draft_round)
    response = client.post(
        reverse("review:round_action", args=[draft_round.pk]),
        {"action": "cancel", "note": "不再评审。", "expected_state": "draft"},
    )
    assert response.status_code == 404
    assert row(draft_round) == before


def test_the_neighbour_officer_does_not_find_our_round_in_the_list(client, personas, draft_round):
    sign_in(client, personas.neighbour_officer)
    response = client.get(reverse("review:round_list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == []


def test_the_officer_opens_every_page_of_a_round(client, personas, draft_round):
    sign_in(client, personas.officer)
    for name, url in page_urls(draft_round).items():
        assert client.get(url).status_code == 200, name
    assert client.get(reverse("review:round_create")).status_code == 200


@pytest.mark.parametrize("persona", ["leader", "inspector"])
def test_leaders_and_inspectors_only_read_a_round(client, personas, draft_round, persona):
    sign_in(client, getattr(personas, persona))
    urls = page_urls(draft_round)
    response = client.get(urls["detail"])
    assert response.status_code == 200
    assert response.context["actions"] == []
    assert not response.context["can_edit"]
    for name in ("edit", "entries", "rubric"):
        assert client.get(urls[name]).status_code == 404, name
    assert client.get(reverse("review:round_create")).status_code == 404
    before = row(draft_round)
    response = client.post(
        reverse("review:round_action", args=[draft_round.pk]),
        {"action": "cancel", "note": "不再评审。", "expected_state": "draft"},
    )
    assert response.status_code == 404
    assert row(draft_round) == before
    response = client.post(urls["edit"], round_form_data(name="改名"))
    assert response.status_code == 404
    assert row(draft_round) == before


def test_the_round_page_counts_assignments_without_naming_experts(client, personas, draft_round):
    sign_in(client, personas.leader)
    response = client.get(page_urls(draft_round)["detail"])
    entries = list(response.context["entries"])
    assert [(e.live, e.submitted) for e in entries] == [(0, 0)]


# Preparing and sealing a round.
def test_officer_creates_fills_and_seals_a_round(client, personas, english):
    application = application_in(personas, "checked")
    call = application.call
    sign_in(client, personas.officer)

    response = client.post(reverse("review:round_create"), round_form_data(call))
    round = Round.objects.get(call=call)
    assert response.status_code == 302
    assert response["Location"] == reverse("review:round_entries", args=[round.pk])
    assert round.state == Round.State.DRAFT
    assert round.disciplines == ["210", "230"]
    assert round.bureau == personas.officer.bureau
    assert round.experts_per_application == 5

    response = client.get(reverse("review:round_entries", args=[round.pk]))
    assert application in list(response.context["applications"])
    response = client.post(
        reverse("review:round_entries", args=[round.pk]), {"applications": [application.pk]}
    )
    assert response.status_code == 302
    assert list(round.entries.values_list("application_id", flat=True)) == [application.pk]

    rubric_url = reverse("review:rubric_edit", args=[call.pk]) + f"?round={round.pk}"
    response = client.post(
        rubric_url, rubric_form_data([("创新性", 30, 10), ("可行性", 30, 10), ("效益", 40, 10)])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("review:round_detail", args=[round.pk])
    assert list(
        Criterion.objects.filter(rubric__call=call).values_list("name", "weight", "max_score")
    ) == [("创新性", 30, 10), ("可行性", 30, 10), ("效益", 40, 10)]

    response = client.post(
        reverse("review:round_action", args=[round.pk]),
        {"action": "seal", "expected_state": "draft"},
    )
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.state == Round.State.SEALED
    assert round.sealed_at is not None
    event = AuditEvent.objects.filter(object_type="review.round", object_id=str(round.pk)).latest(
        "seq"
    )
    assert event.action == "review.round.seal"
    assert event.after["seed_source"] == "2030-03-01 福彩3D 581"

    response = client.get(reverse("review:round_detail", args=[round.pk]))
    assert response.context["can_draw"]
    assert not response.context["can_edit"]
    assert not response.context["can_edit_rubric"]
    assert reverse("review:round_draw", args=[round.pk]).encode() in response.content


def test_fewer_than_three_experts_per_application_is_refused(client, personas, english):
    application = application_in(personas, "checked")
    sign_in(client, personas.officer)
    response = client.post(
        reverse("review:round_create"),
        round_form_data(application.call, experts_per_application="2"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["experts_per_application"]
    assert not Round.objects.exists()


def test_a_call_of_the_neighbour_county_cannot_be_chosen(client, personas, english):
    neighbour_call = make_call(personas.neighbour_officer)
    sign_in(client, personas.officer)
    response = client.post(reverse("review:round_create"), round_form_data(neighbour_call))
    assert response.status_code == 200
    assert response.context["form"].errors["call"]
    assert not Round.objects.exists()


def test_sealing_without_seed_value_tells_why_and_changes_nothing(
    client, personas, draft_round, english
):
    services.update_round(personas.officer, draft_round, {"seed_source": ""})
    before = row(draft_round)
    sign_in(client, personas.officer)
    response = client.post(
        reverse("review:round_action", args=[draft_round.pk]),
        {"action": "seal", "expected_state": "draft"},
        follow=True,
    )
    assert "Enter the published seed value before sealing." in response.content.decode()
    assert row(draft_round) == before


def test_rubric_weights_not_adding_up_to_100_are_refused_with_the_sum(
    client, personas, draft_round, english
):
    sign_in(client, personas.officer)
    before = list(Criterion.objects.filter(rubric__call=draft_round.call).values_list("name"))
    response = client.post(
        reverse("review:rubric_edit", args=[draft_round.call_id]),
        rubric_form_data([("创新性", 30, 10), ("可行性", 30, 10)]),
    )
    assert response.status_code == 200
    assert "The weights add up to 60; they must add up to 100." in response.context["top_errors"]
    assert response.context["weight_total"] == 60
    assert (
        list(Criterion.objects.filter(rubric__call=draft_round.call).values_list("name")) == before
    )


def test_a_bad_criterion_row_gets_its_own_error(client, personas, draft_round, english):
    sign_in(client, personas.officer)
    response = client.post(
        reverse("review:rubric_edit", args=[draft_round.call_id]),
        rubric_form_data([("创新性", 60, 10), ("可行性", 40, 0)]),
    )
    assert response.status_code == 200
    rows = response.context["criteria"].forms
    assert not rows[0].errors
    assert rows[1].errors["max_score"]


# A sealed round holds still.
def test_a_sealed_round_refuses_edits_and_entries_and_nothing_changes(client, personas, english):
    application = application_in(personas, "checked")
    round = make_round(personas.officer, [application])
    assert round.state == Round.State.SEALED
    other = application_in(personas, "checked")
    before = row(round)
    entries = list(RoundEntry.objects.filter(round=round).values_list("application_id"))
    sign_in(client, personas.officer)

    response = client.post(
        reverse("review:round_edit", args=[round.pk]),
        round_form_data(name="改过的名字", seed_source="另一个值"),
    )
    assert response.status_code == 200
    assert "Once the seed is fixed the round can no longer be changed." in (
        response.context["form"].non_field_errors()
    )
    assert row(round) == before

    response = client.post(
        reverse("review:round_entries", args=[round.pk]), {"applications": [other.pk]}
    )
    assert response.status_code == 200
    assert list(RoundEntry.objects.filter(round=round).values_list("application_id")) == entries

    rubric = Rubric.objects.get(call=round.call)
    criteria = list(rubric.criteria.values_list("name", "weight"))
    response = client.post(
        reverse("review:rubric_edit", args=[round.call_id]),
        rubric_form_data([("只有一项", 100, 10)]),
    )
    assert response.status_code == 200
    assert (
        "A round of this call is under way; its rubric is frozen."
        in (response.context["top_errors"])
    )
    assert list(rubric.criteria.values_list("name", "weight")) == criteria
    assert row(round) == before


# The list.
def test_the_round_list_filters_by_state(client, personas):
    sealed = make_round(personas.officer, [application_in(personas, "checked")])
    draft = make_round(personas.officer, [application_in(personas, "checked")], seal=False)
    sign_in(client, personas.officer)
    response = client.get(reverse("review:round_list"), {"state": "sealed"})
    assert list(response.context["page"]) == [sealed]
    response = client.get(reverse("review:round_list"), {"call": draft.call_id})
    assert list(response.context["page"]) == [draft]


def test_the_round_list_costs_the_same_queries_for_one_round_and_for_three(client, personas):
    sign_in(client, personas.officer)
    make_round(personas.officer, [application_in(personas, "checked")], seal=False)
    client.get(reverse("review:round_list"))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("review:round_list")).status_code == 200
    for _ in range(2):
        make_round(personas.officer, [application_in(personas, "checked")])
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("review:round_list"))
    assert len(response.context["page"]) == 3
    assert len(three) == len(one)


def checked_application(personas, applicant, call):
    application = make_application(applicant, call)
    application = APPLICATION_WORKFLOW.apply(applicant, application, "submit")
    return APPLICATION_WORKFLOW.apply(personas.officer, application, "pass_check")


def test_the_round_page_costs_the_same_queries_for_one_application_and_for_three(client, personas):
    sign_in(client, personas.officer)
    small = make_round(personas.officer, [application_in(personas, "checked")], seal=False)
    client.get(reverse("review:round_detail", args=[small.pk]))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("review:round_detail", args=[small.pk]))
    first = application_in(personas, "checked")
    applications = [
        first,
        checked_application(personas, personas.applicant_a, first.call),
        checked_application(personas, personas.applicant_b, first.call),
    ]
    large = make_round(personas.officer, applications, seal=False)
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("review:round_detail", args=[large.pk]))
    assert len(response.context["entries"]) == 3
    assert len(three) == len(one)


def test_the_round_page_counts_the_drawn_experts_and_offers_the_draw_log(client, personas):
    make_pool(personas.officer, 6)
    round = drawn_round(personas.officer, [application_in(personas, "checked")])
    sign_in(client, personas.inspector)
    response = client.get(reverse("review:round_detail", args=[round.pk]))
    assert [(e.live, e.submitted) for e in response.context["entries"]] == [(3, 0)]
    assert response.context["can_read_draws"] and response.context["can_read_ranking"]
    assert not response.context["can_draw"]
    sign_in(client, personas.leader)
    response = client.get(reverse("review:round_detail", args=[round.pk]))
    assert not response.context["can_read_draws"]
    assert reverse("review:draw_log", args=[round.pk]).encode() not in response.content


def test_the_rubric_page_shows_the_saved_criteria_and_their_sum(client, personas, draft_round):
    sign_in(client, personas.officer)
    response = client.get(reverse("review:rubric_edit", args=[draft_round.call_id]))
    assert response.context["weight_total"] == 100
    assert [row["name"].value() for row in response.context["criteria"]][:3] == [
        "创新性",
        "可行性",
        "示范带动",
    ]


def test_htmx_refreshes_only_the_round_table(client, personas, draft_round):
    sign_in(client, personas.officer)
    response = client.get(reverse("review:round_list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<form" not in response.content
    assert draft_round.name.encode() in response.content
