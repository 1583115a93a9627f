"""Members and dues through the API: the same scope as the pages, ID numbers masked."""

import pytest
from django.utils import timezone

from keguan.audit.models import AuditEvent
from keguan.party.models import DuesRecord, Member
from tests.api.projects.helpers import get, ids, same_queries_for_one_and_many, send
from tests.party.factories import make_branch, make_id_number, make_member, party_personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def party(personas):
    branch, pat, sam = party_personas(personas)
    return branch, pat, sam, make_member(branch, "王大明")


def test_a_member_lists_only_their_own_record(client, personas, party):
    _branch, pat, _sam, other = party
    assert ids(get(client, "/party/members", personas.party_member)) == [pat.pk]
    assert get(client, f"/party/members/{other.pk}", personas.party_member).status_code == 404
    assert not AuditEvent.objects.filter(action="party.member.view").exists()


def test_outsiders_reach_no_member(client, personas, party):
    _branch, pat, _sam, _other = party
    for user in (personas.officer, personas.applicant_a, personas.neighbour_officer):
        assert ids(get(client, "/party/members", user)) == []
        assert get(client, f"/party/members/{pat.pk}", user).status_code == 404


def test_id_numbers_are_masked_for_everyone_and_a_read_of_another_is_audited(
    client, personas, party
):
    _branch, _pat, _sam, other = party
    for user in (personas.party_secretary, personas.inspector):
        body = get(client, f"/party/members/{other.pk}", user).json()
        assert body["id_number"] == other.masked_id_number != other.id_number
    assert AuditEvent.objects.filter(action="party.member.view").count() == 2


def test_only_the_secretary_reveals_an_id_number(client, personas, party):
    _branch, _pat, _sam, other = party
    response = send(client, "post", f"/party/members/{other.pk}/reveal-id", personas.inspector)
    assert response.status_code == 403
    response = send(client, "post", f"/party/members/{other.pk}/reveal-id", personas.party_member)
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="party.member.id_revealed").exists()
    response = send(
        client, "post", f"/party/members/{other.pk}/reveal-id", personas.party_secretary
    )
    assert response.json()["id_number"] == other.id_number
    assert AuditEvent.objects.filter(action="party.member.id_revealed").count() == 1


def test_the_member_list_costs_the_same_queries_for_one_and_many(client, personas):
    branch = make_branch(personas.bureaus.county)
    make_member(branch, "甲")
    same_queries_for_one_and_many(
        client,
        personas.inspector,
        "/party/members",
        lambda: [make_member(branch, f"党员乙{i}") for i in range(3)],
    )


def test_the_secretary_creates_a_member_and_bad_data_names_the_field(client, personas, party):
    response = send(
        client,
        "post",
        "/party/members",
        personas.party_secretary,
        {"name": "新人", "gender": "female", "id_number": "123", "joined_on": "2020-07-01"},
    )
    assert response.status_code in (400, 422)
    assert "id_number" in response.content.decode()
    response = send(
        client,
        "post",
        "/party/members",
        personas.party_secretary,
        {
            "name": "新人",
            "gender": "female",
            "id_number": make_id_number("19920202"),
            "joined_on": "2020-07-01",
        },
    )
    assert response.status_code == 201
    assert "*" in response.json()["id_number"]
    response = send(
        client,
        "post",
        "/party/members",
        personas.party_member,
        {
            "name": "冒名",
            "gender": "male",
            "id_number": make_id_number(),
            "joined_on": "2020-07-01",
        },
    )
    assert response.status_code == 403
    assert not Member.objects.filter(name="冒名").exists()


def test_the_workflow_action_transfers_a_member_out(client, personas, party):
    _branch, _pat, _sam, other = party
    path = f"/party/members/{other.pk}/actions/transfer_out"
    response = send(client, "post", path, personas.party_member, {"data": {"destination": "外县"}})
    assert response.status_code == 404
    response = send(
        client, "post", path, personas.party_secretary, {"data": {"destination": "外县党支部"}}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "transferred"


def test_dues_declared_by_the_member_and_paid_by_the_secretary(client, personas, party):
    _branch, pat, _sam, other = party
    month = f"{timezone.localdate():%Y-%m}"
    response = send(
        client,
        "post",
        "/party/dues",
        personas.party_member,
        {"member": pat.pk, "month": month, "income": "10000"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["amount"] in ("150.00", 150, "150")
    response = send(
        client,
        "post",
        "/party/dues",
        personas.party_member,
        {"member": other.pk, "month": month, "income": "10000"},
    )
    assert response.status_code == 404
    record = DuesRecord.objects.get(member=pat)
    response = send(client, "post", f"/party/dues/{record.pk}/paid", personas.party_member)
    assert response.status_code == 403
    response = send(client, "post", f"/party/dues/{record.pk}/paid", personas.party_secretary)
    assert response.status_code == 200
    assert response.json()["paid_on"] == f"{timezone.localdate():%Y-%m-%d}"
    assert ids(get(client, "/party/dues?unpaid=true", personas.party_secretary)) == []
    assert ids(get(client, "/party/dues", personas.party_member)) == [record.pk]
