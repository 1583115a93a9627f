"""Disclosure items (党务公开) and honours: creating and changing them. A disclosure item's
state moves only through `workflow_affairs.DISCLOSURE_WORKFLOW`."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.core.records import save_new, snapshot, update_fields
from keguan.party.models import DisclosureItem, Honour, Member
from keguan.party.permissions import branch_of

DISCLOSURE_FIELDS = ("title", "body", "scope")
HONOUR_FIELDS = ("year", "title", "granted_by", "recipient", "member", "person_name", "note")


def _editable_refusal(item: DisclosureItem) -> str | None:
    if item.state not in (DisclosureItem.State.PROPOSED, DisclosureItem.State.RETURNED):
        return _("Only a proposed or returned item can change.")
    return None


def propose_disclosure(user, data: dict) -> DisclosureItem:
    """A new item of the user's branch, proposed by them (`party.disclosure.create`)."""
    branch = branch_of(user)
    if branch is None:
        raise ValidationError(_("Your bureau has no Party branch."))
    item = DisclosureItem(branch=branch, proposed_by=user)
    for name in DISCLOSURE_FIELDS:
        setattr(item, name, data.get(name, getattr(item, name)))
    save_new(item, "party.disclosure.create", DISCLOSURE_FIELDS)
    return item


def update_disclosure(user, item: DisclosureItem, data: dict) -> DisclosureItem:
    """Change the title, text or scope while the item is proposed or returned."""
    return update_fields(
        item, "party.disclosure.update", DISCLOSURE_FIELDS, data, _editable_refusal
    )


def _check_honour(honour: Honour, before=None) -> None:
    errors = {}
    if honour.recipient == Honour.Recipient.BUREAU:
        if honour.member_id or honour.person_name:
            errors["person_name"] = [_("An honour of the bureau names no person.")]
    elif not honour.member_id and not honour.person_name.strip():
        errors["person_name"] = [_("Choose the member or write the person's name.")]
    if honour.member_id and honour.member.branch_id != honour.branch_id:
        errors["member"] = [_("Choose a member of the branch.")]
    if errors:
        raise ValidationError(errors)


def _honour_data(data: dict) -> dict:
    """DATA's honour fields, a missing text as an empty one."""
    return {
        name: "" if data[name] is None and name in ("person_name", "note") else data[name]
        for name in HONOUR_FIELDS
        if name in data
    }


def create_honour(user, data: dict) -> Honour:
    """An honour of the bureau or of one of its people, in the user's branch."""
    branch = branch_of(user)
    if branch is None:
        raise ValidationError(_("Your bureau has no Party branch."))
    honour = Honour(branch=branch)
    for name, value in _honour_data(data).items():
        setattr(honour, name, value)
    _check_honour(honour)
    save_new(honour, "party.honour.create", HONOUR_FIELDS)
    return honour


def update_honour(user, honour: Honour, data: dict) -> Honour:
    return update_fields(
        honour, "party.honour.update", HONOUR_FIELDS, _honour_data(data), check=_check_honour
    )


def delete_honour(user, honour: Honour) -> None:
    """Remove an honour recorded by mistake; the event keeps what it said."""
    with audit.writing():
        before = snapshot(honour, HONOUR_FIELDS)
        audit.record("party.honour.delete", obj=honour, before=before)
        Honour.objects.filter(pk=honour.pk).delete()


def branch_members(branch):
    """The members an honour may name."""
    return Member.objects.filter(branch=branch).order_by("name", "pk")
