"""The research-integrity record through the web: bureau staff read it, officers write it."""

import datetime as dt

import pytest
from django.urls import reverse

from keguan.projects import services
from keguan.projects.models import IntegrityPenalty
from tests.factories import sign_in
from tests.projects.factories import make_id_number

pytestmark = pytest.mark.django_db


def record(officer, organization=None, id_number="", **extra) -> IntegrityPenalty:
    data = {
        "organization": organization,
        "person_name": extra.pop("person_name", "张三" if id_number else ""),
        "id_number": id_number,
        "reason": "申报材料弄虚作假",
        "starts_on": dt.date(2024, 1, 1),
        "ends_on": dt.date(2099, 12, 31),
    }
    data.update(extra)
    return services.record_integrity_penalty(officer, data)


def form_data(**changes):
    data = {
        "organization": "",
        "person_name": "",
        "id_number": "",
        "reason": "申报材料弄虚作假",
        "starts_on": "2025-01-01",
        "ends_on": "2027-12-31",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("persona", ["officer", "leader", "inspector"])
def test_bureau_staff_read_the_record(client, personas, persona):
    penalty = record(personas.officer, personas.org_a)
    sign_in(client, getattr(personas, persona))
    response = client.get(reverse("projects:integrity_list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [penalty]


@pytest.mark.parametrize("persona", ["applicant_a", "expert", "liaison", "auditadmin"])
def test_others_are_refused_the_record(client, personas, persona):
    sign_in(client, getattr(personas, persona))
    assert client.get(reverse("projects:integrity_list")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, personas):
    assert client.get(reverse("projects:integrity_list")).status_code == 302


def test_the_neighbour_countys_officer_does_not_see_our_penalties(client, personas):
    record(personas.officer, personas.org_a)
    sign_in(client, personas.neighbour_officer)
    assert list(client.get(reverse("projects:integrity_list")).context["page"]) == []


def test_id_numbers_are_shown_masked(client, personas):
    id_number = make_id_number()
    record(personas.officer, id_number=id_number)
    sign_in(client, personas.leader)
    body = client.get(reverse("projects:integrity_list")).content.decode()
    assert id_number not in body
    assert id_number[:3] + "*" * 11 + id_number[-4:] in body


def test_the_list_can_show_only_penalties_in_force(client, personas):
    current = record(personas.officer, personas.org_a)
    record(personas.officer, personas.org_b, ends_on=dt.date(2024, 6, 30))
    sign_in(client, personas.officer)
    response = client.get(reverse("projects:integrity_list"), {"in_force": "on"})
    assert list(response.context["page"]) == [current]


def test_an_officer_records_a_penalty_on_a_person(client, personas):
    id_number = make_id_number()
    sign_in(client, personas.officer)
    response = client.post(
        reverse("projects:integrity_create"),
        form_data(person_name="张三", id_number=id_number),
    )
    assert response.status_code == 302
    penalty = IntegrityPenalty.objects.get()
    assert penalty.id_number == id_number and penalty.bureau == personas.bureaus.county


def test_an_officer_records_a_penalty_on_a_unit(client, personas):
    sign_in(client, personas.officer)
    client.post(reverse("projects:integrity_create"), form_data(organization=personas.org_a.pk))
    assert IntegrityPenalty.objects.get().organization == personas.org_a


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id_number": "361127198001010000"}, "id_number"),
        ({}, "organization"),
        ({"ends_on": "2024-12-31", "person_name": "张三", "id_number": None}, "ends_on"),
    ],
)
def test_a_bad_penalty_is_refused_beside_the_field(client, personas, changes, field):
    if changes.get("id_number", "") is None:
        changes["id_number"] = make_id_number()
    sign_in(client, personas.officer)
    response = client.post(reverse("projects:integrity_create"), form_data(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field]
    assert str(form[field].label) in response.content.decode()
    assert not IntegrityPenalty.objects.exists()


def test_the_neighbours_unit_cannot_be_chosen(client, personas):
    sign_in(client, personas.officer)
    response = client.post(
        reverse("projects:integrity_create"), form_data(organization=personas.org_far.pk)
    )
    assert response.context["form"].errors["organization"]
    assert not IntegrityPenalty.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "inspector", "applicant_a"])
def test_only_officers_record_penalties(client, personas, persona):
    sign_in(client, getattr(personas, persona))
    response = client.post(
        reverse("projects:integrity_create"), form_data(organization=personas.org_a.pk)
    )
    assert response.status_code == 404
    assert not IntegrityPenalty.objects.exists()


def test_integrity_list_queries_do_not_grow_with_rows(
    client, personas, django_assert_max_num_queries
):
    record(personas.officer, personas.org_a)
    sign_in(client, personas.officer)
    url = reverse("projects:integrity_list")
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    for _ in range(4):
        record(personas.officer, personas.org_b, id_number=make_id_number())
    with django_assert_max_num_queries(len(one.captured_queries)) as five:
        response = client.get(url)
    assert len(response.context["page"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)
