"""Pages of party dues (党费): a member's own dues, the secretary's month sheet with paid and
unpaid, declaring an income, marking dues paid."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keguan.core.access import deny, get_visible, require
from keguan.core.export import Column, xlsx_response
from keguan.party import permissions as can
from keguan.party.models import DuesRecord
from keguan.party.models.dues import DUES_BANDS, month_start
from keguan.party.services import dues as services
from keguan.party.views.members_forms import IncomeForm, PaidForm


@require(can.can_enter_party)
def dues_index(request):
    """The month sheet for the secretary and inspectors; a member's own dues otherwise."""
    if can.can_read_dues_sheet(request.user):
        return redirect("party:dues_sheet")
    return redirect("party:dues_mine")


@require(can.can_enter_party)
def dues_mine(request):
    """The member's own dues: each month's income, amount, paid or not; declare an income."""
    own = can.member_of(request.user)
    if own is None:
        raise deny(request, "view:party.dues_mine")
    records = own.dues.order_by("-month")
    return render(
        request,
        "party/dues_mine.html",
        {
            "member": own,
            "records": records,
            "form": IncomeForm(initial={"month": f"{timezone.localdate():%Y-%m}"}),
            "can_declare": can.can_declare_income(request.user, own),
            "bands": DUES_BANDS,
        },
    )


def _month(request) -> dt.date:
    try:
        return services.parse_month(request.GET.get("month") or timezone.localdate())
    except ValidationError:
        return month_start(timezone.localdate())


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@require(can.can_read_dues_sheet)
def dues_sheet(request):
    """Every member's dues for one month, the totals, and all unpaid dues of the branch."""
    branch = can.branch_of(request.user)
    month = _month(request)
    rows = services.month_sheet(branch, month)
    return render(
        request,
        "party/dues_sheet.html",
        {
            "month": month,
            "previous": _shift(month, -1),
            "next": _shift(month, 1) if month < month_start(timezone.localdate()) else None,
            "rows": rows,
            "totals": services.totals(rows),
            "unpaid": services.unpaid(branch),
            "can_manage": can.can_manage_dues(request.user),
        },
    )


DUES_COLUMNS = [
    Column(_("Month"), lambda r: f"{r['month']:%Y-%m}", 10),
    Column(_("Name"), lambda r: r["member"].name, 12),
    Column(_("Declared monthly income (yuan)"), lambda r: r["record"] and r["record"].income, 16),
    Column(_("Dues (yuan)"), lambda r: r["record"] and r["record"].amount, 12),
    Column(_("Paid on"), lambda r: r["record"] and r["record"].paid_on, 12),
]


@require(can.can_read_dues_sheet)
def dues_export(request):
    """The month sheet as a workbook; the export of others' dues is audited."""
    from keguan.audit import services as audit

    branch = can.branch_of(request.user)
    month = _month(request)
    rows = [dict(row, month=month) for row in services.month_sheet(branch, month)]
    audit.record("party.dues.export", obj=branch, after={"month": month, "rows": len(rows)})
    return xlsx_response(f"{_('party-dues')}-{month:%Y-%m}", _("Party dues"), DUES_COLUMNS, rows)


@require(can.can_enter_party)
@require_POST
def dues_declare(request, member_pk: int):
    """Declare MEMBER's income for a month (the member themself, or the secretary)."""
    member = get_visible(request, can.visible_members(request.user), member_pk)
    if not can.can_declare_income(request.user, member):
        raise deny(request, "party.member", member_pk)
    form = IncomeForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    else:
        try:
            record = services.declare_income(
                request.user, member, form.cleaned_data["month"], form.cleaned_data["income"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Declared: dues of %(amount)s yuan for %(month)s.")
                % {"amount": record.amount, "month": f"{record.month:%Y-%m}"},
            )
    return redirect(_back(request, member))


def _back(request, member) -> str:
    if can.is_own_record(request.user, member) and request.POST.get("back") != "sheet":
        return reverse("party:dues_mine")
    month = request.POST.get("month") or ""
    return reverse("party:dues_sheet") + (f"?month={month}" if month else "")


def _record(request, pk: int) -> DuesRecord:
    record = get_visible(request, can.visible_dues(request.user), pk)
    if not can.can_manage_dues(request.user):
        raise deny(request, "party.duesrecord", pk)
    return record


@require(can.can_manage_dues)
@require_POST
def dues_pay(request, pk: int):
    record = _record(request, pk)
    form = PaidForm(request.POST)
    paid_on = form.cleaned_data["paid_on"] if form.is_valid() else None
    try:
        services.mark_paid(request.user, record, paid_on)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Marked paid."))
    return redirect(reverse("party:dues_sheet") + f"?month={record.month:%Y-%m}")


@require(can.can_manage_dues)
@require_POST
def dues_unpay(request, pk: int):
    record = _record(request, pk)
    try:
        services.mark_unpaid(request.user, record)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The payment has been withdrawn."))
    return redirect(reverse("party:dues_sheet") + f"?month={record.month:%Y-%m}")


urlpatterns = [
    path("dues/", dues_index, name="dues_index"),
    path("dues/mine/", dues_mine, name="dues_mine"),
    path("dues/sheet/", dues_sheet, name="dues_sheet"),
    path("dues/sheet/export/", dues_export, name="dues_export"),
    path("dues/declare/<int:member_pk>/", dues_declare, name="dues_declare"),
    path("dues/<int:pk>/pay/", dues_pay, name="dues_pay"),
    path("dues/<int:pk>/unpay/", dues_unpay, name="dues_unpay"),
]
