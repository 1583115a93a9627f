"""The paired poor village: the list with the branch's relief contributions, a village with
its yearly summary, plan, visits and aid; the secretary records each of them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from keguan.core.access import deny, get_visible, require
from keguan.core.forms import apply_errors
from keguan.party.models import PlanItem
from keguan.party.permissions import affairs as can
from keguan.party.permissions import can_enter_party
from keguan.party.services import affairs_village as services
from keguan.party.views.affairs_disclosure import history_of
from keguan.party.views.affairs_forms import (
    AidForm,
    PlanItemForm,
    ProgressForm,
    ReliefForm,
    VillageForm,
    VisitForm,
)
from keguan.party.views.affairs_integrity import bureau_people


@require(can_enter_party)
def village_list(request):
    user = request.user
    return render(
        request,
        "party/village_list.html",
        {
            "villages": can.visible_villages(user).order_by("name", "pk"),
            "relief": can.visible_relief(user).order_by("-given_on", "-pk")[:50],
            "can_manage": can.can_manage_villages(user),
        },
    )


def _village(request, pk: int):
    return get_visible(request, can.visible_villages(request.user), pk)


def _managed(request, pk: int):
    village = _village(request, pk)
    if not can.can_manage_village(request.user, village):
        raise deny(request, "party.pairedvillage", pk)
    return village


@require(can_enter_party)
def village_detail(request, pk: int):
    village = _village(request, pk)
    years = services.summary_years(village)
    items = list(village.plan_items.prefetch_related("progress").order_by("year", "position"))
    return render(
        request,
        "party/village_detail.html",
        {
            "village": village,
            "summaries": [services.yearly_summary(village, year) for year in years],
            "plan_items": items,
            "visits": village.visits.prefetch_related("officers").order_by("-visited_on"),
            "aid": village.aid.order_by("-given_on", "-pk"),
            "can_manage": can.can_manage_village(request.user, village),
            "history": history_of(village),
        },
    )


@require(can.can_manage_villages)
@require_http_methods(["GET", "POST"])
def village_create(request):
    form = VillageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            village = services.create_village(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The village has been recorded."))
            return redirect("party:village_detail", pk=village.pk)
    return render(
        request, "party/village_form.html", {"form": form, "heading": _("Pair a village")}
    )


@require(can.can_manage_villages)
@require_http_methods(["GET", "POST"])
def village_edit(request, pk: int):
    village = _managed(request, pk)
    form = VillageForm(request.POST or None, instance=type(village).objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_village(request.user, village, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("party:village_detail", pk=village.pk)
    return render(
        request,
        "party/village_form.html",
        {"form": form, "village": village, "heading": _("Change the village")},
    )


# What can be recorded for a village, with the heading of its page.
RECORDS = {
    "plan": gettext_lazy("Add a plan item"),
    "progress": gettext_lazy("Record progress on the plan"),
    "visit": gettext_lazy("Record a visit"),
    "aid": gettext_lazy("Record aid"),
}


def _record_form(request, what: str, village):
    today = timezone.localdate()
    data = request.POST or None
    if what == "plan":
        return PlanItemForm(data, initial={"year": today.year})
    if what == "progress":
        items = PlanItem.objects.filter(village=village).order_by("year", "position")
        return ProgressForm(data, items=items, initial={"reported_on": today})
    if what == "visit":
        return VisitForm(data, people=bureau_people(village.branch), initial={"visited_on": today})
    return AidForm(data, initial={"given_on": today})


def _save_record(user, what: str, village, data: dict) -> None:
    if what == "plan":
        services.add_plan_item(user, village, data)
    elif what == "progress":
        services.record_progress(user, data)
    elif what == "visit":
        services.record_visit(user, village, data, data["officers"])
    else:
        services.record_aid(user, village, data)


@require(can.can_manage_villages)
@require_http_methods(["GET", "POST"])
def village_record(request, pk: int, what: str):
    """A plan item, progress on one, a visit or aid, recorded for the village."""
    if what not in RECORDS:
        raise Http404()
    village = _managed(request, pk)
    form = _record_form(request, what, village)
    if request.method == "POST" and form.is_valid():
        try:
            _save_record(request.user, what, village, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect("party:village_detail", pk=village.pk)
    return render(
        request,
        "party/village_form.html",
        {"form": form, "village": village, "heading": RECORDS[what]},
    )


@require(can.can_manage_villages)
@require_http_methods(["GET", "POST"])
def relief_create(request):
    form = ReliefForm(request.POST or None, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_relief(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect("party:village_list")
    return render(
        request,
        "party/village_form.html",
        {"form": form, "heading": _("Record a disaster relief contribution")},
    )
