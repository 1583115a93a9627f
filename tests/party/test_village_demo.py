"""The affairs demo fills every part of the area, publishes one item to the portal, and
changes nothing when loaded again."""

import datetime as dt

import pytest

from keguan.party import demo_affairs
from keguan.party.models import (
    DisclosureItem,
    EducationActivity,
    Honour,
    PairedVillage,
    ResponsibilityLetter,
)
from keguan.party.services.affairs_village import yearly_summary
from keguan.portal.models import Notice, NoticeKind
from tests.party.affairs_helpers import affairs_people

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_area_once(personas):
    people = affairs_people(personas)
    today = dt.date.today()
    demo_affairs.load(people.branch, today)
    states = set(DisclosureItem.objects.values_list("state", flat=True))
    assert states == {"proposed", "reviewed", "approved", "published", "returned"}
    assert Notice.objects.filter(kind=NoticeKind.PARTY_AFFAIRS, state="running").count() == 1
    assert ResponsibilityLetter.objects.filter(year=today.year).exists()
    assert EducationActivity.objects.filter(kind="base_visit").exists()
    assert Honour.objects.count() == len(demo_affairs.HONOURS)
    village = PairedVillage.objects.get()
    assert yearly_summary(village, today.year - 1)["visits"] == 2
    counts = [m.objects.count() for m in (DisclosureItem, Honour, ResponsibilityLetter)]
    demo_affairs.load(people.branch, today)
    assert [m.objects.count() for m in (DisclosureItem, Honour, ResponsibilityLetter)] == counts


def test_every_page_of_the_area_opens_for_the_secretary_member_and_inspector(client, personas):
    from django.urls import reverse

    from keguan.party.models import EducationActivity as Activity
    from tests.factories import sign_in

    people = affairs_people(personas)
    demo_affairs.load(people.branch, dt.date.today())
    village = PairedVillage.objects.get()
    published = DisclosureItem.objects.filter(state="published").first()
    common = [
        reverse("party:disclosure_list"),
        reverse("party:disclosure_detail", args=[published.pk]),
        reverse("party:integrity_index"),
        reverse("party:activity_detail", args=[Activity.objects.first().pk]),
        reverse("party:declaration_list"),
        reverse("party:honour_list"),
        reverse("party:village_list"),
        reverse("party:village_detail", args=[village.pk]),
    ]
    secretary_only = [
        reverse("party:disclosure_create"),
        reverse("party:letter_create"),
        reverse("party:activity_create"),
        reverse("party:honour_create"),
        reverse("party:village_create"),
        reverse("party:relief_create"),
        reverse("party:village_edit", args=[village.pk]),
        *[reverse("party:village_record", args=[village.pk, w]) for w in demo_affairs_records()],
    ]
    # Another person's letter: the secretary and the inspector read it, a member does not.
    letter = reverse("party:letter_detail", args=[ResponsibilityLetter.objects.first().pk])
    for user, allowed in (
        (people.secretary, [*common, *secretary_only, letter]),
        (people.member, common),
        (people.inspector, [*common, letter]),
    ):
        sign_in(client, user)
        for url in [*common, *secretary_only, letter]:
            status = client.get(url).status_code
            assert status == (200 if url in allowed else 404), (user, url, status)


def demo_affairs_records():
    from keguan.party.views.affairs_village import RECORDS

    return list(RECORDS)
