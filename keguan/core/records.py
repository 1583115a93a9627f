"""Creating and changing records: validated, locked afresh, audited. Shared by the apps'
service functions."""

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.audit import services as audit


def snapshot(obj, fields) -> dict:
    """Field values as stored (foreign keys by id), for the audit event's before/after."""
    return {name: getattr(obj, obj._meta.get_field(name).attname) for name in fields}


def save_new(obj, action: str, fields) -> None:
    """Create OBJ, recording FIELDS in the event."""
    obj.full_clean()
    with audit.writing():
        obj.save()
        audit.record(action, obj=obj, after=snapshot(obj, fields))


def locked(obj, refusal):
    """OBJ's row, locked and read afresh; REFUSAL(fresh) may name why it cannot change.

    Changes are made on this fresh row, never on the copy a page loaded: that copy may be
    stale (submitted in another tab, published by a colleague) and saving it would write
    its old state back.
    """
    fresh = type(obj).objects.select_for_update().get(pk=obj.pk)
    message = refusal(fresh) if refusal else None
    if message:
        raise ValidationError(message)
    return fresh


def version_of(obj) -> str:
    """A token that changes whenever OBJ's row does, for an edit page to carry.

    The row's `updated_at` (auto_now) where it has one; otherwise a digest of every column,
    which changes with any of them just as well and needs no column of its own.
    """
    stamps = [f for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
    if stamps:
        return _plain(stamps[0], getattr(obj, stamps[0].attname))
    values = [_plain(f, getattr(obj, f.attname)) for f in obj._meta.concrete_fields]
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]


def _plain(field, value) -> str:
    """VALUE written the same way whether it was read from the row or set in Python (a
    moment in any time zone, a decimal with fewer places, a choice's enum member)."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, Decimal) and getattr(field, "decimal_places", None) is not None:
        return f"{value:.{field.decimal_places}f}"
    if isinstance(value, str):
        return repr(str(value))  # a TextChoices member as its value
    return "" if value is None else repr(value)


def check_version(fresh, expected_version: str | None) -> None:
    """Refuse to save over a change the user has not seen: EXPECTED_VERSION is the token of
    the row the page showed (None: not checked), FRESH the row locked now."""
    if expected_version is not None and expected_version != version_of(fresh):
        # Keyed to no field (NON_FIELD_ERRORS): forms show it above themselves.
        message = _(
            "Someone else changed this record after you opened the page, so your changes "
            "were not saved. Reload the page to see their change, then make yours again."
        )
        raise ValidationError({NON_FIELD_ERRORS: ValidationError(message, code="conflict")})


def update_fields(
    obj, action: str, fields, data: dict, refusal=None, check=None, expected_version=None
):
    """Change FIELDS of OBJ from DATA on the locked fresh row; record what changed.

    CHECK(fresh, before) may raise ValidationError for combinations the fields allow.
    EXPECTED_VERSION, the `version_of` the row the user's page showed, refuses the change
    when someone saved the row since (two officers editing from stale pages: the second
    would silently undo the first). Only the changed columns are written. Returns the fresh
    object.
    """
    with transaction.atomic():
        fresh = locked(obj, refusal)
        check_version(fresh, expected_version)
        before = snapshot(fresh, fields)
        assign(fresh, fields, data)
        if check is not None:
            check(fresh, before)
        fresh.full_clean()
        after = snapshot(fresh, fields)
        changed = [name for name in fields if before[name] != after[name]]
        if changed:
            touched = [f.name for f in fresh._meta.fields if getattr(f, "auto_now", False)]
            with audit.writing():
                fresh.save(update_fields=changed + touched)
                audit.record(
                    action,
                    obj=fresh,
                    before={k: before[k] for k in changed},
                    after={k: after[k] for k in changed},
                )
    return fresh


def assign(obj, fields, data: dict) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def replace_rows(parent, related: str, model, rows, action: str, key: str, describe, refusal=None):
    """Replace PARENT's RELATED rows (a team, budget lines, an expert's fields…) by ROWS,
    already validated and unsaved, on the parent's locked fresh row; REFUSAL(fresh) may name
    why it cannot change. One event ACTION records them before and after under KEY, each row
    as DESCRIBE(row). Returns ROWS."""
    with audit.writing():
        fresh = locked(parent, refusal)
        current = getattr(fresh, related).all()
        before = [describe(row) for row in current]
        current.delete()
        model.objects.bulk_create(rows)
        audit.record(
            action,
            obj=fresh,
            before={key: before},
            after={key: [describe(row) for row in rows]},
        )
    return rows
