"""The draw (随机抽取): a seed fixed before drawing, and an order anyone can recompute.

The seed of a draw is the SHA-256 of the value published in advance, the round, the
application and the draw's sequence number. Experts are ordered by the SHA-256 of the seed
and their id; the first N review and the next ones are the reserves. Nothing here depends on
a random generator's implementation, so the same inputs give the same experts on any
machine and any Python.
"""

import hashlib

from django.db.models import Q

from keguan.review.models import Expert, Round


def seed_for(round: Round, application_id: int, sequence: int) -> str:
    text = f"{round.seed_source}|{round.pk}|{application_id}|{sequence}"
    return hashlib.sha256(text.encode()).hexdigest()


def drawing_order(pool: list[int], seed: str) -> list[int]:
    """POOL (expert ids) in the order the seed draws them."""
    return sorted(pool, key=lambda pk: hashlib.sha256(f"{seed}|{pk}".encode()).hexdigest())


def drawable_experts(round: Round):
    """Experts a round draws from: active, with an active account, in the pools of the
    round's bureau and those above it, in one of the round's disciplines if it names any."""
    experts = Expert.objects.active().filter(
        user__is_active=True, bureau__path__in=round.bureau.paths_up()
    )
    if round.disciplines:
        field = Q()
        for code in round.disciplines:
            field |= Q(fields__discipline_code__startswith=code)
        experts = experts.filter(pk__in=Expert.objects.filter(field).values("pk"))
    return experts.order_by("pk")
