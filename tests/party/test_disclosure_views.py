"""Disclosure pages: who sees what; refused moves are 404s that change nothing; the list
takes a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keguan.party.models import DisclosureItem
from keguan.party.workflow_affairs import DISCLOSURE_WORKFLOW
from keguan.portal.models import Notice
from tests.factories import sign_in
from tests.party.affairs_helpers import affairs_people, proposed

pytestmark = pytest.mark.django_db
D = DisclosureItem.State


@pytest.fixture
def people(personas):
    return affairs_people(personas)


def test_a_member_cannot_see_an_unpublished_item(client, people):
    item = proposed(people.committee)
    sign_in(client, people.member)
    assert client.get(reverse("party:disclosure_detail", args=[item.pk])).status_code == 404


def test_a_member_cannot_review_an_item_and_nothing_changes(client, people):
    item = proposed(people.committee)
    sign_in(client, people.member)
    url = reverse("party:disclosure_action", args=[item.pk, "review"])
    response = client.post(url, {"confidential": "on", "expected_state": "proposed"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.state == D.PROPOSED and item.reviewed_by is None


def test_the_committee_cannot_publish_only_the_secretary_can(client, people):
    item = proposed(people.secretary)
    item = DISCLOSURE_WORKFLOW.apply(people.committee, item, "review", {"confidential": True})
    item = DISCLOSURE_WORKFLOW.apply(people.committee, item, "approve")
    sign_in(client, people.committee)
    url = reverse("party:disclosure_action", args=[item.pk, "publish"])
    assert client.post(url, {"expected_state": "approved"}).status_code == 404
    item.refresh_from_db()
    assert item.state == D.APPROVED and not Notice.objects.exists()
    sign_in(client, people.secretary)
    assert client.post(url, {"expected_state": "approved"}).status_code == 302
    item.refresh_from_db()
    assert item.state == D.PUBLISHED and item.notice is not None


def test_reviewing_without_the_tick_tells_the_reviewer_and_changes_nothing(client, people):
    item = proposed(people.committee)
    sign_in(client, people.secretary)
    url = reverse("party:disclosure_action", args=[item.pk, "review"])
    response = client.post(url, {"expected_state": "proposed"}, follow=True)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.state == D.PROPOSED


def test_the_inspector_reads_every_item(client, people):
    item = proposed(people.committee)
    sign_in(client, people.inspector)
    assert client.get(reverse("party:disclosure_detail", args=[item.pk])).status_code == 200


def test_the_list_takes_the_same_queries_for_one_item_or_many(client, people):
    proposed(people.committee)
    sign_in(client, people.secretary)
    url = reverse("party:disclosure_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        proposed(people.committee, title=f"公开事项{n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)
