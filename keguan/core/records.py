"""Creating and changing records: validated, locked afresh, audited. Shared by the apps'
service functions."""

from django.core.exceptions import ValidationError
from django.db import transaction

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


def update_fields(obj, action: str, fields, data: dict, refusal=None, check=None):
    """Change FIELDS of OBJ from DATA on the locked fresh row; record what changed.

    CHECK(fresh, before) may raise ValidationError for combinations the fields allow.
    Only the changed columns are written. Returns the fresh object.
    """
    with transaction.atomic():
        fresh = locked(obj, refusal)
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
