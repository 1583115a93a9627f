"""Drawing experts: first draws, redraws and supplements, each recorded in full, and the
check anyone with the inspector role can run to see that a round's draws are what the
recorded seeds give."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.projects.models import Application
from keguan.review import conflicts
from keguan.review.draws import drawable_experts, drawing_order, seed_for
from keguan.review.models import Assignment, Draw, Round
from keguan.review.workflow import ASSIGNMENT_WORKFLOW, take_reserve

S = Assignment.State


class TooFewExperts(ValidationError):
    """Too few experts remain once the conflicts are excluded; nothing was drawn."""


def _draw(user, round: Round, application: Application, kind: str, wanted: int, reason=""):
    """Draw WANTED experts plus the round's reserves for APPLICATION and record everything:
    the seed, the pool, each exclusion with its rules, the order drawn. With too few
    eligible experts the attempt is recorded and nobody is drawn (TooFewExperts)."""
    sequence = Draw.objects.filter(round=round, application=application).count() + 1
    seed = seed_for(round, application.pk, sequence)
    pool, excluded = conflicts.screen(application, drawable_experts(round), timezone.localdate())
    reserves = round.reserves if kind != Draw.Kind.SUPPLEMENT else 0
    enough = len(pool) >= wanted
    order = drawing_order(pool, seed)[: wanted + reserves] if enough else []
    draw = Draw(
        round=round,
        application=application,
        sequence=sequence,
        kind=kind,
        reason=reason,
        wanted=wanted,
        reserves=reserves,
        seed=seed,
        pool=pool,
        excluded=excluded,
        result=order,
        outcome=Draw.Outcome.DRAWN if enough else Draw.Outcome.TOO_FEW,
        drawn_by=user,
    )
    with audit.writing():
        draw.save()
        Assignment.objects.bulk_create(
            [
                Assignment(
                    round=round,
                    draw=draw,
                    application=application,
                    expert_id=expert_id,
                    position=position,
                    state=S.INVITED if position < wanted else S.RESERVE,
                )
                for position, expert_id in enumerate(order)
            ]
        )
        audit.record(
            "review.draw.create" if enough else "review.draw.too_few",
            obj=draw,
            after={
                "round": round.pk,
                "application": application.pk,
                "sequence": sequence,
                "kind": kind,
                "reason": reason,
                "seed": seed,
                "pool": pool,
                "excluded": [e["expert"] for e in excluded],
                "result": order,
            },
        )
    return draw


def _locked_round(round: Round) -> Round:
    fresh = Round.objects.select_for_update().get(pk=round.pk)
    if fresh.state not in Round.DRAWN_STATES:
        raise ValidationError(
            _("Experts are drawn after the seed is fixed and before the review closes.")
        )
    return fresh


def _too_few(draw: Draw) -> TooFewExperts:
    return TooFewExperts(
        _(
            "Only %(eligible)d experts without a conflict remain for “%(title)s”; "
            "%(wanted)d are needed. Nobody was drawn."
        )
        % {"eligible": len(draw.pool), "title": draw.application.title, "wanted": draw.wanted}
    )


def draw_round(user, round: Round) -> list[Draw]:
    """The first draw for every application of the round that has none yet. Applications
    with too few eligible experts are recorded as such; the others are drawn."""
    with transaction.atomic():
        fresh = _locked_round(round)
        # An application whose last attempt found too few experts is tried again.
        drawn = set(
            Draw.objects.filter(round=fresh, outcome=Draw.Outcome.DRAWN).values_list(
                "application_id", flat=True
            )
        )
        draws = []
        for entry in fresh.entries.select_related("application__organization").exclude(
            application_id__in=drawn
        ):
            draws.append(
                _draw(
                    user, fresh, entry.application, Draw.Kind.FIRST, fresh.experts_per_application
                )
            )
    return draws


class _Undo(Exception):
    pass


def redraw(user, round: Round, application: Application, reason: str) -> Draw:
    """Release every expert drawn for APPLICATION in the round and draw again, with a new
    sequence number (so a new seed) and the reason on record for the inspector. When too
    few experts would remain, nobody is released and the refused attempt is recorded."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Please give a reason.")})
    reason = reason.strip()
    with transaction.atomic():
        fresh = _locked_round(round)
        if fresh.state != Round.State.SEALED:
            raise ValidationError(_("Once the review is open, replace experts one by one."))
        try:
            with transaction.atomic():
                for assignment in Assignment.objects.filter(
                    round=fresh,
                    application=application,
                    state__in=(S.RESERVE, *Assignment.LIVE_STATES),
                ):
                    ASSIGNMENT_WORKFLOW.apply(
                        user, assignment, "release", {"note": reason}, automatic=True
                    )
                draw = _draw(
                    user,
                    fresh,
                    application,
                    Draw.Kind.REDRAW,
                    fresh.experts_per_application,
                    reason,
                )
                if draw.outcome == Draw.Outcome.TOO_FEW:
                    raise _Undo(draw)
        except _Undo:
            # Everything above is rolled back: the experts keep their places. The refused
            # attempt is recorded as a draw of its own (with the reason) for the inspector;
            # with the current experts still in place even fewer are eligible.
            refused = _draw(
                user,
                fresh,
                application,
                Draw.Kind.REDRAW,
                fresh.experts_per_application,
                reason,
            )
        else:
            refused = None
    if refused is not None:
        raise _too_few(refused)
    return draw


