"""Government disclosure (政务公开): each year's public figures, computed from the records.

Nothing here is typed in: calls, projects, grants won from higher levels and the S&T budget
come from the projects and funds apps, every sum in SQL; awards from the award notices
that ran their period. Only what the public may read
leaves this module: titles, units, levels, amounts; never a person's name, phone or ID.

The page speaks for the deployment's county bureau (the one the landing page names): the
calls its public may apply to (its own and those of the levels above), the projects and
grants of its jurisdiction, and its own funds.
"""

from decimal import Decimal

from django.db.models import Count, DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce

from keguan.accounts.models import Bureau
from keguan.funds.models import Fund
from keguan.funds.services import totals_of, with_fund_figures
from keguan.projects.models import Application, Call, Project

ZERO = Decimal("0")
_money = DecimalField(max_digits=16, decimal_places=2)
# Levels above the county, highest first: where "funds obtained" (无偿科技经费) come from.
HIGHER_LEVELS = (Bureau.Level.NATIONAL, Bureau.Level.PROVINCIAL, Bureau.Level.MUNICIPAL)
LEVEL_ORDER = (*HIGHER_LEVELS, Bureau.Level.COUNTY)


def county_bureau() -> Bureau | None:
    """The county bureau the public site speaks for (the first county of the deployment)."""
    return Bureau.objects.filter(level=Bureau.Level.COUNTY).order_by("path").first()


def published_calls(bureau: Bureau):
    """Published calls the county's public may apply to: its bureau's and those above."""
    return Call.objects.filter(state=Call.State.PUBLISHED, bureau__path__in=bureau.paths_up())


def approved_projects(bureau: Bureau):
    """Projects approved in the county's jurisdiction (county and higher programs alike)."""
    return Project.objects.filter(bureau__path__startswith=bureau.path)


def disclosure_years(bureau: Bureau | None) -> list[int]:
    """The years with something to disclose (a call published or a project approved),
    newest first, in one query."""
    if bureau is None:
        return []
    calls = published_calls(bureau).order_by().values_list("year", flat=True)
    projects = approved_projects(bureau).order_by().values_list("year", flat=True)
    return list(calls.union(projects).order_by("-year"))


def calls_of_year(bureau: Bureau, year: int):
    """The calls published for YEAR, with their program (level) and window."""
    return (
        published_calls(bureau)
        .filter(year=year)
        .select_related("program", "bureau")
        .order_by("opens_at", "pk")
    )


def projects_of_year(bureau: Bureau, year: int):
    """The projects approved in YEAR with their unit; only public columns are loaded."""
    return (
        approved_projects(bureau)
        .filter(year=year)
        .select_related("organization")
        .only("number", "title", "level", "approved_amount", "organization__name")
        .order_by("number")
    )


def _levels_and_total(grouped, amount_field: str) -> dict:
    """Count and sum of AMOUNT_FIELD over GROUPED (a queryset already reduced to
    `.values("level")`): per level, highest level first, and overall. Two aggregate
    queries; Python only puts the (at most four) level rows in order."""
    money = Coalesce(Sum(amount_field), Value(ZERO), output_field=_money)
    found = {row["level"]: row for row in grouped.annotate(count=Count("pk"), amount=money)}
    labels = dict(Bureau.Level.choices)
    overall = grouped.aggregate(count=Count("pk"), amount=money)
    return {
        "levels": [
            {"level": level, "label": labels[level], **found[level]}
            for level in LEVEL_ORDER
            if level in found
        ],
        "count": overall["count"],
        "amount": overall["amount"],
    }


def project_totals(bureau: Bureau, year: int) -> dict:
    """Count and approved funding of YEAR's projects, per level and overall (one query)."""
    rows = approved_projects(bureau).filter(year=year).order_by().values("level")
    return _levels_and_total(rows, "approved_amount")


def funds_obtained(bureau: Bureau, year: int) -> dict:
    """Grants won from higher levels in YEAR (无偿科技经费扶助): the amounts granted to
    approved applications of the jurisdiction to programs above the county, per level."""
    rows = (
        Application.objects.filter(
            bureau__path__startswith=bureau.path,
            state=Application.State.APPROVED,
            call__year=year,
            call__program__level__in=HIGHER_LEVELS,
        )
        .order_by()
        .values(level=F("call__program__level"))
    )
    return _levels_and_total(rows, "granted_amount")


def budget_of_year(bureau: Bureau, year: int) -> dict:
    """The county's funds of YEAR (the S&T budget and the special funds) with what is
    allocated, disbursed and the execution rate, plus their totals."""
    funds = Fund.objects.filter(bureau=bureau, year=year)
    return {
        "funds": list(with_fund_figures(funds).order_by("kind")),
        "totals": totals_of(funds),
    }


def awards_of_year(bureau: Bureau, year: int):
    """Awards made public that year: the items of the award notices of the jurisdiction
    whose period ended that year (names as the award notice published them)."""
    from keguan.portal.models import Notice, NoticeItem, NoticeKind

    return (
        NoticeItem.objects.filter(
            notice__kind=NoticeKind.AWARD,
            notice__state=Notice.State.ENDED,
            notice__bureau__path__startswith=bureau.path,
            notice__ends_on__year=year,
        )
        .exclude(state=NoticeItem.State.WITHDRAWN)
        .select_related("notice")
        .order_by("notice__ends_on", "position", "pk")
    )


def year_report(year: int) -> dict | None:
    """Everything the disclosure page of YEAR shows, or None when the year has no call
    published and no project approved. A fixed number of queries, however many rows."""
    bureau = county_bureau()
    if bureau is None:
        return None
    calls = list(calls_of_year(bureau, year))
    projects = list(projects_of_year(bureau, year))
    awards = list(awards_of_year(bureau, year))
    if not calls and not projects and not awards:
        return None
    return {
        "bureau": bureau,
        "year": year,
        "calls": calls,
        "projects": projects,
        "project_totals": project_totals(bureau, year),
        "funds_obtained": funds_obtained(bureau, year),
        "budget": budget_of_year(bureau, year),
        "awards": awards,
    }
