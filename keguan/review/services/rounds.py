"""Preparing review rounds: the rubric of a call, the round, the applications in it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.core.records import save_new, update_fields
from keguan.projects.models import Application, Call
from keguan.review.models import Criterion, Round, RoundEntry, Rubric, Score

ROUND_FIELDS = (
    "name",
    "experts_per_application",
    "reserves",
    "disciplines",
    "review_deadline",
    "seed_source",
    "seed_published_where",
)
RUBRIC_FIELDS = (
    "comment_at_or_above",
    "comment_at_or_below",
    "spread_limit",
    "comments_to_applicants",
)


def _round_refusal(round: Round) -> str | None:
    if round.state != Round.State.DRAFT:
        return _("Once the seed is fixed the round can no longer be changed.")
    return None


def create_round(user, call: Call, data: dict) -> Round:
    """A round of the user's bureau for CALL, in preparation."""
    round = Round(bureau=user.bureau, call=call, created_by=user)
    for name in ROUND_FIELDS:
        if name in data:
            setattr(round, name, data[name])
    save_new(round, "review.round.create", ("call", *ROUND_FIELDS))
    return round


def update_round(user, round: Round, data: dict) -> Round:
    return update_fields(round, "review.round.update", ROUND_FIELDS, data, refusal=_round_refusal)


def eligible_applications(round: Round):
    """Applications of the round's call that passed the formal check and are in no other
    open round."""
    busy = RoundEntry.objects.filter(round__state__in=Round.OPEN_STATES).exclude(round=round)
    return (
        Application.objects.filter(call=round.call, state=Application.State.CHECKED)
        .exclude(pk__in=busy.values("application_id"))
        .order_by("pk")
    )


def set_entries(user, round: Round, applications) -> list[RoundEntry]:
    """The applications the round reviews (while it is being prepared)."""
    with transaction.atomic(), audit.writing():
        fresh = Round.objects.select_for_update().get(pk=round.pk)
        refusal = _round_refusal(fresh)
        if refusal:
            raise ValidationError(refusal)
        wanted = {a.pk for a in applications}
        allowed = set(eligible_applications(fresh).values_list("pk", flat=True))
        stray = wanted - allowed
        if stray:
            raise ValidationError(
                {
                    "applications": _(
                        "Only applications of this call that passed the formal check and are "
                        "in no other open round can be reviewed here."
                    )
                }
            )
        before = sorted(fresh.entries.values_list("application_id", flat=True))
        fresh.entries.exclude(application_id__in=wanted).delete()
        kept = set(fresh.entries.values_list("application_id", flat=True))
        RoundEntry.objects.bulk_create(
            [RoundEntry(round=fresh, application_id=pk) for pk in sorted(wanted - kept)]
        )
        audit.record(
            "review.round.entries",
            obj=fresh,
            before={"applications": before},
            after={"applications": sorted(wanted)},
        )
    return list(fresh.entries.all())


def replace_rubric(user, call: Call, data: dict, criteria: list[dict]) -> Rubric:
    """The rubric of CALL: thresholds and criteria (weights adding up to 100). Frozen once
    a round of the call has fixed its seed."""
    if (
        Round.objects.filter(call=call)
        .exclude(state__in=(Round.State.DRAFT, Round.State.CANCELLED))
        .exists()
    ):
        raise ValidationError(_("A round of this call is under way; its rubric is frozen."))
    rubric = Rubric.objects.filter(call=call).first() or Rubric(call=call)
    if rubric.pk and Score.objects.filter(criterion__rubric=rubric).exists():
        raise ValidationError(_("Experts have scored against this rubric; it is frozen."))
    for name in RUBRIC_FIELDS:
        if name in data:
            setattr(rubric, name, data[name])
    rows, errors = [], {}
    for index, item in enumerate(criteria, start=1):
        row = Criterion(
            name=(item.get("name") or "").strip(),
            guidance=(item.get("guidance") or "").strip(),
            weight=item.get("weight"),
            max_score=10 if item.get("max_score") in (None, "") else item.get("max_score"),
            position=index,
        )
        try:
            row.full_clean(exclude=["rubric"])
        except ValidationError as exc:
            errors[f"criteria.{index}"] = [
                f"{Criterion._meta.get_field(field).verbose_name}: {' '.join(messages)}"
                for field, messages in exc.message_dict.items()
            ]
        rows.append(row)
    if not rows:
        errors["criteria"] = [_("Give at least one criterion.")]
    elif not errors and sum(int(r.weight) for r in rows) != 100:
        errors["criteria"] = [
            _("The weights add up to %(sum)d; they must add up to 100.")
            % {"sum": sum(int(r.weight) for r in rows)}
        ]
    try:
        rubric.full_clean(exclude=["call"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors and Decimal(rubric.comment_at_or_below) >= Decimal(rubric.comment_at_or_above):
        errors["comment_at_or_below"] = [_("The low threshold must lie below the high one.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), audit.writing():
        before = (
            [(c.name, c.weight, c.max_score) for c in rubric.criteria.all()] if rubric.pk else []
        )
        rubric.save()
        rubric.criteria.all().delete()
        for row in rows:
            row.rubric = rubric
        Criterion.objects.bulk_create(rows)
        audit.record(
            "review.rubric.replace",
            obj=call,
            before={"criteria": before},
            after={
                "criteria": [(c.name, c.weight, c.max_score) for c in rows],
                **{name: str(getattr(rubric, name)) for name in RUBRIC_FIELDS},
            },
        )
    return rubric
