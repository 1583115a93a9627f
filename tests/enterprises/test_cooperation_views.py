"""The cooperation agreement pages (产学研合作): bureau staff read the jurisdiction's, applicants
their own unit's, officers record and change them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keguan.enterprises import services
from keguan.enterprises.models import Cooperation
from tests.factories import make_organization, sign_in

pytestmark = pytest.mark.django_db


def record(officer, organization, partner_name="江西农业大学", **extra) -> Cooperation:
    data = {
        "organization": organization,
        "partner_name": partner_name,
        "title": "特种水稻品种选育",
        "signed_on": dt.date(2024, 3, 1),
        "ends_on": dt.date(2027, 3, 1),
    }
    data.update(extra)
    return services.create_cooperation(officer, data)


def form_data(organization, **changes) -> dict:
    data = {
        "organization": organization.pk,
        "partner_name": "南昌大学",
        "partner": "",
        "title": "农产品深加工技术合作",
        "signed_on": "2025-05-01",
        "ends_on": "2028-04-30",
    }
    data.update(changes)
    return data


def url(name, *args) -> str:
    return reverse(f"enterprises:{name}", args=args)


def listed(client) -> list[Cooperation]:
    return list(client.get(url("cooperation_list")).context["page"])


@pytest.fixture
def agreements(personas):
    return record(personas.officer, personas.org_a), record(personas.officer, personas.org_b)


@pytest.mark.parametrize("persona", ["officer", "leader", "inspector", "city_officer"])
def test_bureau_staff_read_every_agreement_of_the_jurisdiction(
    client, personas, agreements, persona
):
    sign_in(client, getattr(personas, persona))
    assert set(listed(client)) == set(agreements)


def test_an_applicant_reads_only_their_own_units_agreements(client, personas, agreements):
    sign_in(client, personas.applicant_a)
    assert listed(client) == [agreements[0]]


def test_an_applicant_reads_an_agreement_naming_their_unit_as_partner(client, personas):
    agreement = record(personas.officer, personas.org_b, partner=personas.org_a)
    sign_in(client, personas.applicant_a)
    assert listed(client) == [agreement]


@pytest.mark.parametrize("persona", ["expert", "liaison", "party_member", "sysadmin"])
def test_others_are_refused_the_list(client, personas, agreements, persona):
    sign_in(client, getattr(personas, persona))
    assert client.get(url("cooperation_list")).status_code == 404


def test_the_neighbour_countys_officer_does_not_see_our_agreements(client, personas, agreements):
    sign_in(client, personas.neighbour_officer)
    assert listed(client) == []


def test_anonymous_visitors_are_sent_to_sign_in(client, personas):
    assert client.get(url("cooperation_list")).status_code == 302


def test_the_list_searches_organization_partner_and_subject(client, personas, agreements):
    sign_in(client, personas.officer)
    for q, expected in [("甲企业", [agreements[0]]), ("农业大学", 2), ("选育", 2), ("无此", [])]:
        page = list(client.get(url("cooperation_list"), {"q": q}).context["page"])
        assert (len(page) if isinstance(expected, int) else page) == expected, q


def test_the_list_runs_the_same_queries_for_one_agreement_and_for_many(client, personas):
    record(personas.officer, personas.org_a, partner=personas.org_b)
    sign_in(client, personas.officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("cooperation_list")).status_code == 200
        return len(queries)

    one = count()
    for n in range(4):
        partner = make_organization(personas.bureaus.county, f"研究所{n}")
        record(personas.officer, personas.org_b, partner=partner, partner_name=partner.name)
    assert len(listed(client)) == 5
    assert count() == one


def test_only_officers_open_the_create_and_edit_pages(client, personas, agreements):
    sign_in(client, personas.officer)
    assert client.get(url("cooperation_create")).status_code == 200
    assert client.get(url("cooperation_edit", agreements[0].pk)).status_code == 200
    for persona in ("leader", "inspector", "applicant_a", "expert"):
        sign_in(client, getattr(personas, persona))
        assert client.get(url("cooperation_create")).status_code == 404, persona
        assert client.get(url("cooperation_edit", agreements[0].pk)).status_code == 404, persona


def test_an_officer_records_an_agreement_and_changes_it(client, personas):
    sign_in(client, personas.officer)
    response = client.post(url("cooperation_create"), form_data(personas.org_a))
    assert response.status_code == 302
    agreement = Cooperation.objects.get()
    assert (agreement.organization, agreement.partner_name, agreement.bureau) == (
        personas.org_a,
        "南昌大学",
        personas.officer.bureau,
    )
    response = client.post(
        url("cooperation_edit", agreement.pk),
        form_data(personas.org_a, title="联合攻关", ends_on=""),
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.title, agreement.ends_on) == ("联合攻关", None)


def test_a_registered_partner_chosen_without_a_name_lends_its_name(client, personas):
    sign_in(client, personas.officer)
    client.post(
        url("cooperation_create"),
        form_data(personas.org_a, partner_name="", partner=personas.org_b.pk),
    )
    agreement = Cooperation.objects.get()
    assert (agreement.partner, agreement.partner_name) == (personas.org_b, personas.org_b.name)


def test_an_agreement_without_a_partner_is_refused(client, personas):
    sign_in(client, personas.officer)
    response = client.post(url("cooperation_create"), form_data(personas.org_a, partner_name=""))
    assert response.context["form"].errors["partner_name"]
    assert not Cooperation.objects.exists()


def test_an_agreement_ending_before_it_was_signed_is_refused(client, personas):
    sign_in(client, personas.officer)
    response = client.post(
        url("cooperation_create"), form_data(personas.org_a, ends_on="2020-01-01")
    )
    assert response.context["form"].errors["ends_on"]
    assert not Cooperation.objects.exists()


def test_an_organization_outside_the_jurisdiction_cannot_be_chosen(client, personas):
    sign_in(client, personas.officer)
    response = client.post(url("cooperation_create"), form_data(personas.org_far))
    assert response.context["form"].errors["organization"]
    assert not Cooperation.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "inspector", "applicant_a"])
def test_a_create_post_by_anyone_but_an_officer_is_refused_and_records_nothing(
    client, personas, persona
):
    sign_in(client, getattr(personas, persona))
    assert client.post(url("cooperation_create"), form_data(personas.org_a)).status_code == 404
    assert not Cooperation.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "applicant_a", "neighbour_officer"])
def test_an_edit_post_by_anyone_but_an_officer_of_the_jurisdiction_changes_nothing(
    client, personas, agreements, persona
):
    agreement = agreements[0]
    sign_in(client, getattr(personas, persona))
    response = client.post(
        url("cooperation_edit", agreement.pk), form_data(personas.org_a, title="篡改")
    )
    assert response.status_code == 404
    agreement.refresh_from_db()
    assert agreement.title == "特种水稻品种选育"


def test_officers_are_offered_the_record_and_edit_links_and_applicants_are_not(
    client, personas, agreements
):
    sign_in(client, personas.officer)
    body = client.get(url("cooperation_list")).content.decode()
    assert url("cooperation_create") in body
    assert url("cooperation_edit", agreements[0].pk) in body
    sign_in(client, personas.applicant_a)
    body = client.get(url("cooperation_list")).content.decode()
    assert url("cooperation_create") not in body
    assert url("cooperation_edit", agreements[0].pk) not in body


def test_a_search_sent_by_htmx_gets_only_the_results(client, personas, agreements):
    sign_in(client, personas.officer)
    response = client.get(url("cooperation_list"), {"q": "甲"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<table" in body
    assert "<html" not in body
    assert personas.org_a.name in body
