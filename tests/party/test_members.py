"""Members: the base predicates, the member services and the member workflow."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from keguan.audit.models import AuditEvent
from keguan.core.workflow import TransitionError
from keguan.party import permissions as can
from keguan.party.models import CommitteeSeat, Member
from keguan.party.services import members as services
from keguan.party.workflow_members import MEMBER_WORKFLOW
from tests.party.factories import (
    give_member_record,
    make_branch,
    make_id_number,
    make_member,
    make_seat,
    party_personas,
)

pytestmark = pytest.mark.django_db


def test_branch_of_is_the_branch_of_the_users_bureau(personas):
    branch = make_branch(personas.bureaus.county)
    assert can.branch_of(personas.party_member) == branch
    assert can.branch_of(personas.neighbour_officer) is None


def test_the_secretary_the_members_and_the_inspector_enter_the_party_pages(personas):
    party_personas(personas)
    assert can.can_enter_party(personas.party_secretary)
    assert can.can_enter_party(personas.party_member)
    assert can.can_enter_party(personas.inspector)
    for outsider in (personas.officer, personas.applicant_a, personas.leader, personas.sysadmin):
        assert not can.can_enter_party(outsider)


def test_a_party_member_without_a_record_does_not_enter(personas):
    make_branch(personas.bureaus.county)
    assert not can.can_enter_party(personas.party_member)
    assert can.member_of(personas.party_member) is None


def test_is_secretary_holds_only_in_the_secretarys_own_bureau(personas):
    branch, _pat, _sam = party_personas(personas)
    other = make_branch(personas.bureaus.neighbour)
    assert can.is_secretary(personas.party_secretary, branch)
    assert not can.is_secretary(personas.party_secretary, other)
    assert not can.is_secretary(personas.party_member, branch)
    assert can.is_inspector(personas.inspector, branch)
    assert not can.is_inspector(personas.inspector, other)


def test_a_member_sees_only_their_own_record(personas):
    branch, pat, sam = party_personas(personas)
    make_member(branch, "王五")
    assert list(can.visible_members(personas.party_member)) == [pat]
    assert can.visible_members(personas.party_secretary).count() == 3
    assert can.visible_members(personas.inspector).count() == 3
    assert not can.visible_members(personas.officer).exists()


def test_active_members_leave_out_the_transferred_and_the_deceased(personas):
    branch, pat, _sam = party_personas(personas)
    gone = make_member(branch, "赵六")
    MEMBER_WORKFLOW.apply(
        personas.party_secretary, gone, "transfer_out", {"destination": "县农业局党支部"}
    )
    assert gone not in Member.objects.active().filter(branch=branch)
    assert pat in Member.objects.active().filter(branch=branch)


def test_a_member_is_created_with_the_birth_date_from_the_id_number(personas):
    branch = make_branch(personas.bureaus.county)
    member = services.create_member(
        personas.party_secretary,
        branch,
        {
            "name": "钱七",
            "gender": "female",
            "id_number": make_id_number("19850612"),
            "joined_on": timezone.localdate() - dt.timedelta(days=30),
        },
    )
    assert member.birth_date == dt.date(1985, 6, 12)
    assert member.kind == Member.Kind.PROBATIONARY
    assert member.full_due_on == services._add_years(member.joined_on, 1)
    event = AuditEvent.objects.get(action="party.member.create", object_id=str(member.pk))
    assert member.id_number not in str(event.after)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"id_number": "361127198001010010"}, "id_number"),
        ({"name": "  "}, "name"),
        ({"gender": "other"}, "gender"),
        ({"joined_on": dt.date(2999, 1, 1)}, "joined_on"),
        ({"joined_on": dt.date(1990, 1, 1)}, "joined_on"),  # born 1980: joined at ten
        ({"full_due_on": dt.date(2004, 1, 1)}, "full_due_on"),
    ],
)
def test_bad_member_data_is_refused_with_the_field_named(personas, change, field):
    branch = make_branch(personas.bureaus.county)
    data = {
        "name": "孙八",
        "gender": "male",
        "id_number": make_id_number("19800101"),
        "joined_on": dt.date(2005, 7, 1),
    }
    data.update(change)
    with pytest.raises(ValidationError) as exc:
        services.create_member(personas.party_secretary, branch, data)
    assert field in exc.value.message_dict
    assert not Member.objects.exists()


def test_the_same_person_cannot_be_a_member_twice(personas):
    branch = make_branch(personas.bureaus.county)
    number = make_id_number()
    make_member(branch, "周九", id_number=number)
    with pytest.raises(ValidationError) as exc:
        make_member(branch, "周九", id_number=number.lower())
    assert "id_number" in exc.value.message_dict
    assert Member.objects.count() == 1


def test_an_account_of_another_bureau_or_without_the_role_is_refused(personas):
    branch = make_branch(personas.bureaus.county)
    for account in (personas.neighbour_officer, personas.officer):
        with pytest.raises(ValidationError) as exc:
            make_member(branch, "吴十", user=account)
        assert "user" in exc.value.message_dict


def test_become_full_records_the_branch_decision(personas):
    branch, _pat, _sam = party_personas(personas)
    member = make_member(branch, "郑一", kind=Member.Kind.PROBATIONARY)
    today = timezone.localdate()
    MEMBER_WORKFLOW.apply(
        personas.party_secretary, member, "become_full", {"note": "支部大会表决通过", "on": today}
    )
    member.refresh_from_db()
    assert member.kind == Member.Kind.FULL
    assert member.full_on == today
    assert member.full_decision == "支部大会表决通过"
    assert member.state == Member.State.ACTIVE
    assert AuditEvent.objects.filter(action="party.member.become_full").count() == 1


def test_become_full_needs_the_decision_and_a_probationary_member(personas):
    branch, pat, _sam = party_personas(personas)
    probationary = make_member(branch, "冯二", kind=Member.Kind.PROBATIONARY)
    with pytest.raises(TransitionError) as exc:
        MEMBER_WORKFLOW.apply(personas.party_secretary, probationary, "become_full", {})
    assert exc.value.code == "note_required"
    with pytest.raises(TransitionError) as exc:
        MEMBER_WORKFLOW.apply(personas.party_secretary, pat, "become_full", {"note": "再次"})
    assert exc.value.code == "guard_refused"
    probationary.refresh_from_db()
    assert probationary.kind == Member.Kind.PROBATIONARY


def test_transfer_out_needs_a_destination_and_keeps_the_date(personas):
    branch, _pat, _sam = party_personas(personas)
    member = make_member(branch, "陈三")
    with pytest.raises(TransitionError):
        MEMBER_WORKFLOW.apply(personas.party_secretary, member, "transfer_out", {})
    on = timezone.localdate() - dt.timedelta(days=3)
    MEMBER_WORKFLOW.apply(
        personas.party_secretary, member, "transfer_out", {"on": on, "destination": "市科技局"}
    )
    member.refresh_from_db()
    assert (member.state, member.transferred_on, member.transferred_to) == (
        Member.State.TRANSFERRED,
        on,
        "市科技局",
    )
    event = AuditEvent.objects.get(action="party.member.transfer_out")
    assert event.after["destination"] == "市科技局"


def test_a_death_in_the_future_is_refused_and_a_member_may_not_record_one(personas):
    branch, _pat, _sam = party_personas(personas)
    member = make_member(branch, "褚四")
    with pytest.raises(TransitionError) as exc:
        MEMBER_WORKFLOW.apply(
            personas.party_secretary,
            member,
            "record_death",
            {"on": timezone.localdate() + dt.timedelta(days=1)},
        )
    assert exc.value.code == "guard_refused"
    with pytest.raises(TransitionError) as exc:
        MEMBER_WORKFLOW.apply(personas.party_member, member, "record_death", {})
    assert exc.value.code == "forbidden"
    MEMBER_WORKFLOW.apply(personas.party_secretary, member, "record_death", {})
    member.refresh_from_db()
    assert member.state == Member.State.DECEASED
    assert member.deceased_on == timezone.localdate()


def test_a_new_secretary_takes_the_seat_from_the_old_one(personas):
    branch, pat, sam = party_personas(personas)
    make_seat(pat, CommitteeSeat.Duty.SECRETARY)
    assert list(branch.committee.values_list("member", "duty")) == [(pat.pk, "secretary")]
    assert AuditEvent.objects.filter(action="party.committee.seat").count() == 2


def test_a_group_with_members_cannot_be_removed(personas):
    branch, pat, _sam = party_personas(personas)
    group = services.create_group(personas.party_secretary, branch, "第一党小组")
    services.update_member(personas.party_secretary, pat, {"group": group})
    with pytest.raises(ValidationError):
        services.delete_group(personas.party_secretary, group)
    with pytest.raises(ValidationError):
        services.create_group(personas.party_secretary, branch, "第一党小组")


def test_revealing_an_id_number_is_for_the_secretary_and_audited(personas):
    branch, pat, _sam = party_personas(personas)
    assert services.reveal_id_number(personas.party_secretary, pat) == pat.id_number
    assert AuditEvent.objects.filter(action="party.member.id_revealed").count() == 1
    for user in (personas.inspector, personas.party_member):
        with pytest.raises(ValidationError):
            services.reveal_id_number(user, pat)
    assert AuditEvent.objects.filter(action="party.member.id_revealed").count() == 1


def test_give_member_record_is_idempotent(personas):
    first = give_member_record(personas.party_member)
    assert give_member_record(personas.party_member) == first
