"""Member pages: who sees which record, the audited reads, the secretary's changes, dues."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keguan.audit.models import AuditEvent
from keguan.party.models import CommitteeSeat, DuesRecord, Member
from keguan.party.services import dues as dues_services
from keguan.party.services import members as member_services
from tests.factories import sign_in
from tests.party.factories import make_id_number, make_member, party_personas

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"party:{name}", args=args)


@pytest.fixture
def party(personas):
    branch, pat, sam = party_personas(personas)
    other = make_member(branch, "王大明")
    return branch, pat, sam, other


def _events(action) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_a_member_opens_their_own_record_and_it_is_not_audited_as_a_read(client, personas, party):
    _branch, pat, _sam, _other = party
    sign_in(client, personas.party_member)
    response = client.get(url("member_detail", pat.pk))
    assert response.status_code == 200
    assert pat.masked_id_number in response.content.decode()
    assert pat.id_number not in response.content.decode()
    assert _events("party.member.view") == 0


def test_a_member_never_sees_another_members_record(client, personas, party):
    _branch, _pat, _sam, other = party
    sign_in(client, personas.party_member)
    before = Member.objects.get(pk=other.pk)
    for name, method in (
        ("member_detail", "get"),
        ("member_edit", "get"),
        ("member_reveal_id", "post"),
        ("member_action", "post"),
    ):
        response = getattr(client, method)(url(name, other.pk), {"action": "record_death"})
        assert response.status_code == 404, name
    assert Member.objects.get(pk=other.pk).state == before.state == Member.State.ACTIVE
    assert _events("party.member.view") == 0
    assert _events("party.member.id_revealed") == 0
    assert _events("access.denied") >= 4


def test_a_member_lands_on_their_own_record_from_the_index_and_the_list(client, personas, party):
    _branch, pat, _sam, _other = party
    sign_in(client, personas.party_member)
    for name in ("index", "member_list"):
        response = client.get(url(name))
        assert response.status_code == 302
        assert response.url == url("member_detail", pat.pk)
    assert client.get(url("member_export")).status_code == 404
    assert _events("party.member.export") == 0


@pytest.mark.parametrize("persona", ["officer", "applicant_a", "leader", "neighbour_officer"])
def test_outsiders_reach_no_party_page(client, personas, party, persona):
    _branch, pat, _sam, _other = party
    sign_in(client, getattr(personas, persona))
    for response in (
        client.get(url("index")),
        client.get(url("member_list")),
        client.get(url("member_detail", pat.pk)),
        client.get(url("dues_sheet")),
        client.get(url("committee")),
    ):
        assert response.status_code == 404


@pytest.mark.parametrize("persona", ["party_secretary", "inspector"])
def test_the_secretary_and_the_inspector_read_every_record_and_each_read_is_audited(
    client, personas, party, persona
):
    _branch, _pat, _sam, other = party
    sign_in(client, getattr(personas, persona))
    assert client.get(url("index")).status_code == 200
    assert client.get(url("member_list")).status_code == 200
    response = client.get(url("member_detail", other.pk))
    assert response.status_code == 200
    assert other.id_number not in response.content.decode()
    event = AuditEvent.objects.get(action="party.member.view")
    assert (event.object_id, event.actor_username) == (
        str(other.pk),
        getattr(personas, persona).username,
    )


def test_the_secretary_reveals_an_id_number_and_the_reveal_is_audited(client, personas, party):
    _branch, _pat, _sam, other = party
    sign_in(client, personas.party_secretary)
    response = client.post(url("member_reveal_id", other.pk))
    assert response.status_code == 200
    assert other.id_number in response.content.decode()
    assert AuditEvent.objects.get(action="party.member.id_revealed").object_id == str(other.pk)


def test_the_inspector_cannot_reveal_an_id_number(client, personas, party):
    _branch, _pat, _sam, other = party
    sign_in(client, personas.inspector)
    assert client.post(url("member_reveal_id", other.pk)).status_code == 404
    assert _events("party.member.id_revealed") == 0


def test_the_member_list_runs_a_constant_number_of_queries(client, personas, party):
    branch, *_ = party
    sign_in(client, personas.party_secretary)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("member_list")).status_code == 200
        return len(queries)

    one = count()
    group = member_services.create_group(None, branch, "第二党小组")
    for index in range(4):
        make_member(branch, f"党员甲{index}", group=group)
    assert len(client.get(url("member_list")).context["page"]) == 7
    assert count() == one


def test_the_export_is_an_excel_workbook_with_masked_numbers_and_is_audited(
    client, personas, party
):
    sign_in(client, personas.inspector)
    response = client.get(url("member_export"))
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert AuditEvent.objects.get(action="party.member.export").after == {"members": 3}


def test_the_secretary_adds_and_edits_a_member(client, personas, party):
    sign_in(client, personas.party_secretary)
    number = make_id_number("19900909")
    response = client.post(
        url("member_create"),
        {
            "name": "新党员",
            "gender": "female",
            "id_number": number,
            "joined_on": "2020-07-01",
            "kind": "probationary",
        },
    )
    member = Member.objects.get(name="新党员")
    assert response.status_code == 302
    assert member.birth_date == dt.date(1990, 9, 9)
    page = client.get(url("member_edit", member.pk))
    assert page.status_code == 200
    assert number not in page.content.decode()  # the card never shows the number in full
    response = client.post(
        url("member_edit", member.pk),
        {"name": "新党员", "gender": "female", "joined_on": "2020-07-01", "post": "科员"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.post, member.id_number) == ("科员", number)


def test_a_bad_id_number_is_shown_beside_the_field_and_nothing_is_created(client, personas, party):
    sign_in(client, personas.party_secretary)
    response = client.post(
        url("member_create"),
        {
            "name": "错号",
            "gender": "male",
            "id_number": "123",
            "joined_on": "2020-07-01",
            "kind": "full",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"]
    assert not Member.objects.filter(name="错号").exists()


def test_a_member_cannot_add_members(client, personas, party):
    sign_in(client, personas.party_member)
    response = client.post(
        url("member_create"),
        {
            "name": "冒名",
            "gender": "male",
            "id_number": make_id_number(),
            "joined_on": "2020-07-01",
            "kind": "full",
        },
    )
    assert response.status_code == 404
    assert not Member.objects.filter(name="冒名").exists()


def test_the_secretary_transfers_a_member_out_through_the_workflow(client, personas, party):
    _branch, _pat, _sam, other = party
    sign_in(client, personas.party_secretary)
    response = client.post(
        url("member_action", other.pk),
        {"action": "transfer_out", "expected_state": "active", "destination": "市科技局党支部"},
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.state == Member.State.TRANSFERRED
    assert other.transferred_to == "市科技局党支部"


def test_a_transfer_without_destination_is_refused_with_a_message(client, personas, party, english):
    _branch, _pat, _sam, other = party
    sign_in(client, personas.party_secretary)
    response = client.post(
        url("member_action", other.pk),
        {"action": "transfer_out", "expected_state": "active"},
        follow=True,
    )
    assert any("Destination" in str(m) for m in response.context["messages"])
    other.refresh_from_db()
    assert other.state == Member.State.ACTIVE


def test_the_committee_page_and_a_new_seat(client, personas, party):
    branch, _pat, _sam, other = party
    sign_in(client, personas.party_member)
    assert client.get(url("committee")).status_code == 200
    assert (
        client.post(url("committee_seat"), {"member": other.pk, "duty": "member"}).status_code
        == 404
    )
    sign_in(client, personas.party_secretary)
    client.post(url("committee_seat"), {"member": other.pk, "duty": "member", "duties": "宣传"})
    assert CommitteeSeat.objects.filter(branch=branch, member=other, duties="宣传").exists()


def _month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def test_a_member_declares_their_own_income_but_not_anothers(client, personas, party):
    _branch, pat, _sam, other = party
    sign_in(client, personas.party_member)
    response = client.post(url("dues_declare", pat.pk), {"month": _month(), "income": "3500"})
    assert response.status_code == 302
    assert DuesRecord.objects.get(member=pat).amount == 35
    response = client.post(url("dues_declare", other.pk), {"month": _month(), "income": "3500"})
    assert response.status_code == 404
    assert not DuesRecord.objects.filter(member=other).exists()
    assert client.get(url("dues_mine")).status_code == 200
    assert client.get(url("dues_sheet")).status_code == 404


def test_only_the_secretary_marks_dues_paid(client, personas, party):
    _branch, pat, _sam, _other = party
    record = dues_services.declare_income(None, pat, _month(), "3000")
    for persona in ("party_member", "inspector"):
        sign_in(client, getattr(personas, persona))
        assert client.post(url("dues_pay", record.pk)).status_code == 404
    record.refresh_from_db()
    assert record.paid_on is None
    sign_in(client, personas.party_secretary)
    assert client.get(url("dues_sheet")).status_code == 200
    client.post(url("dues_pay", record.pk))
    record.refresh_from_db()
    assert record.paid_on == timezone.localdate()


def test_the_dues_export_is_audited(client, personas, party):
    sign_in(client, personas.inspector)
    response = client.get(url("dues_export") + f"?month={_month()}")
    assert response.status_code == 200
    assert _events("party.dues.export") == 1


def test_the_menu_shows_the_party_branch_to_whom_may_enter(client, personas, party):
    sign_in(client, personas.party_member)
    assert url("index") in client.get(reverse("core:home")).content.decode()
    sign_in(client, personas.officer)
    assert url("index") not in client.get(reverse("core:home")).content.decode()
