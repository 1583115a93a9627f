"""The branch's yearly summary page and its Excel export, for the secretary and the
inspectors over the branch (an inspector may choose among several with ?branch=)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keguan.core.access import get_visible, require
from keguan.core.export import Column, xlsx_response
from keguan.party.models import Period
from keguan.party.permissions import branch_of
from keguan.party.permissions import summary as can
from keguan.party.services import summary as services

FIRST_YEAR = 1990


def _branch(request):
    """?branch= among the user's branches, else their own, else the first they inspect."""
    branches = can.summary_branches(request.user).select_related("bureau")
    if request.GET.get("branch", "").isdigit():
        return get_visible(request, branches, int(request.GET["branch"]))
    own = branch_of(request.user)
    chosen = branches.filter(pk=own.pk).first() if own is not None else None
    chosen = chosen or branches.order_by("pk").first()
    if chosen is None:
        raise Http404()
    return chosen


def _checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404()
    return year


@require(can.can_read_summary)
def summary_index(request):
    """The summary of the current year."""
    url = redirect("party:summary", year=timezone.localdate().year).url
    branch = request.GET.get("branch", "")
    return redirect(f"{url}?branch={branch}" if branch.isdigit() else url)


@require(can.can_read_summary)
def summary(request, year: int):
    branch, year = _branch(request), _checked_year(year)
    this_year = timezone.localdate().year
    branches = list(can.summary_branches(request.user).order_by("name", "pk"))
    return render(
        request,
        "party/summary.html",
        {
            "branch": branch,
            "summary": services.yearly_summary(branch, year),
            "years": range(this_year, max(FIRST_YEAR, this_year - 9) - 1, -1),
            "branches": branches if len(branches) > 1 else [],
        },
    )


EXPORT_COLUMNS = [
    Column(gettext_lazy("Section"), lambda r: r[0], 16),
    Column(gettext_lazy("Item"), lambda r: r[1], 36),
    Column(gettext_lazy("Value"), lambda r: r[2], 16),
    Column(gettext_lazy("Note"), lambda r: r[3], 40),
]


def export_rows(s: services.YearlySummary):
    """The summary as (section, item, value, note) rows: numbers stay numbers."""
    members, study, dues, ev = s.members, s.study, s.dues, s.evaluation
    section = _("Members")
    yield section, _("Members at the end of the year"), members.active, ""
    yield section, _("Full members"), members.full, ""
    yield section, _("Probationary members"), members.probationary, ""
    yield section, _("Transferred out during the year"), members.transferred_out, ""
    yield section, _("Deceased during the year"), members.deceased, ""
    section = _("Study")
    yield section, _("Required hours per member"), study.required_hours, ""
    yield section, _("Total hours"), study.total_hours, ""
    yield section, _("Average hours per member"), study.average_hours, ""
    yield section, _("Members below the plan"), study.below_plan_count, "、".join(study.below_plan)
    section = _("Meetings")
    for row in s.meetings:
        note = _("%(period)s: %(required)d periods, %(held)d meetings held, %(missed)d missed") % {
            "period": Period(row.period).label,
            "required": row.required,
            "held": row.held,
            "missed": row.missed,
        }
        yield section, row.label, row.covered, note
    section = _("Democratic evaluation")
    if ev.finished:
        for grade in ev.grades:
            yield section, grade.label, grade.count, ""
        if ev.ungraded:
            yield section, _("No final grade"), ev.ungraded, ""
    else:
        yield section, ev.name or _("No round this year"), "", _("not finished")
    section = _("Party dues (yuan)")
    yield section, _("Declared"), dues.declared, ""
    yield section, _("Paid"), dues.paid, ""
    yield section, _("Unpaid"), dues.unpaid, ""


@require(can.can_read_summary)
def summary_export(request, year: int):
    """The summary as a workbook; the export is audited."""
    branch, year = _branch(request), _checked_year(year)
    summary = services.yearly_summary(branch, year)
    services.record_export(request.user, branch, year)
    title = _("Yearly summary %(year)d") % {"year": year}
    return xlsx_response(f"{title} {branch.name}", title, EXPORT_COLUMNS, export_rows(summary))


urlpatterns = [
    path("summary/", summary_index, name="summary_index"),
    path("summary/<int:year>/", summary, name="summary"),
    path("summary/<int:year>/export/", summary_export, name="summary_export"),
]
