"""Keeping the branch: the branch itself, members, committee seats, party groups; and the
audited reads of a member's record (views of another's record, ID reveals, exports)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

from keguan.accounts.roles import Role
from keguan.audit import services as audit
from keguan.core.crypto import blind_index
from keguan.core.records import save_new, update_fields
from keguan.party.models import Branch, CommitteeSeat, Member, PartyGroup
from keguan.projects.services import validate_id_number

BRANCH_FIELDS = ("name", "founded_on")
# What the secretary edits; kind and state change only through MEMBER_WORKFLOW.
MEMBER_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "joined_on",
    "full_due_on",
    "post",
    "group",
    "user",
)
# Recorded when a member is created (the full decision of a member entered as full).
CREATE_FIELDS = (*MEMBER_FIELDS, "kind", "full_on", "full_decision")
ID_PURPOSE = "party.member.id_number"


def create_branch(user, bureau, data: dict) -> Branch:
    """The bureau's Party branch (one per bureau)."""
    if Branch.objects.filter(bureau=bureau).exists():
        raise ValidationError({"name": _("This bureau already has a Party branch.")})
    branch = Branch(bureau=bureau, name=(data.get("name") or "").strip())
    branch.founded_on = data.get("founded_on")
    save_new(branch, "party.branch.create", ("bureau", *BRANCH_FIELDS))
    return branch


def update_branch(user, branch: Branch, data: dict) -> Branch:
    return update_fields(branch, "party.branch.update", BRANCH_FIELDS, data)


def _checked(branch: Branch, data: dict, member: Member | None = None) -> dict:
    """Clean DATA for a member of BRANCH; errors name the field they concern."""
    data = dict(data)
    errors: dict[str, str] = {}
    for name in ("name", "post"):
        if name in data:
            data[name] = (data[name] or "").strip()
    if "name" in data and not data["name"]:
        errors["name"] = _("Name: please give the member's name.")
    if "gender" in data and data["gender"] not in Member.Gender.values:
        errors["gender"] = _("Gender: choose male or female.")
    if "id_number" in data:
        try:
            data["id_number"] = validate_id_number(data["id_number"], "id_number")
        except ValidationError:
            # Not echoed: the number itself must not reach pages or logs.
            errors["id_number"] = _(
                "ID number: not a valid resident ID number (18 characters, real birth date, "
                "right check character)."
            )
        else:
            clash = Member.objects.filter(
                branch=branch, id_number_index=blind_index(data["id_number"], ID_PURPOSE)
            )
            if member is not None:
                clash = clash.exclude(pk=member.pk)
            if clash.exists():
                errors["id_number"] = _("ID number: this person is already a member here.")
            elif not data.get("birth_date"):
                data["birth_date"] = ric.get_birth_date(data["id_number"])
    today = timezone.localdate()
    joined = data.get("joined_on", member.joined_on if member else None)
    if "joined_on" in data and not data["joined_on"]:
        errors["joined_on"] = _("Joined the Party on: please give the date.")
    elif joined and joined > today:
        errors["joined_on"] = _("Joined the Party on: the date cannot be in the future.")
    birth = data.get("birth_date", member.birth_date if member else None)
    if birth and joined and joined < _add_years(birth, 18):
        errors["joined_on"] = _("Joined the Party on: a member joins at eighteen or older.")
    due = data.get("full_due_on")
    if due and joined and due <= joined:
        errors["full_due_on"] = _("Full membership due on: must come after the join date.")
    group = data.get("group")
    if group is not None and group.branch_id != branch.pk:
        errors["group"] = _("Party group: choose a group of this branch.")
    account = data.get("user")
    if account is not None:
        if account.bureau_id != branch.bureau_id:
            errors["user"] = _("Account: choose an account of this bureau.")
        elif not account.has_role(Role.PARTY_MEMBER, Role.PARTY_SECRETARY):
            errors["user"] = _("Account: the account must hold the Party member role.")
        elif Member.objects.filter(user=account).exclude(pk=getattr(member, "pk", None)).exists():
            errors["user"] = _("Account: this account already belongs to another member.")
    if errors:
        raise ValidationError(errors)
    return data


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def create_member(user, branch: Branch, data: dict) -> Member:
    """A member of BRANCH. A probationary member's full membership falls due a year after
    joining unless told otherwise; a member entered as full keeps the date they became one."""
    data = _checked(branch, data)
    for required in ("name", "gender", "id_number", "joined_on"):
        if not data.get(required):
            field = Member._meta.get_field(required)
            raise ValidationError(
                {required: _("%(field)s: this field is required.") % {"field": field.verbose_name}}
            )
    member = Member(branch=branch, kind=data.get("kind") or Member.Kind.PROBATIONARY)
    for name in MEMBER_FIELDS:
        if name in data:
            setattr(member, name, data[name])
    if member.kind == Member.Kind.PROBATIONARY and not member.full_due_on:
        member.full_due_on = _add_years(member.joined_on, 1)
    if member.kind == Member.Kind.FULL:
        member.full_on = data.get("full_on") or member.full_due_on
        member.full_decision = data.get("full_decision", "")
    save_new(member, "party.member.create", CREATE_FIELDS)
    return member


