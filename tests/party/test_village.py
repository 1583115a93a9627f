"""The paired village: visits, aid and relief, and the yearly summary by database aggregates."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keguan.party.models import PairedVillage, Visit
from keguan.party.services import affairs_village as services
from tests.factories import sign_in
from tests.party.affairs_helpers import affairs_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(personas):
    return affairs_people(personas)


def make_village(user, name="塘背村"):
    return services.create_village(
        user,
        {"name": name, "township": "双明镇", "households": 412, "poor_households": 57},
    )


def test_the_yearly_summary_adds_up_visits_households_and_aid(people):
    sam = people.secretary
    village = make_village(sam)
    for day, households in ((dt.date(2011, 3, 2), 6), (dt.date(2011, 9, 9), 8)):
        services.record_visit(
            sam, village, {"visited_on": day, "households_visited": households}, [sam]
        )
    services.record_visit(
        sam, village, {"visited_on": dt.date(2010, 5, 1), "households_visited": 3}, [sam]
    )
    for kind, amount in (("money", "5000"), ("money", "2000.50"), ("goods", "1200")):
        services.record_aid(
            sam,
            village,
            {
                "given_on": dt.date(2011, 12, 20),
                "kind": kind,
                "description": "慰问",
                "amount": Decimal(amount),
            },
        )
    services.record_relief(
        sam, {"given_on": dt.date(2011, 6, 1), "disaster": "抗洪救灾", "amount": Decimal("3000")}
    )
    summary = services.yearly_summary(village, 2011)
    assert summary["visits"] == 2
    assert summary["households_visited"] == 14
    assert summary["aid_money"] == Decimal("7000.50")
    assert summary["aid_goods"] == Decimal("1200")
    assert summary["aid_total"] == Decimal("8200.50")
    assert summary["relief_total"] == Decimal("3000")
    assert services.yearly_summary(village, 2010)["visits"] == 1
    assert services.summary_years(village) == [2011, 2010]


def test_more_poor_households_than_households_is_refused(people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.create_village(
            people.secretary,
            {"name": "甲村", "township": "乙乡", "households": 10, "poor_households": 11},
        )
    assert not PairedVillage.objects.exists()


def test_members_read_the_village_but_cannot_record_a_visit(client, people):
    village = make_village(people.secretary)
    sign_in(client, people.member)
    assert client.get(reverse("party:village_detail", args=[village.pk])).status_code == 200
    url = reverse("party:village_record", args=[village.pk, "visit"])
    response = client.post(url, {"visited_on": "2011-05-01", "officers": [people.member.pk]})
    assert response.status_code == 404
    assert not Visit.objects.exists()


def test_the_secretary_records_a_visit_through_the_page(client, people):
    village = make_village(people.secretary)
    sign_in(client, people.secretary)
    url = reverse("party:village_record", args=[village.pk, "visit"])
    response = client.post(
        url,
        {
            "visited_on": "2011-05-01",
            "households_visited": "5",
            "requests": "希望提供水稻良种",
            "officers": [people.secretary.pk, people.committee.pk],
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert set(visit.officers.all()) == {people.secretary, people.committee}


def test_another_bureaus_inspector_gets_a_404(client, personas, people):
    from keguan.accounts.roles import Role
    from tests.factories import make_user

    village = make_village(people.secretary)
    stranger = make_user("nick", [Role.INSPECTOR], personas.bureaus.neighbour)
    sign_in(client, stranger)
    assert client.get(reverse("party:village_detail", args=[village.pk])).status_code == 404


def test_the_village_list_takes_the_same_queries_for_one_village_or_many(client, people):
    make_village(people.secretary)
    sign_in(client, people.member)
    url = reverse("party:village_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for name in ("乙村", "丙村", "丁村"):
        make_village(people.secretary, name)
        services.record_relief(
            people.secretary, {"given_on": dt.date(2011, 6, 1), "disaster": name, "amount": 100}
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)