def supplement(user, round: Round, application: Application, reason: str) -> Draw:
    """Draw the experts still missing for APPLICATION (after declines with no reserve left),
    by the same recorded procedure."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Please give a reason.")})
    with transaction.atomic():
        fresh = _locked_round(round)
        live = Assignment.objects.filter(
            round=fresh, application=application, state__in=Assignment.LIVE_STATES
        ).count()
        missing = fresh.experts_per_application - live
        if missing <= 0:
            raise ValidationError(_("This application has all its experts."))
        draw = _draw(user, fresh, application, Draw.Kind.SUPPLEMENT, missing, reason.strip())
    if draw.outcome == Draw.Outcome.TOO_FEW:
        raise _too_few(draw)
    return draw


def withdraw_assignment(user, assignment: Assignment, reason: str) -> Assignment | None:
    """The officer takes an expert off an application (unreachable, ill); the next reserve
    takes the place. Returns the reserve called, or None when none was left."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Please give a reason.")})
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.state not in (S.INVITED, S.REVIEWING):
            raise ValidationError(_("Only an expert who has not submitted can be replaced."))
        ASSIGNMENT_WORKFLOW.apply(user, assignment, "release", {"note": reason}, automatic=True)
        return take_reserve(user, assignment)


def verify_draw(draw: Draw) -> list[str]:
    """Differences between DRAW as recorded and what its seed gives (empty: it checks out)."""
    problems = []
    expected_seed = seed_for(draw.round, draw.application_id, draw.sequence)
    facts = {"draw": draw.pk, "seed": draw.seed, "expected": expected_seed}
    if draw.seed != expected_seed:
        problems.append(
            _(
                "Draw #%(draw)d: its seed %(seed)s is not %(expected)s, the hash of the "
                "published value, round, application and sequence."
            )
            % facts
        )
    if draw.pool != sorted(draw.pool):
        problems.append(_("Draw #%(draw)d: the recorded pool is not in ascending order.") % facts)
    both = sorted({item["expert"] for item in draw.excluded} & set(draw.pool))
    if both:
        problems.append(
            _("Draw #%(draw)d: experts %(ids)s are both excluded and in the pool.")
            % {**facts, "ids": both}
        )
    if draw.outcome == Draw.Outcome.DRAWN:
        expected = drawing_order(draw.pool, expected_seed)[: draw.wanted + draw.reserves]
        if draw.result != expected:
            problems.append(
                _("Draw #%(draw)d: it drew %(result)s; the seed gives %(order)s.")
                % {**facts, "result": draw.result, "order": expected}
            )
    elif draw.result or len(draw.pool) >= draw.wanted:
        problems.append(
            _("Draw #%(draw)d: recorded as too few experts, but the pool holds %(n)d.")
            % {**facts, "n": len(draw.pool)}
        )
    assigned = list(draw.assignments.order_by("position").values_list("expert_id", flat=True))
    if assigned != draw.result:
        problems.append(
            _(
                "Draw #%(draw)d: the experts assigned %(assigned)s differ from the "
                "result %(result)s."
            )
            % {**facts, "assigned": assigned, "result": draw.result}
        )
    return problems


def verify_round(round: Round) -> list[str]:
    """Every draw of ROUND recomputed from its recorded seed, and compared with the trail."""
    from keguan.audit.models import AuditEvent as Event

    problems = []
    for draw in round.draws.select_related("round").order_by("application_id", "sequence"):
        problems += verify_draw(draw)
        event = (
            Event.objects.filter(object_type="review.draw", object_id=str(draw.pk))
            .order_by("pk")
            .first()
        )
        recorded = (event.after or {}) if event else {}
        if event is None:
            problems.append(_("Draw #%(draw)d: no event in the audit trail.") % {"draw": draw.pk})
        elif (
            recorded.get("seed") != draw.seed
            or recorded.get("result") != draw.result
            or (recorded.get("pool") != draw.pool)
        ):
            problems.append(
                _("Draw #%(draw)d: differs from its audit event #%(event)d.")
                % {"draw": draw.pk, "event": event.pk}
            )
    return problems
