"""The ranked list of a round, computed by the database.

Per expert the weighted total (0–100) is stored on the submitted sheet. Per application:
the mean of the totals, or — from five sheets on — the trimmed mean that drops one highest
and one lowest total; the spread (highest minus lowest) is flagged above the rubric's limit.
"""

from django.db.models import Case, Count, ExpressionWrapper, F, FloatField, Max, Min, Q, Sum, When
from django.db.models import Value as V
from django.db.models.functions import Cast

from keguan.review.models import Assignment, Round, RoundEntry

TRIM_FROM = 5
# Means are divided as floating point: SQLite divides NUMERIC integers as integers (250/3
# would be 83), and two decimals of a mark out of 100 are well within a float's precision.
_FLOAT = FloatField()


def ranked_entries(round: Round):
    """The round's entries with n (sheets), mean, low, high, spread, score_value, flagged
    and the count of each recommendation, best score first."""
    sheets = Q(
        application__assignments__round=round,
        application__assignments__state=Assignment.State.SUBMITTED,
    )
    total = "application__assignments__total"
    rec = "application__assignments__recommendation"
    limit = round.call.rubric.spread_limit if hasattr(round.call, "rubric") else 20
    entries = (
        RoundEntry.objects.filter(round=round)
        .select_related("application__organization")
        .annotate(
            n=Count("application__assignments", filter=sheets),
            total_sum=Sum(total, filter=sheets),
            low=Min(total, filter=sheets),
            high=Max(total, filter=sheets),
            fund=Count("application__assignments", filter=sheets & Q(**{rec: "fund"})),
            fund_with_changes=Count(
                "application__assignments", filter=sheets & Q(**{rec: "fund_with_changes"})
            ),
            do_not_fund=Count(
                "application__assignments", filter=sheets & Q(**{rec: "do_not_fund"})
            ),
        )
        .annotate(
            mean=Case(
                When(
                    n__gt=0,
                    then=ExpressionWrapper(
                        Cast(F("total_sum"), _FLOAT) / Cast(F("n"), _FLOAT),
                        output_field=_FLOAT,
                    ),
                ),
                default=None,
                output_field=_FLOAT,
            ),
            spread=ExpressionWrapper(F("high") - F("low"), output_field=_FLOAT),
        )
        .annotate(
            score_value=Case(
                When(
                    n__gte=TRIM_FROM,
                    then=ExpressionWrapper(
                        Cast(F("total_sum") - F("high") - F("low"), _FLOAT)
                        / Cast(F("n") - V(2), _FLOAT),
                        output_field=_FLOAT,
                    ),
                ),
                default=F("mean"),
                output_field=_FLOAT,
            ),
            flagged=Case(
                When(spread__gt=limit, then=V(True)),
                default=V(False),
            ),
        )
        .order_by(F("score_value").desc(nulls_last=True), "application_id")
    )
    return entries
