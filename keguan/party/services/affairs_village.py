"""The paired poor village (挂钩联系贫困村): the village and its plan, visits, aid, disaster
relief, and the yearly summary."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.core.records import save_new, snapshot, update_fields
from keguan.party.models import (
    Aid,
    PairedVillage,
    PlanItem,
    PlanProgress,
    ReliefContribution,
    Visit,
)
from keguan.party.permissions import branch_of

VILLAGE_FIELDS = ("name", "township", "households", "poor_households", "paired_since", "note")
PLAN_ITEM_FIELDS = ("year", "title", "target")
PROGRESS_FIELDS = ("item", "reported_on", "text", "done")
VISIT_FIELDS = ("visited_on", "households_visited", "requests", "note")
AID_FIELDS = ("given_on", "kind", "description", "quantity", "amount", "recipient")
RELIEF_FIELDS = ("given_on", "disaster", "amount", "goods", "contributors", "note")
TEXTS = frozenset({"note", "target", "requests", "quantity", "recipient", "goods"})
ZERO = Decimal("0.00")


def _fill(obj, fields, data: dict) -> None:
    for name in fields:
        if name in data:
            value = data[name]
            setattr(obj, name, "" if value is None and name in TEXTS else value)


def _branch(user):
    branch = branch_of(user)
    if branch is None:
        raise ValidationError(_("Your bureau has no Party branch."))
    return branch


def _check_village(village: PairedVillage, before=None) -> None:
    if (
        village.households is not None
        and village.poor_households is not None
        and village.poor_households > village.households
    ):
        raise ValidationError(
            {"poor_households": [_("There cannot be more poor households than households.")]}
        )


def create_village(user, data: dict) -> PairedVillage:
    """A village paired with the user's branch."""
    village = PairedVillage(branch=_branch(user))
    _fill(village, VILLAGE_FIELDS, data)
    _check_village(village)
    save_new(village, "party.village.create", VILLAGE_FIELDS)
    return village


def update_village(user, village: PairedVillage, data: dict) -> PairedVillage:
    return update_fields(
        village, "party.village.update", VILLAGE_FIELDS, data, check=_check_village
    )


def add_plan_item(user, village: PairedVillage, data: dict) -> PlanItem:
    """One item of the village's S&T development plan (科技兴村规划)."""
    last = village.plan_items.order_by("-position").values_list("position", flat=True).first()
    item = PlanItem(village=village, position=(last or 0) + 1)
    _fill(item, PLAN_ITEM_FIELDS, data)
    save_new(item, "party.village.plan_item", PLAN_ITEM_FIELDS)
    return item


def record_progress(user, data: dict) -> PlanProgress:
    """Progress on one plan item, by the user."""
    progress = PlanProgress(recorded_by=user)
    _fill(progress, PROGRESS_FIELDS, data)
    save_new(progress, "party.village.progress", PROGRESS_FIELDS)
    return progress


def record_visit(user, village: PairedVillage, data: dict, officers) -> Visit:
    """A visit to the village by OFFICERS (users of the branch's bureau); one event records
    it with the officers' ids."""
    officers = list(officers)
    if not officers:
        raise ValidationError({"officers": [_("Name at least one officer who went.")]})
    if any(o.bureau_id != village.branch.bureau_id for o in officers):
        raise ValidationError({"officers": [_("Choose people working in the bureau.")]})
    visit = Visit(village=village)
    _fill(visit, VISIT_FIELDS, data)
    visit.full_clean()
    with audit.writing():
        visit.save()
        visit.officers.set(officers)
        after = snapshot(visit, VISIT_FIELDS)
        after["officers"] = sorted(o.pk for o in officers)
        audit.record("party.village.visit", obj=visit, after=after)
    return visit


def record_aid(user, village: PairedVillage, data: dict) -> Aid:
    """Money or goods given to the village (goods at their value in yuan)."""
    aid = Aid(village=village)
    _fill(aid, AID_FIELDS, data)
    save_new(aid, "party.village.aid", AID_FIELDS)
    return aid


def record_relief(user, data: dict) -> ReliefContribution:
    """The branch's contribution to a disaster relief."""
    relief = ReliefContribution(branch=_branch(user))
    _fill(relief, RELIEF_FIELDS, data)
    save_new(relief, "party.relief.create", RELIEF_FIELDS)
    return relief


def yearly_summary(village: PairedVillage, year: int) -> dict:
    """Visits, households visited, aid in money and in goods, the plan's items done, and the
    branch's relief contributions for YEAR: database aggregates, four queries."""
    visits = village.visits.filter(visited_on__year=year).aggregate(
        visits=Count("pk"), households=Sum("households_visited")
    )
    aid = village.aid.filter(given_on__year=year).aggregate(
        money=Sum("amount", filter=Q(kind=Aid.Kind.MONEY)),
        goods=Sum("amount", filter=Q(kind=Aid.Kind.GOODS)),
        total=Sum("amount"),
    )
    plan = village.plan_items.filter(year=year).aggregate(
        items=Count("pk", distinct=True),
        done=Count("pk", filter=Q(progress__done=True), distinct=True),
    )
    relief = ReliefContribution.objects.filter(
        branch_id=village.branch_id, given_on__year=year
    ).aggregate(total=Sum("amount"), count=Count("pk"))
    return {
        "year": year,
        "visits": visits["visits"],
        "households_visited": visits["households"] or 0,
        "aid_money": aid["money"] or ZERO,
        "aid_goods": aid["goods"] or ZERO,
        "aid_total": aid["total"] or ZERO,
        "plan_items": plan["items"],
        "plan_items_done": plan["done"],
        "relief_total": relief["total"] or ZERO,
        "relief_count": relief["count"],
    }


def summary_years(village: PairedVillage) -> list[int]:
    """The years with anything recorded for the village, latest first."""
    years = {d.year for d in village.visits.dates("visited_on", "year")}
    years |= {d.year for d in village.aid.dates("given_on", "year")}
    years |= set(village.plan_items.values_list("year", flat=True))
    return sorted(years, reverse=True)
