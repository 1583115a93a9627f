"""The notification list, marking read, the header badge and the menu."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keguan.notifications.models import Notification
from keguan.notifications.services import notify
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def test_the_list_shows_only_the_users_own_notifications(client, personas):
    notify([personas.applicant_a], "给甲的通知", "", "/home/")
    notify([personas.applicant_b], "给乙的通知", "", "/home/")
    sign_in(client, personas.applicant_a)
    response = client.get(reverse("notifications:notification_list"))
    assert response.status_code == 200
    assert [n.subject for n in response.context["page"]] == ["给甲的通知"]
    assert "给乙的通知" not in response.text


def test_unread_notifications_come_first(client, personas):
    older, newer = (
        notify([personas.officer], "旧的未读")[0],
        notify([personas.officer], "新的已读")[0],
    )
    Notification.objects.filter(pk=newer.pk).update(read_at=older.created_at)
    sign_in(client, personas.officer)
    page = client.get(reverse("notifications:notification_list")).context["page"]
    assert [n.subject for n in page] == ["旧的未读", "新的已读"]


def test_the_list_costs_the_same_queries_for_one_notification_and_for_many(client, personas):
    notify([personas.officer], "一")
    sign_in(client, personas.officer)
    url = reverse("notifications:notification_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(5):
        notify([personas.officer], f"通知{n}", "", "/home/")
    with CaptureQueriesContext(connection) as six:
        client.get(url)
    assert len(six) == len(one)


def test_marking_one_read_leaves_the_others_unread(client, personas):
    first, second = notify([personas.applicant_a], "一")[0], notify([personas.applicant_a], "二")[0]
    sign_in(client, personas.applicant_a)
    client.post(reverse("notifications:notification_read"), {"id": first.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, personas):
    [notification] = notify([personas.applicant_a], "申报书已退回", "", "/home/")
    sign_in(client, personas.applicant_a)
    response = client.post(
        reverse("notifications:notification_read"), {"id": notification.pk, "open": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/home/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_notification_pointing_off_site_is_not_followed(client, personas):
    [notification] = notify([personas.applicant_a], "x", "", "https://evil.example/")
    sign_in(client, personas.applicant_a)
    response = client.post(
        reverse("notifications:notification_read"), {"id": notification.pk, "open": "1"}
    )
    assert response["Location"] == reverse("notifications:notification_list")


def test_marking_all_read(client, personas):
    notify([personas.applicant_a], "一")
    notify([personas.applicant_a], "二")
    [other] = notify([personas.applicant_b], "乙的")
    sign_in(client, personas.applicant_a)
    client.post(reverse("notifications:notification_read"))
    assert not Notification.objects.filter(user=personas.applicant_a, read_at__isnull=True)
    other.refresh_from_db()
    assert other.read_at is None


def test_nobody_marks_another_users_notification_read(client, personas):
    [notification] = notify([personas.applicant_b], "乙的")
    sign_in(client, personas.applicant_a)
    response = client.post(reverse("notifications:notification_read"), {"id": notification.pk})
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_reading_needs_a_post(client, personas):
    sign_in(client, personas.applicant_a)
    assert client.get(reverse("notifications:notification_read")).status_code == 405


def test_the_header_badge_counts_the_unread(client, personas):
    notify([personas.applicant_a], "一")
    notify([personas.applicant_a], "二")
    sign_in(client, personas.applicant_a)
    response = client.get(reverse("core:home"))
    assert response.context["unread_notifications"] == 2
    assert 'data-testid="notifications-badge"' in response.text


def test_administrators_get_no_badge(client, personas):
    sign_in(client, personas.sysadmin)
    response = client.get(reverse("core:home"))
    assert "notifications_badge" not in response.context
    assert 'data-testid="notifications-badge"' not in response.text


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("notifications:notification_list"))
    assert response.status_code == 302


def test_the_header_offers_notifications_and_calendar_to_business_users(client, personas):
    """The bell and the user menu carry them, so the main menu keeps to the work pages."""
    sign_in(client, personas.expert)
    response = client.get(reverse("core:home"))
    page = response.text
    assert f'href="{reverse("notifications:notification_list")}"' in page
    assert f'href="{reverse("notifications:calendar")}"' in page
    urls = [item["url"] for item in response.context["nav_items"]]
    assert reverse("projects:project_list") not in urls
    assert reverse("funds:fund_list") not in urls
    client.logout()
    sign_in(client, personas.sysadmin)
    page = client.get(reverse("core:home")).text
    assert f'href="{reverse("notifications:calendar")}"' not in page


def test_the_officers_menu_has_the_project_pages(client, personas):
    sign_in(client, personas.officer)
    urls = [item["url"] for item in client.get(reverse("core:home")).context["nav_items"]]
    for name in (
        "projects:call_list",
        "projects:candidate_list",
        "projects:application_list",
        "projects:project_list",
        "funds:fund_list",
        "projects:integrity_list",
    ):
        assert reverse(name) in urls
