"""The expert pool pages: bureau staff read the pool, officers keep it; phone and ID numbers
are shown in full to officers only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keguan.audit.services import mask_id_number
from keguan.projects.models import Application, IntegrityPenalty
from keguan.review import services
from keguan.review.models import Expert, Relation
from tests.factories import sign_in
from tests.projects.factories import make_id_number
from tests.projects.states import application_in
from tests.review.factories import drawn_round, live, make_expert, make_pool

pytestmark = pytest.mark.django_db

STAFF = ["officer", "leader", "inspector", "city_officer"]
OUTSIDERS = ["applicant_a", "expert", "liaison", "party_secretary", "sysadmin", "auditadmin"]


@pytest.fixture
def expert(personas):
    """Eve's entry in the county's pool, with a field and a declared relative."""
    record = services.create_expert(
        personas.officer,
        {
            "name": "王教授",
            "unit": "江西农业大学",
            "title": "教授",
            "phone": "13912345678",
            "id_number": make_id_number("19650302"),
            "user": personas.expert,
        },
    )
    services.replace_fields(
        personas.officer, record, [{"discipline_code": "21040", "keywords": "水稻, 栽培"}]
    )
    services.replace_relations(
        personas.officer,
        record,
        [{"kind": "relative", "name": "王小明", "id_number": make_id_number("19900101")}],
    )
    return record


def url(name, *args) -> str:
    return reverse(f"review:{name}", args=args)


def form_data(**changes) -> dict:
    data = {
        "name": "李研究员",
        "unit": "中国科学院南京土壤研究所",
        "organization": "",
        "title": "研究员",
        "phone": "13800001111",
        "id_number": make_id_number("19700505"),
        "user": "",
    }
    data.update(changes)
    return data


def snapshot(expert: Expert):
    expert = Expert.objects.get(pk=expert.pk)
    return (
        expert.name,
        expert.unit,
        expert.state,
        list(expert.fields.values_list("discipline_code", "keywords")),
        list(expert.relations.values_list("kind", "name")),
        IntegrityPenalty.objects.filter(id_number=expert.id_number).count(),
    )


# Who may open what.
@pytest.mark.parametrize("persona", STAFF)
def test_bureau_staff_read_the_pool_and_an_experts_page(client, personas, expert, persona):
    sign_in(client, getattr(personas, persona))
    response = client.get(url("expert_list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [expert]
    assert client.get(url("expert_detail", expert.pk)).status_code == 200


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_others_are_refused_the_pool(client, personas, expert, persona):
    sign_in(client, getattr(personas, persona))
    assert client.get(url("expert_list")).status_code == 404
    assert client.get(url("expert_detail", expert.pk)).status_code == 404


def test_the_neighbour_countys_officer_neither_lists_nor_opens_our_experts(
    client, personas, expert
):
    sign_in(client, personas.neighbour_officer)
    assert list(client.get(url("expert_list")).context["page"]) == []
    assert client.get(url("expert_detail", expert.pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, personas, expert):
    assert client.get(url("expert_list")).status_code == 302
    assert client.get(url("expert_detail", expert.pk)).status_code == 302


@pytest.mark.parametrize(
    "name", ["expert_edit", "expert_fields", "expert_relations", "expert_penalty"]
)
def test_only_officers_open_the_pages_that_keep_the_pool(client, personas, expert, name):
    sign_in(client, personas.officer)
    assert client.get(url(name, expert.pk)).status_code == 200
    for persona in ("leader", "inspector", "applicant_a", "expert", "neighbour_officer"):
        sign_in(client, getattr(personas, persona))
        assert client.get(url(name, expert.pk)).status_code == 404, persona


def test_only_officers_open_the_create_page(client, personas):
    sign_in(client, personas.officer)
    assert client.get(url("expert_create")).status_code == 200
    for persona in ("leader", "inspector", "applicant_a", "expert"):
        sign_in(client, getattr(personas, persona))
        assert client.get(url("expert_create")).status_code == 404, persona


@pytest.mark.parametrize(
    "name, data",
    [
        ("expert_edit", form_data(name="改名")),
        ("expert_fields", {"fields-TOTAL_FORMS": "0", "fields-INITIAL_FORMS": "0"}),
        ("expert_relations", {"relations-TOTAL_FORMS": "0", "relations-INITIAL_FORMS": "0"}),
        (
            "expert_penalty",
            {"reason": "弄虚作假", "starts_on": "2025-01-01", "ends_on": "2099-01-01"},
        ),
        ("expert_action", {"action": "remove", "note": "不再适合", "expected_state": "active"}),
    ],
)
@pytest.mark.parametrize("persona", ["leader", "inspector", "applicant_a", "neighbour_officer"])
def test_a_post_by_anyone_but_an_officer_is_refused_and_changes_nothing(
    client, personas, expert, name, data, persona
):
    before = snapshot(expert)
    sign_in(client, getattr(personas, persona))
    assert client.post(url(name, expert.pk), data).status_code == 404
    assert snapshot(expert) == before


def test_a_create_post_by_a_leader_is_refused_and_adds_nobody(client, personas):
    sign_in(client, personas.leader)
    assert client.post(url("expert_create"), form_data()).status_code == 404
    assert not Expert.objects.exists()


# The list.
def test_leaders_see_phone_and_id_number_masked(client, personas, expert):
    sign_in(client, personas.leader)
    for page in (url("expert_list"), url("expert_detail", expert.pk)):
        body = client.get(page).content.decode()
        assert expert.id_number not in body
        assert mask_id_number(expert.id_number) in body
        assert "13912345678" not in body
        assert "139****5678" in body
    relative = Relation.objects.get(expert=expert).id_number
    assert relative not in client.get(url("expert_detail", expert.pk)).content.decode()


def test_officers_see_phone_and_id_number_in_full(client, personas, expert):
    sign_in(client, personas.officer)
    for page in (url("expert_list"), url("expert_detail", expert.pk)):
        body = client.get(page).content.decode()
        assert expert.id_number in body
        assert "13912345678" in body


def test_the_list_runs_the_same_queries_for_one_expert_and_for_many(client, personas, expert):
    sign_in(client, personas.officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("expert_list")).status_code == 200
        return len(queries)

    one = count()
    make_pool(personas.officer, 4)
    assert len(client.get(url("expert_list")).context["page"]) == 5
    assert count() == one


@pytest.mark.parametrize(
    "query, found",
    [
        ({"q": "王教授"}, True),
        ({"q": "农业大学"}, True),
        ({"q": "栽培"}, True),
        ({"q": "小麦"}, False),
        ({"discipline": "210"}, True),
        ({"discipline": "21040"}, True),
        ({"discipline": "220"}, False),
        ({"state": "active"}, True),
        ({"state": "paused"}, False),
    ],
)
def test_the_list_searches_names_units_and_keywords_and_filters_by_discipline_and_state(
    client, personas, expert, query, found
):
    make_expert(personas.officer, unit="某研究所", fields=("220",))
    sign_in(client, personas.leader)
    page = list(client.get(url("expert_list"), query).context["page"])
    assert (expert in page) is found


def test_officers_are_offered_the_create_link_and_leaders_are_not(client, personas):
    link = url("expert_create")
    sign_in(client, personas.officer)
    assert link in client.get(url("expert_list")).content.decode()
    sign_in(client, personas.leader)
    assert link not in client.get(url("expert_list")).content.decode()


# Creating and editing.
def test_an_officer_adds_an_expert_with_an_account_and_changes_the_card(client, personas):
    sign_in(client, personas.officer)
    offered = client.get(url("expert_create")).context["form"].fields["user"].queryset
    assert list(offered) == [personas.expert]
    data = form_data(user=personas.expert.pk, organization=personas.org_a.pk)
    response = client.post(url("expert_create"), data)
    expert = Expert.objects.get()
    assert response.status_code == 302
    assert response.url == url("expert_detail", expert.pk)
    assert (expert.name, expert.user, expert.organization) == (
        "李研究员",
        personas.expert,
        personas.org_a,
    )
    assert expert.bureau == personas.officer.bureau

    response = client.post(
        url("expert_edit", expert.pk),
        form_data(name="李博士", id_number=expert.id_number, user=personas.expert.pk),
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert (expert.name, expert.user) == ("李博士", personas.expert)


def test_an_account_already_in_the_pool_is_not_offered_again(client, personas, expert):
    sign_in(client, personas.officer)
    offered = client.get(url("expert_create")).context["form"].fields["user"].queryset
    assert personas.expert not in offered
    offered = client.get(url("expert_edit", expert.pk)).context["form"].fields["user"].queryset
    assert personas.expert in offered


def test_a_bad_id_number_is_refused_beside_its_field(client, personas):
    sign_in(client, personas.officer)
    response = client.post(url("expert_create"), form_data(id_number="361127198001011234"))
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"]
    assert not Expert.objects.exists()


def test_the_same_person_cannot_enter_the_pool_twice(client, personas, expert):
    sign_in(client, personas.officer)
    response = client.post(url("expert_create"), form_data(id_number=expert.id_number))
    assert response.context["form"].errors["id_number"]
    assert Expert.objects.count() == 1


# Fields, relations, penalties.
def _rows(prefix, rows) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def test_an_officer_replaces_the_fields_of_expertise(client, personas, expert):
    sign_in(client, personas.officer)
    rows = [
        {"discipline_code": "210", "keywords": "作物，育种"},
        {"discipline_code": "", "keywords": ""},  # a blank extra row is ignored
    ]
    response = client.post(url("expert_fields", expert.pk), _rows("fields", rows))
    assert response.status_code == 302
    assert list(expert.fields.values_list("discipline_code", "keywords")) == [
        ("210", ["作物", "育种"])
    ]


def test_a_bad_field_is_refused_on_its_row_and_nothing_changes(client, personas, expert):
    before = snapshot(expert)
    sign_in(client, personas.officer)
    rows = [
        {"discipline_code": "210", "keywords": "作物"},
        {"discipline_code": "220", "keywords": "一,二,三,四,五,六"},
    ]
    response = client.post(url("expert_fields", expert.pk), _rows("fields", rows))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert not formset.forms[0].errors
    assert formset.forms[1].non_field_errors()
    assert snapshot(expert) == before


def test_an_officer_replaces_the_declared_relations(client, personas, expert):
    sign_in(client, personas.officer)
    rows = [
        {"kind": "former_employer", "name": "某农科所", "id_number": "", "note": "2010年离职"},
        {"kind": "advised_unit", "name": "甲企业", "id_number": "", "note": ""},
    ]
    response = client.post(url("expert_relations", expert.pk), _rows("relations", rows))
    assert response.status_code == 302
    assert list(expert.relations.values_list("kind", "name")) == [
        ("advised_unit", "甲企业"),
        ("former_employer", "某农科所"),
    ]


def test_a_relatives_bad_id_number_is_refused_on_its_row(client, personas, expert):
    before = snapshot(expert)
    sign_in(client, personas.officer)
    rows = [{"kind": "relative", "name": "王某", "id_number": "123", "note": ""}]
    response = client.post(url("expert_relations", expert.pk), _rows("relations", rows))
    assert response.context["formset"].forms[0].non_field_errors()
    assert snapshot(expert) == before


def test_an_officer_records_a_penalty_shown_in_force_on_the_experts_page(client, personas, expert):
    sign_in(client, personas.officer)
    response = client.post(
        url("expert_penalty", expert.pk),
        {"reason": "评审中接受请托", "starts_on": "2025-01-01", "ends_on": "2099-12-31"},
    )
    assert response.status_code == 302
    penalty = IntegrityPenalty.objects.get(id_number=expert.id_number)
    assert penalty.person_name == expert.name
    penalties = client.get(url("expert_detail", expert.pk)).context["penalties"]
    assert [(p, p.in_force) for p in penalties] == [(penalty, True)]


def test_a_penalty_ending_before_it_starts_is_refused(client, personas, expert):
    sign_in(client, personas.officer)
    response = client.post(
        url("expert_penalty", expert.pk),
        {"reason": "x", "starts_on": "2025-01-01", "ends_on": "2024-01-01"},
    )
    assert response.context["form"].errors["ends_on"]
    assert not IntegrityPenalty.objects.exists()


# The workflow.
def test_an_officer_pauses_and_resumes_an_expert(client, personas, expert):
    sign_in(client, personas.officer)
    assert [t.action for t in client.get(url("expert_detail", expert.pk)).context["actions"]] == [
        "pause",
        "remove",
    ]
    client.post(
        url("expert_action", expert.pk),
        {"action": "pause", "note": "出国访学", "expected_state": "active"},
    )
    expert.refresh_from_db()
    assert (expert.state, expert.state_note) == (Expert.State.PAUSED, "出国访学")
    client.post(url("expert_action", expert.pk), {"action": "resume", "expected_state": "paused"})
    expert.refresh_from_db()
    assert expert.state == Expert.State.ACTIVE


def test_pausing_without_a_reason_is_refused_and_changes_nothing(client, personas, expert):
    sign_in(client, personas.officer)
    response = client.post(
        url("expert_action", expert.pk), {"action": "pause", "expected_state": "active"}
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.state == Expert.State.ACTIVE


def test_leaders_are_offered_no_workflow_button(client, personas, expert):
    sign_in(client, personas.leader)
    assert client.get(url("expert_detail", expert.pk)).context["actions"] == []


def test_the_experts_page_shows_their_history(client, personas, expert):
    sign_in(client, personas.inspector)
    history = client.get(url("expert_detail", expert.pk)).context["history"]
    assert {"review.expert.create", "review.expert.fields"} <= {e.action for e in history}


def test_officers_and_inspectors_see_the_experts_assignments_and_leaders_do_not(client, personas):
    application = application_in(personas, Application.State.CHECKED)
    make_pool(personas.officer, 6)
    round = drawn_round(personas.officer, [application])
    assignment = live(round).first()
    page = url("expert_detail", assignment.expert.pk)
    for persona in ("officer", "inspector"):
        sign_in(client, getattr(personas, persona))
        response = client.get(page)
        assert list(response.context["assignments"]) == [assignment]
        assert application.title in response.content.decode()
    sign_in(client, personas.leader)
    assert list(client.get(page).context["assignments"]) == []


def test_a_filter_sent_by_htmx_gets_only_the_results(client, personas, expert):
    sign_in(client, personas.officer)
    response = client.get(url("expert_list"), {"q": "王"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<table" in body
    assert "<html" not in body
    assert expert.name in body
