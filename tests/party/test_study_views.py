"""The study pages and API: who sees what (404 otherwise), QR sign-in, lists' query counts."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keguan.accounts import services as accounts
from keguan.audit.models import AuditEvent
from keguan.party.models import LeaveRequest, StudyAttendance
from keguan.party.services import study as services
from tests.factories import make_user, sign_in
from tests.party.factories import make_member
from tests.party.test_study import at, make_plan, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def party(personas):
    from tests.party.factories import party_personas

    branch, pat, sam = party_personas(personas)
    return personas, branch, pat, sam


@pytest.fixture
def other(party):
    """Another member of the branch, with an account, and their own records."""
    personas, branch, _pat, _sam = party
    user = make_user("quinn", ["party_member"], personas.bureaus.county)
    return make_member(branch, "秦", user=user)


def bearer(user) -> dict:
    _token, secret = accounts.create_token(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_qr_link_asks_for_login_then_offers_a_confirm_button(client, party):
    personas, branch, pat, _sam = party
    session = make_session(branch)
    url = reverse("party:session_sign_in", args=[session.pk, session.token])
    assert client.get(url).status_code == 302
    sign_in(client, personas.party_member)
    with time_machine.travel(at(2011, 3, 10, 14, 20), tick=False):
        page = client.get(url)
        assert page.status_code == 200 and b"sign-in-problem" not in page.content
        client.post(url)
        again = client.post(url)
    assert again.status_code == 409 and b"sign-in-problem" in again.content
    assert StudyAttendance.objects.filter(session=session, member=pat).count() == 1


def test_a_wrong_code_or_a_closed_window_is_refused_with_a_message(client, party):
    personas, branch, _pat, _sam = party
    session = make_session(branch)
    sign_in(client, personas.party_member)
    wrong = reverse("party:session_sign_in", args=[session.pk, "wrong-code"])
    right = reverse("party:session_sign_in", args=[session.pk, session.token])
    with time_machine.travel(at(2011, 3, 10, 17, 0), tick=False):
        for url in (wrong, right):
            response = client.post(url)
            assert response.status_code == 409 and b"sign-in-problem" in response.content
    assert not session.attendance.exists()


def test_the_secretary_sees_the_qr_code_and_a_member_does_not(client, party):
    personas, branch, _pat, _sam = party
    session = make_session(branch)
    url = reverse("party:session_detail", args=[session.pk])
    sign_in(client, personas.party_secretary)
    assert b"data:image/svg+xml;base64," in client.get(url).content
    sign_in(client, personas.party_member)
    page = client.get(url)
    assert page.status_code == 200 and session.token.encode() not in page.content


def test_a_member_sees_only_their_own_attendance_notes_and_leave(client, party, other):
    personas, branch, pat, _sam = party
    session = make_session(branch, day=dt.date(2030, 3, 10))
    services.sign_in_member(None, session, other, now=session.start)
    leave = services.ask_leave(None, session, "私事", member=other, now=at(2030, 3, 9))
    sign_in(client, personas.party_member)
    page = client.get(reverse("party:session_detail", args=[session.pk]))
    assert "秦".encode() not in page.content and "私事".encode() not in page.content
    response = client.post(
        reverse("party:leave_action", args=[leave.pk]),
        {"action": "approve", "expected_state": "pending"},
    )
    assert response.status_code == 404
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.PENDING
    api = client.get("/api/v1/party/study/attendance", **bearer(personas.party_member)).json()
    assert api["items"] == []


def test_a_member_cannot_approve_their_own_leave(client, party):
    personas, branch, pat, _sam = party
    session = make_session(branch, day=dt.date(2030, 3, 10))
    sign_in(client, personas.party_member)
    client.post(reverse("party:leave_create", args=[session.pk]), {"reason": "出差"})
    leave = LeaveRequest.objects.get(member=pat)
    response = client.post(
        reverse("party:leave_action", args=[leave.pk]),
        {"action": "approve", "expected_state": "pending"},
    )
    assert response.status_code == 404
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.PENDING
    sign_in(client, personas.party_secretary)
    client.post(
        reverse("party:leave_action", args=[leave.pk]),
        {"action": "approve", "expected_state": "pending"},
    )
    leave.refresh_from_db()
    assert leave.state == LeaveRequest.State.APPROVED


def test_hours_and_the_ranking_are_for_the_secretary_and_the_inspector_only(client, party):
    personas, branch, pat, _sam = party
    make_plan(branch, year=2011)
    for name in ("party:study_hours", "party:study_hours_export"):
        url = reverse(name) + "?year=2011"
        sign_in(client, personas.party_member)
        assert client.get(url).status_code == 404
        for user in (personas.party_secretary, personas.inspector):
            sign_in(client, user)
            assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="party.study.hours.export").count() == 2
    sign_in(client, personas.party_member)
    close = reverse("party:assessment_close")
    assert client.post(close, {"year": 2011, "quarter": 1}).status_code == 404
    sign_in(client, personas.inspector)
    assert client.post(close, {"year": 2011, "quarter": 1}).status_code == 404
    assert not AuditEvent.objects.filter(action="party.study.quarter.close").exists()


def test_the_api_gives_a_member_only_their_own_hours(client, party, other):
    personas, branch, pat, _sam = party
    session = make_session(branch)
    services.sign_in_member(None, session, other, now=session.start)
    mine = client.get("/api/v1/party/study/hours?year=2011", **bearer(personas.party_member))
    assert [row["member_id"] for row in mine.json()] == [pat.pk]
    everyone = client.get("/api/v1/party/study/hours?year=2011", **bearer(personas.inspector))
    assert {row["member_id"] for row in everyone.json()} >= {pat.pk, other.pk}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "name", ["party:session_list", "party:study_hours", "party:leave_list", "party:plan_list"]
)
def test_lists_take_the_same_number_of_queries_for_one_row_or_many(client, party, name):
    personas, branch, pat, _sam = party
    sign_in(client, personas.party_secretary)
    url = reverse(name) + "?year=2030"
    make_plan(branch, year=2030)
    session = make_session(branch, day=dt.date(2030, 3, 10))
    services.ask_leave(None, session, "私事", member=pat, now=at(2030, 3, 9))
    _queries(client, url)
    one = _queries(client, url)
    for index in range(3):
        extra = make_member(branch, f"党员甲{index}")
        more = make_session(branch, day=dt.date(2030, 4, 10 + index))
        make_plan(branch, year=2031 + index)
        services.ask_leave(None, more, "私事", member=extra, now=at(2030, 4, 9))
    assert _queries(client, url) == one
