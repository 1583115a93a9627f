"""Party-affairs disclosure: proposal → review (confidentiality) → approval by another person
→ publication, inside the branch or as a public portal notice."""

import pytest

from keguan.audit.models import AuditEvent
from keguan.core.workflow import TransitionError
from keguan.party.models import DisclosureItem
from keguan.party.workflow_affairs import DISCLOSURE_WORKFLOW
from keguan.portal.models import Notice, NoticeKind
from tests.party.affairs_helpers import affairs_people, proposed

pytestmark = pytest.mark.django_db
D = DisclosureItem.State


@pytest.fixture
def people(personas):
    return affairs_people(personas)


def test_a_public_item_goes_through_every_step_and_becomes_a_portal_notice(people):
    item = proposed(people.committee)
    item = DISCLOSURE_WORKFLOW.apply(people.secretary, item, "review", {"confidential": True})
    item = DISCLOSURE_WORKFLOW.apply(people.secretary, item, "approve")
    item = DISCLOSURE_WORKFLOW.apply(people.secretary, item, "publish")
    assert item.state == D.PUBLISHED
    notice = Notice.objects.get(pk=item.notice_id)
    assert notice.kind == NoticeKind.PARTY_AFFAIRS
    assert notice.state == Notice.State.RUNNING
    assert notice.title == item.title
    assert notice in Notice.objects.public()
    steps = AuditEvent.objects.filter(
        object_type="party.disclosureitem", object_id=str(item.pk)
    ).values_list("action", flat=True)
    assert set(steps) >= {
        "party.disclosure.create",
        "party.disclosure.review",
        "party.disclosure.approve",
        "party.disclosure.publish",
    }
    assert AuditEvent.objects.filter(action="portal.notice.publish", object_id=str(notice.pk))


def test_the_review_needs_the_confidentiality_tick(people):
    item = proposed(people.committee)
    with pytest.raises(TransitionError) as refused:
        DISCLOSURE_WORKFLOW.apply(people.secretary, item, "review", {})
    assert refused.value.code == "guard_refused"
    item.refresh_from_db()
    assert item.state == D.PROPOSED and not item.confidentiality_confirmed


def test_the_review_refuses_an_id_or_mobile_number_even_when_ticked(people):
    item = proposed(people.committee, body="联系人手机13912345678,请党员周知。")
    with pytest.raises(TransitionError) as refused:
        DISCLOSURE_WORKFLOW.apply(people.secretary, item, "review", {"confidential": True})
    assert refused.value.code == "guard_refused"
    item.refresh_from_db()
    assert item.state == D.PROPOSED
    assert not AuditEvent.objects.filter(action="party.disclosure.review").exists()


def test_the_proposer_cannot_approve_their_own_item(people):
    item = proposed(people.secretary)
    item = DISCLOSURE_WORKFLOW.apply(people.committee, item, "review", {"confidential": True})
    with pytest.raises(TransitionError) as refused:
        DISCLOSURE_WORKFLOW.apply(people.secretary, item, "approve")
    assert refused.value.code == "guard_refused"
    item.refresh_from_db()
    assert item.state == D.REVIEWED and item.approved_by is None
    item = DISCLOSURE_WORKFLOW.apply(people.committee, item, "approve")
    assert item.approved_by == people.committee


def test_a_branch_item_makes_no_notice_and_shows_to_members_once_published(people):
    from keguan.party.permissions.affairs import visible_disclosures

    item = proposed(people.committee, scope="branch")
    assert item not in visible_disclosures(people.member)
    item = DISCLOSURE_WORKFLOW.apply(people.secretary, item, "review", {"confidential": True})
    item = DISCLOSURE_WORKFLOW.apply(people.secretary, item, "approve")
    item = DISCLOSURE_WORKFLOW.apply(people.secretary, item, "publish")
    assert item.notice is None and not Notice.objects.exists()
    assert item in visible_disclosures(people.member)


def test_a_returned_item_is_changed_and_proposed_again(people):
    from keguan.party.services import affairs as services

    item = proposed(people.committee)
    item = DISCLOSURE_WORKFLOW.apply(people.secretary, item, "return", {"note": "补充时间"})
    services.update_disclosure(people.committee, item, {"body": "2011年12月公开。"})
    item = DISCLOSURE_WORKFLOW.apply(people.committee, item, "resubmit")
    assert item.state == D.PROPOSED and item.body == "2011年12月公开。"


def test_a_plain_member_cannot_move_an_item(people):
    item = proposed(people.committee)
    with pytest.raises(TransitionError) as refused:
        DISCLOSURE_WORKFLOW.apply(people.member, item, "review", {"confidential": True})
    assert refused.value.code == "forbidden"
