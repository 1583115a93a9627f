"""The calendar page and the signed feed a calendar app subscribes to."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from keguan.accounts import services as accounts
from keguan.notifications.views import _feed_user, feed_token
from keguan.projects import deadlines
from keguan.projects.models import Milestone
from tests.factories import sign_in
from tests.projects.factories import make_call
from tests.projects.states import make_project, under_way

pytestmark = pytest.mark.django_db


def _feed(client, user):
    return client.get(reverse("notifications:calendar_feed", args=[feed_token(user)]))


def _events(response):
    feed = Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in feed.walk("VEVENT")}


def test_the_feed_parses_and_holds_the_projects_milestone(client, personas):
    project = under_way(personas, make_project(personas))
    milestone = project.milestones.filter(kind=Milestone.Kind.PROGRESS_REPORT).first()
    response = _feed(client, personas.applicant_a)  # no session: the token is enough
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response)
    uid = next(u for u in events if u.startswith(f"keguan-milestone-{milestone.pk}@"))
    event = events[uid]
    assert event.decoded("dtstart") == milestone.due_on
    assert milestone.title in str(event["summary"])
    assert str(event["url"]).endswith(reverse("projects:project_detail", args=[project.pk]))
    assert any(u.startswith(f"keguan-acceptance-{project.pk}@") for u in events)


def test_the_officers_feed_holds_the_jurisdictions_milestones_and_calls(client, personas):
    project = under_way(personas, make_project(personas))
    call = make_call(personas.officer)
    events = _events(_feed(client, personas.officer))
    assert any(u.startswith(f"keguan-call-{call.pk}@") for u in events)
    milestone_ids = set(project.milestones.values_list("pk", flat=True))
    found = {int(u.split("@")[0].rsplit("-", 1)[1]) for u in events if "-milestone-" in u}
    assert milestone_ids <= found
    closing = next(e for u, e in events.items() if u.startswith(f"keguan-call-{call.pk}@"))
    assert closing.decoded("dtstart") == call.closes_at.replace(microsecond=0)


def test_an_applicant_sees_open_calls_but_not_other_units_projects(personas):
    call = make_call(personas.officer)
    other = under_way(personas, make_project(personas, applicant=personas.applicant_b))
    items = deadlines.for_user(personas.applicant_a)
    uids = {item["uid"] for item in items}
    assert f"keguan-call-{call.pk}" in uids
    assert not any(str(other.pk) in u for u in uids if "acceptance" in u)
    other_milestones = {f"keguan-milestone-{pk}" for pk in other.milestones.values_list("pk")}
    assert not uids & other_milestones


def test_a_call_closed_to_the_units_kind_is_left_out(personas):
    call = make_call(personas.officer, eligible_kinds=["university"])
    admitted = make_call(personas.officer, eligible_kinds=["enterprise"])
    uids = {item["uid"] for item in deadlines.for_user(personas.applicant_a)}
    assert f"keguan-call-{admitted.pk}" in uids
    assert f"keguan-call-{call.pk}" not in uids


def test_the_neighbouring_countys_officer_sees_none_of_our_deadlines(personas):
    under_way(personas, make_project(personas))
    make_call(personas.officer)
    assert deadlines.for_user(personas.neighbour_officer) == []


def test_a_tampered_token_gets_404(client, personas):
    token = feed_token(personas.applicant_a)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get(reverse("notifications:calendar_feed", args=[tampered]))
    assert response.status_code == 404


def test_a_token_signed_for_something_else_gets_404(client, personas):
    from django.core import signing

    token = signing.dumps(personas.applicant_a.pk)  # right key, wrong salt
    response = client.get(reverse("notifications:calendar_feed", args=[token]))
    assert response.status_code == 404


def test_a_disabled_users_feed_gets_404(client, personas):
    token = feed_token(personas.applicant_a)
    accounts.set_active(personas.sysadmin, personas.applicant_a, False, "离职")
    response = client.get(reverse("notifications:calendar_feed", args=[token]))
    assert response.status_code == 404


def test_the_calendar_page_shows_the_personal_feed_address(client, personas):
    sign_in(client, personas.applicant_a)
    response = client.get(reverse("notifications:calendar"))
    assert response.status_code == 200
    # The token is signed with a timestamp, so the one shown is checked by reading it back
    # (computing it again a second later gives another string for the same user).
    token = response.context["feed_url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert _feed_user(token) == personas.applicant_a
    assert response.context["feed_url"] in response.text
    assert response.context["webcal_url"].startswith("webcal://")


def test_deadlines_come_soonest_first(personas):
    under_way(personas, make_project(personas))
    starts = [item["start"] for item in deadlines.for_user(personas.applicant_a)]
    days = [timezone.localtime(s).date() if isinstance(s, dt.datetime) else s for s in starts]
    assert len(set(days)) >= 2  # something to order
    assert days == sorted(days)


def test_changing_the_password_withdraws_the_old_feed_address(client, personas):
    old = reverse("notifications:calendar_feed", args=[feed_token(personas.officer)])
    assert client.get(old).status_code == 200
    accounts.reset_password(personas.secadmin, personas.officer, "Another-Passw0rd-9")
    personas.officer.refresh_from_db()
    assert client.get(old).status_code == 404
    new = reverse("notifications:calendar_feed", args=[feed_token(personas.officer)])
    assert client.get(new).status_code == 200


def test_a_deadline_already_past_is_marked_overdue(personas):
    under_way(personas, make_project(personas))
    items = deadlines.for_user(personas.applicant_a)
    today = timezone.localdate()
    for item in items:
        start = item["start"]
        day = timezone.localtime(start).date() if isinstance(start, dt.datetime) else start
        assert item["overdue"] == (day < today)
    assert any(item["overdue"] for item in items)  # the task book began 400 days ago
