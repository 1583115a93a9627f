"""What experts do with an assignment: save scores as a draft, submit, report an approach."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.review import permissions as can
from keguan.review.models import ApproachReport, Assignment, Score
from keguan.review.workflow import ASSIGNMENT_WORKFLOW


def save_sheet(user, assignment: Assignment, data: dict, submit: bool = False) -> Assignment:
    """Save the expert's scores (DATA: `scores` {criterion id: value}, `recommendation`,
    `comment`); with SUBMIT, also submit the sheet through the assignment workflow in the
    same transaction (a refused submission raises TransitionError and saves nothing).
    Scores outside 0..maximum are refused by criterion and nothing is saved."""
    criteria = {c.pk: c for c in assignment.round.call.rubric.criteria.all()}
    values, errors = {}, {}
    for key, raw in (data.get("scores") or {}).items():
        criterion = criteria.get(int(key)) if str(key).isdigit() else None
        if criterion is None:
            errors["scores"] = [_("Unknown criterion.")]
            continue
        if raw in (None, ""):
            continue
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not 0 <= value <= criterion.max_score:
            errors[f"score_{criterion.pk}"] = [
                _("%(criterion)s: enter a score from 0 to %(max)d.")
                % {"criterion": criterion.name, "max": criterion.max_score}
            ]
            continue
        values[criterion.pk] = value.quantize(Decimal("0.01"))
    recommendation = data.get("recommendation") or ""
    if recommendation and recommendation not in Assignment.Recommendation.values:
        errors["recommendation"] = [_("Choose a recommendation.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), audit.writing():
        fresh = (
            Assignment.objects.select_for_update()
            .select_related("round__call")
            .get(pk=assignment.pk)
        )
        if not can.can_score(user, fresh) or fresh.state != Assignment.State.REVIEWING:
            raise ValidationError(
                _("Scores can be changed only while you review and before the deadline.")
            )
        for criterion_id, value in values.items():
            Score.objects.update_or_create(
                assignment=fresh, criterion_id=criterion_id, defaults={"value": value}
            )
        fresh.recommendation = recommendation
        fresh.comment = (data.get("comment") or "").strip()
        fresh.save(update_fields=["recommendation", "comment", "updated_at"])
        audit.record(
            "review.assignment.scores",
            obj=fresh,
            after={"scores": {str(k): str(v) for k, v in values.items()}},
        )
        if submit:
            # One transaction: a refused submission changes nothing (the page keeps what
            # was typed, so the expert loses nothing either).
            fresh = ASSIGNMENT_WORKFLOW.apply(user, fresh, "submit")
    return fresh


def report_approach(user, assignment: Assignment, detail: str = "") -> ApproachReport:
    """One click: the expert reports that someone tried to influence the review. It is
    recorded against the application and the inspectors are told."""
    if not can.is_own_assignment(user, assignment):
        raise ValidationError(_("You may not do this."))
    report = ApproachReport(
        assignment=assignment, application=assignment.application, detail=(detail or "").strip()
    )
    with transaction.atomic(), audit.writing():
        report.save()
        audit.record(
            "review.approach.report",
            obj=assignment.application,
            after={"report": report.pk, "assignment": assignment.pk},
        )
        from keguan.review.notify import approach_reported

        transaction.on_commit(lambda: approach_reported(report), robust=True)
    return report