def update_member(user, member: Member, data: dict) -> Member:
    """Change the member's record (not the kind or state: those go through the workflow)."""
    data = _checked(member.branch, data, member)
    return update_fields(member, "party.member.update", MEMBER_FIELDS, data)


# Audited reads.
def record_view(user, member: Member) -> None:
    """A read of another member's record is an audit event; one's own is not."""
    if member.user_id is None or member.user_id != getattr(user, "pk", None):
        audit.record("party.member.view", obj=member)


def reveal_id_number(user, member: Member) -> str:
    """The ID number in full, for the secretary only; every reveal is an audit event."""
    from keguan.party import permissions as can

    if not can.can_reveal_id_number(user, member):
        raise ValidationError(_("You may not see this ID number."))
    audit.record("party.member.id_revealed", obj=member)
    return member.id_number


def record_export(user, branch: Branch, count: int) -> None:
    audit.record("party.member.export", obj=branch, after={"members": count})


# The committee.
def set_seat(user, branch: Branch, member: Member, duty: str, duties: str = "") -> CommitteeSeat:
    """Give MEMBER a seat on the committee, or change theirs. A new secretary takes the
    seat from the old one, who leaves the committee."""
    if member.branch_id != branch.pk or not member.is_active:
        raise ValidationError({"member": _("Member: choose an active member of this branch.")})
    if duty not in CommitteeSeat.Duty.values:
        raise ValidationError({"duty": _("Seat: choose secretary, deputy or committee member.")})
    duties = (duties or "").strip()[:200]
    with audit.writing(), transaction.atomic():
        before = {
            str(seat.member_id): seat.duty
            for seat in CommitteeSeat.objects.select_for_update().filter(branch=branch)
        }
        if duty == CommitteeSeat.Duty.SECRETARY:
            CommitteeSeat.objects.filter(branch=branch, duty=duty).exclude(member=member).delete()
        seat, _created = CommitteeSeat.objects.update_or_create(
            branch=branch, member=member, defaults={"duty": duty, "duties": duties}
        )
        audit.record(
            "party.committee.seat",
            obj=branch,
            before={"seats": before},
            after={"member": member.pk, "duty": duty, "duties": duties},
        )
    return seat


def remove_seat(user, seat: CommitteeSeat) -> None:
    with audit.writing():
        audit.record(
            "party.committee.leave",
            obj=seat.branch,
            before={"member": seat.member_id, "duty": seat.duty},
        )
        seat.delete()


# Party groups.
def create_group(user, branch: Branch, name: str) -> PartyGroup:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name: please name the party group.")})
    if PartyGroup.objects.filter(branch=branch, name=name).exists():
        raise ValidationError({"name": _("Name: the branch already has a group of this name.")})
    group = PartyGroup(branch=branch, name=name)
    save_new(group, "party.group.create", ("branch", "name"))
    return group


def rename_group(user, group: PartyGroup, name: str) -> PartyGroup:
    name = (name or "").strip()
    clash = PartyGroup.objects.filter(branch=group.branch_id, name=name).exclude(pk=group.pk)
    if not name or clash.exists():
        raise ValidationError({"name": _("Name: give a name no other group of the branch has.")})
    return update_fields(group, "party.group.rename", ("name",), {"name": name})


def delete_group(user, group: PartyGroup) -> None:
    """Remove an empty group; a group with active members is refused."""
    if group.members.filter(state=Member.State.ACTIVE).exists():
        raise ValidationError(_("The group still has members; move them to another group first."))
    with audit.writing():
        audit.record("party.group.delete", obj=group, before={"name": group.name})
        group.delete()
