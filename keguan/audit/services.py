"""Writing to the audit trail. Every state change in keguan records its event here.

`record` appends one event inside the caller's transaction: if the event cannot be written,
the change it describes rolls back with it. `writing` is the only door through which an
audited model may be saved (see keguan.audit.guard).
"""

import contextlib
import contextvars
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from keguan.audit.context import Actor, current_actor
from keguan.audit.models import AuditEvent, AuditHead, Result

GENESIS_HASH = "0" * 64
_SECRET_KEYS = re.compile(r"password|secret|token|otp|key_hash", re.IGNORECASE)
# An 18-character resident ID number, or a 15-digit old one.
_ID_NUMBER = re.compile(r"\b\d{6}(?:\d{8}|\d{6})\d{3}[\dXx]\b|\b\d{15}\b")


class AuditBypassError(RuntimeError):
    """An audited model was changed outside `audit.writing()`, or without an event."""


_open_writes: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "keguan_audit_open_writes", default=None
)


def mask_id_number(value: str) -> str:
    """Keep the first 3 and last 4 characters of an ID number, as bureau forms do."""
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def redact(values: dict | None) -> dict | None:
    """Drop secrets and mask ID numbers before values enter the permanent trail."""
    if values is None:
        return None
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if _SECRET_KEYS.search(key):
            continue
        if isinstance(value, str):
            value = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), value)
        elif isinstance(value, dict):
            value = redact(value)
        elif isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif isinstance(value, models.Model):
            value = value.pk
        elif not isinstance(value, (int, float, bool, list, type(None))):
            value = str(value)
        clean[key] = value
    return clean


def canonical(fields: dict[str, Any]) -> bytes:
    """The byte string an event's hash covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def event_fields(event: AuditEvent) -> dict[str, Any]:
    """Every hashed field of an event, normalized the same way on write and on verify."""
    at = event.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {
        "seq": event.seq,
        "at": at,
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "roles": event.roles,
        "client_address": event.client_address,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "result": event.result,
        "before": event.before,
        "after": event.after,
        "prev_hash": event.prev_hash,
    }


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical(event_fields(event))).hexdigest()


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    result: str = Result.OK,
    before: dict | None = None,
    after: dict | None = None,
    actor: Actor | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    Side effects: locks the chain head row until the transaction ends (so appends are
    serialized and sequence numbers have no gaps), inserts the event, moves the head.
    """
    actor = actor or current_actor.get()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        # JSON round trip so the stored value and the hashed value are the same thing.
        before_clean = json.loads(canonical(redact(before))) if before is not None else None
        after_clean = json.loads(canonical(redact(after))) if after is not None else None
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor.user_id,
            actor_username=actor.username[:150],
            roles=actor.roles[:200],
            client_address=actor.client_address,
            action=action,
            object_type=object_type,
            object_id=str(object_id or "")[:64],
            result=result,
            before=before_clean,
            after=after_clean,
            prev_hash=head.hash,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    counter = _open_writes.get()
    if counter is not None:
        counter[0] += 1
    return event


def append_many(events, *, batch_size: int = 5000) -> int:
    """Append many events at once, for bulk loads (the benchmark's data generator).

    EVENTS is an iterable of dicts with the keys of `record` (action, object_type,
    object_id, before, after, result) plus `at` (the time it happened) and optional
    `actor` (an Actor). The chain is the same as one `record` per event: each gets the
    next sequence number and the previous event's hash, so `verify` cannot tell the
    difference. Side effects: locks the chain head for the caller's transaction, inserts
    the events in batches, moves the head once at the end. Returns how many were added.
    """
    added = 0
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        seq, prev_hash = head.seq, head.hash
        batch: list[AuditEvent] = []
        for spec in events:
            actor = spec.get("actor") or current_actor.get()
            before, after = spec.get("before"), spec.get("after")
            seq += 1
            event = AuditEvent(
                seq=seq,
                at=spec["at"],
                actor_id=actor.user_id,
                actor_username=actor.username[:150],
                roles=actor.roles[:200],
                client_address=actor.client_address,
                action=spec["action"],
                object_type=spec.get("object_type", ""),
                object_id=str(spec.get("object_id") or "")[:64],
                result=spec.get("result", Result.OK),
                before=json.loads(canonical(redact(before))) if before is not None else None,
                after=json.loads(canonical(redact(after))) if after is not None else None,
                prev_hash=prev_hash,
            )
            event.hash = prev_hash = compute_hash(event)
            batch.append(event)
            if len(batch) >= batch_size:
                AuditEvent.objects.bulk_create(batch)
                added += len(batch)
                batch = []
        if batch:
            AuditEvent.objects.bulk_create(batch)
            added += len(batch)
        head.seq, head.hash = seq, prev_hash
        head.save(update_fields=["seq", "hash"])
    counter = _open_writes.get()
    if counter is not None and added:
        counter[0] += added
    return added


@contextlib.contextmanager
def writing() -> Iterator[None]:
    """Open an atomic block in which audited models may be saved.

    The block must record at least one event; if it records none, it raises
    AuditBypassError and everything in it rolls back.
    """
    outer = _open_writes.get()
    counter = [0]
    token = _open_writes.set(counter)
    try:
        with transaction.atomic():
            yield
            if counter[0] == 0:
                raise AuditBypassError("an audited change must record an audit event")
    finally:
        _open_writes.reset(token)
    if outer is not None:
        outer[0] += counter[0]


def writing_allowed() -> bool:
    return _open_writes.get() is not None
