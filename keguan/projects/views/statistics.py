"""Statistics of the jurisdiction: applications, approvals and money per level and year."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keguan.audit import services as audit
from keguan.core.access import require
from keguan.core.export import Column, xlsx_response
from keguan.projects import permissions
from keguan.projects.statistics import by_level_and_year

COLUMNS = [
    Column(gettext_lazy("Year"), lambda r: r.year, 8),
    Column(gettext_lazy("Program level"), lambda r: r.level_label, 12),
    Column(gettext_lazy("Applications submitted"), lambda r: r.submitted, 14),
    Column(gettext_lazy("Applications approved"), lambda r: r.approved, 14),
    Column(gettext_lazy("Projects"), lambda r: r.projects, 10),
    Column(gettext_lazy("Approved amount (yuan)"), lambda r: r.approved_amount, 18),
    Column(gettext_lazy("Disbursed (yuan)"), lambda r: r.disbursed, 18),
]


@require(permissions.can_read_statistics)
def statistics(request):
    stats = by_level_and_year(request.user, fresh=request.GET.get("fresh") == "1")
    return render(
        request,
        "projects/statistics.html",
        {
            "rows": stats.rows,
            "totals": stats.totals_by_year(),
            "as_of": stats.as_of,
            "bureau": request.user.bureau,
        },
    )


@require(permissions.can_read_statistics)
def statistics_export(request):
    audit.record("projects.statistics.export", object_type="projects.statistics")
    return xlsx_response(
        _("statistics"),
        _("Statistics by level and year"),
        COLUMNS,
        by_level_and_year(request.user, fresh=True).rows,
    )
