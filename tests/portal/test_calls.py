"""The public portal's calls: anyone reads the published ones, nobody reads the rest."""

import pytest
from django.urls import reverse

from keguan.accounts.models import Bureau
from keguan.projects.workflow import CALL_WORKFLOW
from tests.factories import sign_in
from tests.projects.factories import make_call, make_program

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_see_published_calls_of_every_bureau(client, personas):
    ours = make_call(personas.officer, title="县级指南")
    far = make_call(personas.neighbour_officer, title="邻县指南")
    city = make_call(
        personas.city_officer,
        make_program(personas.city_officer, level=Bureau.Level.MUNICIPAL),
        title="市级指南",
    )
    response = client.get(reverse("portal:call_list"))
    assert response.status_code == 200
    assert set(response.context["page"]) == {ours, far, city}


def test_the_portal_hides_drafts_and_cancelled_calls(client, personas):
    draft = make_call(personas.officer, publish=False, title="草稿指南")
    cancelled = make_call(personas.officer, title="作废指南")
    CALL_WORKFLOW.apply(personas.officer, cancelled, "cancel", {"note": "重发"})
    response = client.get(reverse("portal:call_list"))
    body = response.content.decode()
    assert list(response.context["page"]) == []
    assert "草稿指南" not in body and "作废指南" not in body
    for call in (draft, cancelled):
        url = reverse("portal:call_detail", kwargs={"pk": call.pk})
        assert client.get(url).status_code == 404


def test_a_published_call_shows_its_guide_window_and_eligibility(client, personas):
    call = make_call(
        personas.officer,
        guide="重点支持富硒茶叶产业。",
        eligible_kinds=["cooperative"],
        max_per_organization=3,
    )
    response = client.get(reverse("portal:call_detail", kwargs={"pk": call.pk}))
    assert response.status_code == 200
    body = response.content.decode()
    assert call.title in body and call.program.name in body
    assert "重点支持富硒茶叶产业。" in body
    assert call.eligible_kind_labels()[0] in body


def test_signed_in_users_read_the_portal_too(client, personas):
    call = make_call(personas.officer)
    sign_in(client, personas.expert)
    assert client.get(reverse("portal:call_detail", kwargs={"pk": call.pk})).status_code == 200


def test_the_search_narrows_by_title(client, personas):
    tea = make_call(personas.officer, title="茶叶专项指南")
    make_call(personas.officer, title="水稻专项指南")
    response = client.get(reverse("portal:call_list"), {"q": "茶叶"})
    assert list(response.context["page"]) == [tea]


def test_portal_call_list_queries_do_not_grow_with_rows(
    client, personas, django_assert_max_num_queries
):
    make_call(personas.officer)
    url = reverse("portal:call_list")
    client.get(url)
    with django_assert_max_num_queries(10) as one:
        client.get(url)
    for _ in range(4):
        make_call(personas.officer, make_program(personas.officer))
    with django_assert_max_num_queries(len(one.captured_queries)) as five:
        response = client.get(url)
    assert len(response.context["page"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)
