"""Lists count at most COUNT_CAP rows and say "more than" past it."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from keguan.accounts.models import Organization
from keguan.core import pagination
from tests.factories import make_organization, sign_in

pytestmark = pytest.mark.django_db


def test_a_long_list_is_counted_only_up_to_the_cap(personas, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    make_organization(personas.bureaus.county, "丙企业")
    request = RequestFactory().get("/")
    page = pagination.paginate(request, Organization.objects.order_by("pk"), per_page=1)
    assert Organization.objects.count() > 3
    assert page.paginator.count == 3
    assert page.paginator.capped


def test_a_short_list_is_counted_exactly(personas):
    page = pagination.paginate(RequestFactory().get("/"), Organization.objects.order_by("pk"))
    assert page.paginator.count == Organization.objects.count()
    assert not page.paginator.capped


def test_the_page_says_more_than_when_the_count_was_capped(client, personas, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    for n in range(3):
        make_organization(personas.bureaus.county, f"单位{n}")
    sign_in(client, personas.officer)
    response = client.get(reverse("accounts:organization_list"))
    assert "narrow the filter" in response.content.decode() or "缩小" in response.content.decode()
