"""Recomputing the audit chain: what `keguan audit verify` and the inspector's page run."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from keguan.audit.models import AuditEvent, AuditHead
from keguan.audit.services import GENESIS_HASH, compute_hash


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    broken_seq: int | None = None
    problem: str = ""


def verify() -> VerifyResult:
    """Walk the chain in sequence order and name the first event that does not fit.

    Checks, per event: its sequence follows the previous one, its prev_hash is the
    previous event's hash, its hash matches its content. At the end, the head row must
    point at the last event (so removing events from the end is noticed too).
    """
    expected_seq = 1
    prev_hash = GENESIS_HASH
    count = 0
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
    for event in events:
        count += 1
        if event.seq != expected_seq:
            return VerifyResult(
                False,
                count,
                event.seq,
                _("sequence jumps from %(prev)s to %(seq)s: events are missing or inserted")
                % {"prev": expected_seq - 1, "seq": event.seq},
            )
        if event.prev_hash != prev_hash:
            return VerifyResult(
                False,
                count,
                event.seq,
                _("its previous hash does not match event %(prev)s") % {"prev": expected_seq - 1},
            )
        if compute_hash(event) != event.hash:
            return VerifyResult(False, count, event.seq, _("its content does not match its hash"))
        prev_hash = event.hash
        expected_seq += 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != count or head_hash != prev_hash:
        return VerifyResult(
            False,
            count,
            head_seq or None,
            _("the chain ends at event %(last)s but the head records event %(head)s")
            % {"last": count, "head": head_seq},
        )
    return VerifyResult(True, count)
