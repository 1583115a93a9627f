"""Petitions and reports (信访): filed by anyone, named or not, tracked by a code."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.core.records import save_new
from keguan.portal.models import Petition
from keguan.portal.workflow import EXTENSION_DAYS, due_dates

FIELDS = ("kind", "anonymous", "name", "contact", "subject", "text", "concerns_name")
# 16 characters of base32: 80 bits, read aloud or typed without confusion.
CODE_BYTES = 10


def code_hash(code: str) -> str:
    normalized = "".join(code.split()).upper().replace("-", "")
    return hashlib.sha256(normalized.encode()).hexdigest()


def new_code() -> str:
    import base64

    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def file_petition(bureau, data: dict) -> tuple[Petition, str]:
    """A petition to BUREAU; returns it with its tracking code, shown to the filer once (only
    its hash is kept). A report about a named officer is linked to that officer's account
    when the name matches one in the bureau, so it stays hidden from them."""
    from keguan.accounts.models import User

    petition = Petition(bureau=bureau)
    for name in FIELDS:
        if name in data:
            value = data[name]
            setattr(petition, name, value.strip() if isinstance(value, str) else value)
    if petition.anonymous:
        petition.name, petition.contact = "", ""
    elif not petition.name:
        raise ValidationError({"name": _("Give your name, or choose to file anonymously.")})
    if petition.concerns_name:
        petition.concerns = (
            User.objects.filter(bureau=bureau, full_name=petition.concerns_name)
            .order_by("pk")
            .first()
        )
    today = timezone.localdate()
    petition.acknowledge_due, petition.conclude_due = due_dates(today)
    code = new_code()
    petition.code_hash = code_hash(code)
    with transaction.atomic():
        save_new(petition, "portal.petition.submit", ("kind", "anonymous"))
        from keguan.portal.notify import petition_received

        transaction.on_commit(lambda: petition_received(petition), robust=True)
    return petition, code


def lookup(code: str) -> Petition | None:
    """The petition with CODE, or None: the code shows its status and reply, nothing else."""
    if not code or len(code) > 40:
        return None
    return Petition.objects.filter(code_hash=code_hash(code)).first()


def assign_petition(user, petition: Petition, handler) -> Petition:
    from keguan.portal import permissions as can

    if not can.can_handle_petition(user, petition) or not can.can_handle_petition(
        handler, petition
    ):
        raise ValidationError({"assigned_to": _("Choose an inspector who may handle it.")})
    with transaction.atomic(), audit.writing():
        fresh = Petition.objects.select_for_update().get(pk=petition.pk)
        before = fresh.assigned_to_id
        fresh.assigned_to = handler
        fresh.save(update_fields=["assigned_to"])
        audit.record(
            "portal.petition.assign",
            obj=fresh,
            before={"assigned_to": before},
            after={"assigned_to": handler.pk},
        )
    return fresh


def extend_petition(user, petition: Petition, reason: str) -> Petition:
    """Extend the time to conclude once, by 30 days, with a reason."""
    from keguan.portal import permissions as can

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    with transaction.atomic(), audit.writing():
        fresh = Petition.objects.select_for_update().get(pk=petition.pk)
        if not can.can_handle_petition(user, fresh) or fresh.state not in Petition.OPEN_STATES:
            raise ValidationError(_("This petition cannot be extended."))
        if fresh.extension_reason:
            raise ValidationError(_("The time limit was already extended once."))
        before = fresh.conclude_due
        fresh.conclude_due = before + timezone.timedelta(days=EXTENSION_DAYS)
        fresh.extension_reason = reason
        fresh.save(update_fields=["conclude_due", "extension_reason"])
        audit.record(
            "portal.petition.extend",
            obj=fresh,
            before={"conclude_due": str(before)},
            after={"conclude_due": str(fresh.conclude_due), "reason": reason},
        )
    return fresh
