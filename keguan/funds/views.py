"""The bureau's funds: what each year's fund holds, what is allocated, paid and left."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keguan.core.access import get_visible, require
from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate, query_without_page
from keguan.funds import permissions, services
from keguan.funds.forms import FundFilterForm, FundForm


@require(permissions.can_list_funds)
def fund_list(request):
    funds = permissions.visible_funds(request.user)
    years = funds.order_by("-year").values_list("year", flat=True).distinct()
    form = FundFilterForm(request.GET or None, years=list(years))
    if form.is_valid():
        if form.cleaned_data["year"]:
            funds = funds.filter(year=form.cleaned_data["year"])
        if form.cleaned_data["kind"]:
            funds = funds.filter(kind=form.cleaned_data["kind"])
    funds = services.with_fund_figures(funds.select_related("bureau"))
    totals = services.totals_of(funds)
    query = query_without_page(request)
    return render(
        request,
        "funds/fund_list.html",
        {
            "form": form,
            "page": paginate(request, funds.order_by("-year", "kind", "bureau__path")),
            "totals": totals,
            "query": query,
            "can_create": permissions.can_manage_funds(request.user),
        },
    )


@require(permissions.can_manage_funds)
@require_http_methods(["GET", "POST"])
def fund_create(request):
    form = FundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund = services.create_fund(
                request.user,
                request.user.bureau,
                data["kind"],
                data["year"],
                data["amount"],
                data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The fund has been recorded."))
            return redirect("funds:fund_detail", pk=fund.pk)
    return render(request, "funds/fund_form.html", {"form": form})


@require(permissions.can_list_funds)
def fund_detail(request, pk: int):
    fund = get_visible(
        request,
        services.with_fund_figures(
            permissions.visible_funds(request.user).select_related("bureau")
        ),
        pk,
    )
    allocations = fund.allocations.select_related("application").order_by("-created_at", "-pk")
    disbursements = fund.disbursements.select_related("project").order_by("-paid_on", "-pk")
    return render(
        request,
        "funds/fund_detail.html",
        {"fund": fund, "allocations": allocations, "disbursements": disbursements},
    )
