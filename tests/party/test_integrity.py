"""Clean government: letters with items and checkpoints, education attendance, declarations
seen by their author and the inspector only."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keguan.party.models import Checkpoint, InterestDeclaration, LetterItem
from keguan.party.services import affairs_integrity as services
from tests.factories import sign_in
from tests.party.affairs_helpers import affairs_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(personas):
    return affairs_people(personas)


def letter_for(secretary, holder, year=2011):
    return services.create_letter(
        secretary,
        {"year": year, "holder": holder, "post": "officer", "signed_on": dt.date(year, 2, 20)},
        ["廉洁自律,不收受礼品礼金", "项目评审严格执行回避制度"],
    )


def test_a_letter_keeps_its_items_and_checkpoints(people):
    letter = letter_for(people.secretary, people.member)
    first = letter.items.first()
    services.record_checkpoint(
        people.secretary,
        {"item": first, "checked_on": dt.date(2011, 12, 20), "kind": "check", "result": "met"},
    )
    assert list(letter.items.values_list("text", flat=True))[0] == "廉洁自律,不收受礼品礼金"
    assert Checkpoint.objects.get().item == first
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.replace_letter_items(people.secretary, letter, ["另一条"])
    assert LetterItem.objects.filter(letter=letter).count() == 2


def test_one_letter_per_person_and_year(people):
    from django.core.exceptions import ValidationError

    letter_for(people.secretary, people.member)
    with pytest.raises(ValidationError):
        letter_for(people.secretary, people.member)


def test_a_holder_reads_their_own_letter_only(client, people):
    own = letter_for(people.secretary, people.member)
    other = letter_for(people.secretary, people.committee)
    sign_in(client, people.member)
    assert client.get(reverse("party:letter_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("party:letter_detail", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("party:letter_detail", args=[own.pk]),
        {
            "item": own.items.first().pk,
            "checked_on": "2011-12-01",
            "kind": "check",
            "result": "met",
        },
    )
    assert response.status_code == 404
    assert not Checkpoint.objects.exists()


def test_the_activity_records_who_attended(people):
    from keguan.party.models import Member

    members = list(Member.objects.filter(branch=people.branch))
    activity = services.create_activity(
        people.secretary,
        {"held_on": dt.date(2011, 7, 1), "kind": "base_visit", "title": "参观反腐倡廉教育基地"},
        members,
    )
    assert activity.attendance.count() == len(members) == 3


def test_declarations_show_to_their_author_and_the_inspector_only(client, personas, people):
    declaration = services.declare_interest(
        personas.officer,
        {
            "relative_name": "王芳",
            "relation": "spouse",
            "organization": personas.org_a,
            "starts_on": dt.date(2010, 1, 1),
        },
    )
    for user, seen in (
        (personas.officer, True),
        (people.inspector, True),
        (people.secretary, False),
        (people.member, False),
    ):
        sign_in(client, user)
        page = client.get(reverse("party:declaration_list")).content.decode()
        assert ("王芳" in page) is seen, user
    sign_in(client, people.inspector)
    url = reverse("party:declaration_edit", args=[declaration.pk])
    assert client.post(url, {"relative_name": "改"}).status_code == 404
    declaration.refresh_from_db()
    assert declaration.relative_name == "王芳"


def test_an_officer_declares_through_the_page(client, personas):
    sign_in(client, personas.officer)
    response = client.post(
        reverse("party:declaration_create"),
        {
            "relative_name": "程红",
            "relation": "sibling",
            "organization": personas.org_b.pk,
            "starts_on": "2011-01-01",
        },
    )
    assert response.status_code == 302
    assert InterestDeclaration.objects.get().declarant == personas.officer


def test_an_applicant_cannot_declare(client, personas):
    sign_in(client, personas.applicant_a)
    assert client.get(reverse("party:declaration_create")).status_code == 404


def test_the_declaration_list_takes_the_same_queries_for_one_or_many(client, personas, people):
    def declare(name):
        services.declare_interest(
            personas.officer,
            {
                "relative_name": name,
                "relation": "other",
                "organization": personas.org_a,
                "starts_on": dt.date(2010, 1, 1),
            },
        )

    declare("甲")
    sign_in(client, people.inspector)
    url = reverse("party:declaration_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for name in ("乙", "丙", "丁"):
        declare(name)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)
