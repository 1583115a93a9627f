"""The branch's POST-only endpoints that no area test posts to refuse everyone but the
people they are for (an audited 404, nothing changed) and answer GET with 405.

Listed for the permission matrix (tests/test_permission_matrix.py, COVERED_ELSEWHERE).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from keguan.audit.models import AuditEvent
from keguan.party.services import dues as dues_services
from keguan.party.services import members as member_services
from keguan.party.services import study
from tests.factories import sign_in
from tests.party.factories import make_member, party_personas
from tests.party.meetings_factories import make_meeting

pytestmark = pytest.mark.django_db

SECRETARY_ONLY = ("party_member", "inspector", "officer", "applicant_a")
MEMBERS_ONLY = ("inspector", "officer", "applicant_a")


@pytest.fixture
def records(personas):
    branch, pat, sam = party_personas(personas)
    other = make_member(branch, "王大明")
    group = member_services.create_group(None, branch, "第一党小组")
    seat = member_services.set_seat(None, branch, other, "member", "宣传")
    record = dues_services.declare_income(None, other, dt.date.today().replace(day=1), "4000")
    dues_services.mark_paid(None, record)
    session = study.create_session(
        None,
        branch,
        {
            "kind": "collective",
            "topic": "深入学习实践科学发展观",
            "date": dt.date.today() - dt.timedelta(days=3),
            "starts_at": dt.time(14, 30),
            "ends_at": dt.time(16, 30),
            "hours": Decimal("2"),
        },
    )
    meeting = make_meeting(personas.party_secretary, branch, present=2)
    decision = meeting_decision(personas, meeting)
    return {
        "committee_seat_remove": seat.pk,
        "group_rename": group.pk,
        "group_delete": group.pk,
        "group_create": None,
        "dues_unpay": record.pk,
        "session_sign_member": session.pk,
        "material_upload": session.pk,
        "makeup_create": session.pk,
        "note_submit": session.pk,
        "meeting_decision_remove": decision.pk,
    }


def meeting_decision(personas, meeting):
    from keguan.party.services import meetings

    return meetings.add_decision(
        personas.party_secretary,
        meeting,
        {"text": "同意年度学习计划", "votes_for": 2, "votes_against": 0, "abstentions": 0},
    )


REFUSED = {
    "committee_seat_remove": SECRETARY_ONLY,
    "group_create": SECRETARY_ONLY,
    "group_rename": SECRETARY_ONLY,
    "group_delete": SECRETARY_ONLY,
    "dues_unpay": SECRETARY_ONLY,
    "session_sign_member": SECRETARY_ONLY,
    "material_upload": SECRETARY_ONLY,
    "meeting_decision_remove": SECRETARY_ONLY,
    # A member's own study: nobody outside the branch.
    "makeup_create": MEMBERS_ONLY,
    "note_submit": MEMBERS_ONLY,
}


def changes() -> list[str]:
    return list(AuditEvent.objects.exclude(action="access.denied").values_list("pk", flat=True))


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_only_those_it_is_for_may_post_and_a_refusal_changes_nothing(
    client, personas, records, name
):
    pk = records[name]
    url = reverse(f"party:{name}", args=[pk] if pk else [])
    before = changes()
    for persona in REFUSED[name]:
        sign_in(client, getattr(personas, persona))
        response = client.post(
            url, {"name": "改名", "member": pk or "", "text": "心得", "reason": "补"}
        )
        assert response.status_code == 404, f"{persona} on {name}: {response.status_code}"
    assert changes() == before
    sign_in(client, personas.party_secretary)
    assert client.get(url).status_code == 405
