"""Objections from the public: filed during the period by a named person or organization."""

import os
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.core import files
from keguan.portal.models import Notice, NoticeItem, Objection

FIELDS = ("objector", "name", "contact", "organization_name", "legal_representative", "text")


def objection_refusal(notice: Notice) -> str | None:
    """Why NOTICE takes no objection now, or None. Objections are taken from publication (a
    notice published on a holiday is already public) to the period's last day."""
    today = timezone.localdate()
    if notice.state != Notice.State.RUNNING or notice.ends_on is None or today > notice.ends_on:
        return _("The objection period of this notice is over; objections are no longer taken.")
    return None


def submit_objection(notice: Notice, data: dict, letter=None) -> Objection:
    """An objection with real name and contact; an organization adds its legal
    representative and a scan of its sealed letter. The item objected to is held until the
    objection is answered. Late or anonymous objections are refused with the reason."""
    errors = {}
    objection = Objection(notice=notice, item=data.get("item"))
    for name in FIELDS:
        setattr(objection, name, (data.get(name) or "").strip())
    if not objection.name or not objection.contact:
        errors["name"] = [
            _(
                "Objections are taken in writing under a real name with a contact; anonymous "
                "objections are not accepted (file a petition instead)."
            )
        ]
    if objection.objector == Objection.Objector.ORGANIZATION:
        if not objection.organization_name:
            errors["organization_name"] = [_("Name the organization.")]
        if not objection.legal_representative:
            errors["legal_representative"] = [_("Name the legal representative.")]
        if letter is None:
            errors["letter"] = [_("Attach a scan of the letter with the organization's seal.")]
    if objection.item is not None and objection.item.notice_id != notice.pk:
        errors["item"] = [_("Choose an item of this notice.")]
    elif objection.item is not None and objection.item.state in (
        NoticeItem.State.WITHDRAWN,
        NoticeItem.State.MOVED_ON,
    ):
        errors["item"] = [_("This item is no longer in the notice.")]
    try:
        objection.full_clean(exclude=["notice", "item", "letter", "handled_by"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), audit.writing():
        fresh = Notice.objects.select_for_update().get(pk=notice.pk)
        refusal = objection_refusal(fresh)
        if refusal:
            raise ValidationError(refusal)
        if letter is not None:
            objection.letter = _store_letter(objection, letter)
        objection.save()
        if objection.item is not None:
            NoticeItem.objects.filter(
                pk=objection.item_id,
                state__in=(NoticeItem.State.LISTED, NoticeItem.State.REVISED),
            ).update(state=NoticeItem.State.HELD)
        # The event records the objection, never who filed it.
        audit.record(
            "portal.objection.submit",
            obj=objection,
            after={"notice": notice.pk, "item": objection.item_id},
        )
        from keguan.portal.notify import objection_received

        transaction.on_commit(lambda: objection_received(objection), robust=True)
    return objection


def _store_letter(objection: Objection, letter) -> str:
    """Write the scan of the letter; return its name in the storage.

    The name carries a random part, so the file a failed write leaves is surely this
    request's to remove. A full disk is refused in words the objector can act on (and
    logged for the operators); nothing is kept.
    """
    field = Objection._meta.get_field("letter")
    stem, extension = os.path.splitext(field.generate_filename(objection, letter.name))
    name = field.storage.get_available_name(
        f"{stem}-{secrets.token_hex(4)}{extension}", max_length=field.max_length
    )
    try:
        return field.storage.save(name, letter, max_length=field.max_length)
    except OSError as exc:
        field.storage.delete(name)
        if not files.is_no_room(exc):
            raise
        files.log_no_room("an objection letter", field.storage.path(name), exc)
        raise ValidationError({"letter": files.no_room_message()}) from None


def reveal_objector(user, objection: Objection) -> dict:
    """The objector's identity for USER (the inspector, or the officer handling it); every
    view is an audit event."""
    from keguan.portal import permissions as can

    if not can.can_see_objector(user, objection):
        raise ValidationError(_("You may not see who objected."))
    with audit.writing():
        audit.record("portal.objection.identity_viewed", obj=objection)
    return {
        "name": objection.name,
        "contact": objection.contact,
        "organization_name": objection.organization_name,
        "legal_representative": objection.legal_representative,
        "letter": bool(objection.letter),
    }
