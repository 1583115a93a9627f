"""The party branch in the browser: a member opens a study session's sign-in link (what its
QR code holds), confirms, and then casts a secret ballot in the open democratic evaluation.

The data is made here through the services (a branch of six members, pat among them), so
the test does not depend on the demo's party data.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from keguan.party.models import BallotGrade, Grade, StudyAttendance, VoterRecord
from keguan.party.services import study
from tests.browser.helpers import sign_in
from tests.factories import PASSWORD, make_bureau, make_user
from tests.party.evaluation_factories import branch_with_voters, open_round


def _personas():
    """The county with sam (secretary), pat (member) and ian (inspector), as tests/conftest
    makes them, without the rest of the personas the browser does not need."""
    from types import SimpleNamespace

    from keguan.accounts.models import Bureau
    from keguan.accounts.roles import Role

    province = make_bureau("360000", "省科技厅", level=Bureau.Level.PROVINCIAL)
    city = make_bureau("361100", "市科技局", province, Bureau.Level.MUNICIPAL)
    county = make_bureau("361127", "县科技局", city)
    return SimpleNamespace(
        bureaus=SimpleNamespace(county=county),
        party_secretary=make_user("sam", [Role.PARTY_SECRETARY], county),
        party_member=make_user("pat", [Role.PARTY_MEMBER], county),
    )


def _session_now(secretary, branch):
    """A collective study starting in ten minutes: its sign-in window is open now."""
    start = timezone.localtime() + dt.timedelta(minutes=10)
    end = min(start + dt.timedelta(hours=1), start.replace(hour=23, minute=59))
    return study.create_session(
        secretary,
        branch,
        {
            "kind": "collective",
            "topic": "学习党章",
            "date": start.date(),
            "starts_at": start.time().replace(microsecond=0),
            "ends_at": end.time().replace(microsecond=0),
            "place": "局三楼会议室",
            "hours": Decimal("1.0"),
        },
    )


def test_a_member_signs_in_to_a_study_session_and_votes(page, transactional_db):
    personas = _personas()
    branch, members = branch_with_voters(personas)  # pat, sam and four more: cap 2
    pat = members[0]
    session = _session_now(personas.party_secretary, branch)
    round = open_round(personas, branch)

    # The QR code opens the sign-in page; the member signs in to keguan first.
    page.goto(f"/party/study/sessions/{session.pk}/sign-in/{session.token}/")
    sign_in(page, "pat", PASSWORD)
    page.locator("#main form button[type=submit]").click()
    page.wait_for_load_state()
    assert StudyAttendance.objects.filter(session=session, member=pat).exists()

    # Then the open evaluation: the round page, the ballot with its cap, the vote.
    page.goto(f"/party/evaluation/{round.pk}/")
    page.locator("#vote-link").click()
    page.wait_for_load_state()
    expect(page.locator("#main")).to_contain_text("2")
    others = members[1:]
    for member in others:
        page.locator(f"#id_grade_{member.pk}").select_option(Grade.COMPETENT)
    # Three 优秀 are one over the cap: refused, and nothing is stored.
    for member in others[:3]:
        page.locator(f"#id_grade_{member.pk}").select_option(Grade.EXCELLENT)
    page.locator("#ballot-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#ballot-form .alert-danger")).to_be_visible()
    assert not VoterRecord.objects.filter(round=round).exists()
    # Within the cap the vote is cast.
    page.locator(f"#id_grade_{others[2].pk}").select_option(Grade.COMPETENT)
    page.locator("#ballot-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#main .alert-success").first).to_be_visible()
    assert VoterRecord.objects.filter(round=round, member=pat).exists()
    assert BallotGrade.objects.filter(round=round).count() == len(others)
    # The round page now says the member has voted, and offers no second ballot.
    expect(page.locator("#vote-link")).to_have_count(0)
