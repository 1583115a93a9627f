"""Honours: the secretary records them; members and the inspector read them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keguan.party.models import Honour
from keguan.party.services import affairs as services
from tests.factories import sign_in
from tests.party.affairs_helpers import affairs_people
from tests.party.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(personas):
    return affairs_people(personas)


def bureau_honour(user, year=2010, title="科技管理工作先进集体"):
    return services.create_honour(
        user, {"year": year, "title": title, "granted_by": "省科技厅", "recipient": "bureau"}
    )


def test_a_personal_honour_names_a_member_or_a_person(people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.create_honour(
            people.secretary,
            {"year": 2010, "title": "先进个人", "granted_by": "省科技厅", "recipient": "person"},
        )
    member = make_member(people.branch, "刘先来")
    honour = services.create_honour(
        people.secretary,
        {
            "year": 2010,
            "title": "科技管理先进个人",
            "granted_by": "省科技厅",
            "recipient": "person",
            "member": member,
        },
    )
    assert honour.recipient_name == "刘先来"


def test_a_member_reads_the_honours_but_cannot_change_one(client, people):
    honour = bureau_honour(people.secretary)
    sign_in(client, people.member)
    assert "科技管理工作先进集体" in client.get(reverse("party:honour_list")).content.decode()
    response = client.post(
        reverse("party:honour_edit", args=[honour.pk]),
        {"year": 1999, "title": "改", "granted_by": "x", "recipient": "bureau"},
    )
    assert response.status_code == 404
    assert client.post(reverse("party:honour_delete", args=[honour.pk])).status_code == 404
    honour.refresh_from_db()
    assert (honour.year, honour.title) == (2010, "科技管理工作先进集体")


def test_the_inspector_reads_the_honours(client, people):
    bureau_honour(people.secretary)
    sign_in(client, people.inspector)
    assert client.get(reverse("party:honour_list")).status_code == 200


def test_the_honour_list_takes_the_same_queries_for_one_or_many(client, people):
    bureau_honour(people.secretary)
    sign_in(client, people.member)
    url = reverse("party:honour_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for year in (2007, 2008, 2009):
        member = make_member(people.branch)
        services.create_honour(
            people.secretary,
            {
                "year": year,
                "title": "先进个人",
                "granted_by": "省科技厅",
                "recipient": "person",
                "member": member,
            },
        )
        bureau_honour(people.secretary, year)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)
    assert Honour.objects.count() == 7
