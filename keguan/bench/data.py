"""Synthetic data at county, city, province or nation scale, for the benchmark.

Bureaus are created through the accounts service; everything else goes in through bulk
inserts, each row with the audit event its service would have written (`audit.append_many`),
so the chain of a generated database verifies like a real one. Rows come in the order of
the years they belong to, and each event's time lies in that year. The generator is
deterministic for a given scale and seed.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from keguan.accounts import services as accounts
from keguan.accounts.models import Bureau, Organization, RoleGrant, User
from keguan.accounts.roles import Role
from keguan.audit import services as audit
from keguan.bench import rows
from keguan.core.database import optimize
from keguan.projects.models import Application, Call, Program

BENCH_PASSWORD = "Keguan-Bench-2026"  # noqa: S105  (synthetic accounts on a benchmark database)
YEARS = 10
BATCH = 2000


@dataclass(frozen=True)
class Scale:
    provinces: int
    cities: int  # per province
    counties: int  # per city
    organizations: int
    applications: int
    projects: int
    experts: int
    events: int

    @property
    def county_count(self) -> int:
        return self.provinces * self.cities * self.counties


SCALES = {
    "county": Scale(1, 1, 1, 200, 2_000, 400, 50, 20_000),
    "city": Scale(1, 1, 10, 2_000, 20_000, 4_000, 500, 200_000),
    "province": Scale(1, 10, 10, 20_000, 200_000, 40_000, 5_000, 2_000_000),
    "nation": Scale(5, 10, 10, 100_000, 1_000_000, 200_000, 25_000, 10_000_000),
}
# The ranked list the benchmark opens: one round of this many applications.
RANKED_ROUND_SIZE = 500


class Report:
    """What was made and how fast, printed as the generator goes."""

    def __init__(self, write):
        self.write = write
        self.started = time.monotonic()
        self.counts: dict[str, int] = {}

    def add(self, what: str, count: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + count

    def step(self, message: str) -> None:
        self.write(f"[{time.monotonic() - self.started:7.1f} s] {message}")

    def summary(self) -> str:
        seconds = time.monotonic() - self.started
        rows_made = sum(self.counts.values())
        lines = [f"{what}: {count:,}" for what, count in self.counts.items()]
        lines.append(f"{rows_made:,} rows in {seconds:.1f} s ({rows_made / seconds:,.0f} rows/s)")
        from keguan.audit.models import AuditHead

        lines.append(f"audit chain: {AuditHead.objects.get(pk=1).seq:,} events")
        return "\n".join(lines)


def generate(scale_name: str, *, seed: int = 2026, write=print) -> Report:
    """Fill an empty keguan database at SCALE_NAME; returns the report of what was made."""
    scale = SCALES[scale_name]
    if Application.objects.exists() or Organization.objects.exists():
        raise ValueError("bench-data fills an empty database; this one already has data")
    report = Report(write)
    rng = random.Random(seed)
    this_year = timezone.localdate().year
    years = list(range(this_year - YEARS + 1, this_year + 1))
    password = make_password(BENCH_PASSWORD)
    tree = _bureaus(scale, report)
    people = _people(tree, scale, password, rng, report)
    report.step(f"{len(tree.counties)} county bureaus, {len(people.orgs):,} organizations")
    calls = _programs_and_calls(tree, years, report)
    per_year_events = scale.events // YEARS
    for year in years:
        with transaction.atomic():
            made = rows.year_of_work(
                year=year,
                this_year=this_year,
                scale=scale,
                tree=tree,
                people=people,
                calls=calls,
                rng=rng,
                report=report,
                event_budget=per_year_events,
            )
        report.step(f"{year}: {made:,} applications")
    rows.review_rounds(tree, people, calls, this_year - 1, rng, report)
    rows.ranked_round(tree, people, calls, this_year, rng, report)
    rows.pad_events(scale.events, years, people, rng, report)
    # A database that grew this fast has no planner statistics yet (a real one gets them
    # from the daily `optimize_database`).
    optimize(full=True)
    report.step("planner statistics updated")
    return report


@dataclass
class Tree:
    roots: list[Bureau]
    cities: list[Bureau]
    counties: list[Bureau]


def _bureaus(scale: Scale, report: Report) -> Tree:
    tree = Tree([], [], [])
    for p in range(scale.provinces):
        province = accounts.create_bureau(
            region_code=f"{51 + p}0000",
            name=f"基准省{p + 1}科学技术厅",
            level=Bureau.Level.PROVINCIAL,
            parent=None,
        )
        tree.roots.append(province)
        for c in range(scale.cities):
            code = f"{51 + p}{c + 1:02d}00"
            city = accounts.create_bureau(
                region_code=code,
                name=f"基准市{p + 1}-{c + 1}科学技术局",
                level=Bureau.Level.MUNICIPAL,
                parent=province,
            )
            tree.cities.append(city)
            for k in range(scale.counties):
                county = accounts.create_bureau(
                    region_code=f"{code[:4]}{k + 21:02d}",
                    name=f"基准县{p + 1}-{c + 1}-{k + 1}科学技术局",
                    level=Bureau.Level.COUNTY,
                    parent=city,
                )
                tree.counties.append(county)
    report.add("bureaus", len(tree.roots) + len(tree.cities) + len(tree.counties))
    return tree


@dataclass
class People:
    orgs: list[Organization]
    orgs_by_county: dict[int, list[Organization]]
    applicant_of: dict[int, int]  # organization id -> its applicant user id
    officer_of: dict[int, User]  # bureau id -> its officer
    experts_by_county: dict[int, list]  # county id -> [(expert id, user id)]


def _people(tree: Tree, scale: Scale, password: str, rng, report: Report) -> People:
    """Staff for every bureau, organizations with one applicant account each."""
    when = timezone.make_aware(dt.datetime(timezone.localdate().year - YEARS + 1, 1, 5, 9))
    users, grants, events = [], [], []
    staff = []
    for bureau in tree.roots + tree.cities + tree.counties:
        for role in (Role.OFFICER, Role.LEADER, Role.INSPECTOR):
            user = User(
                username=f"{role}-{bureau.region_code}",
                password=password,
                full_name=f"{bureau.name[:10]}{role}",
                bureau=bureau,
                must_change_password=False,
            )
            staff.append((user, role))
    per_county = scale.organizations // len(tree.counties)
    kinds = [Organization.Kind.ENTERPRISE] * 6 + [
        Organization.Kind.COOPERATIVE,
        Organization.Kind.TOWNSHIP,
        Organization.Kind.INSTITUTE,
        Organization.Kind.DEPARTMENT,
    ]
    orgs = []
    for county in tree.counties:
        for n in range(per_county):
            body = f"91{county.region_code}{len(orgs):09d}"
            orgs.append(
                Organization(
                    name=f"基准单位{county.region_code}-{n + 1:04d}",
                    kind=rng.choice(kinds),
                    uscc=body + uscc.calc_check_digit(body),
                    bureau=county,
                    contact_name="联系人",
                    contact_phone=f"138{len(orgs):08d}",
                    state=Organization.State.VERIFIED,
                )
            )
    with audit.writing():
        Organization.objects.bulk_create(orgs, batch_size=BATCH)
        for user, _role in staff:
            users.append(user)
        applicants = [
            User(
                username=f"a{org.pk}",
                password=password,
                full_name=org.contact_name,
                bureau=org.bureau,
                organization=org,
                must_change_password=False,
            )
            for org in orgs
        ]
        User.objects.bulk_create(users + applicants, batch_size=BATCH)
        grants = [RoleGrant(user=user, role=role) for user, role in staff]
        grants += [RoleGrant(user=user, role=Role.APPLICANT) for user in applicants]
        RoleGrant.objects.bulk_create(grants, batch_size=BATCH)
        for org in orgs:
            events.append(rows.event("accounts.organization.create", org, when, {"name": org.name}))
        for user in users + applicants:
            events.append(
                rows.event("accounts.user.create", user, when, {"username": user.username})
            )
        audit.append_many(events)
    report.add("organizations", len(orgs))
    report.add("users", len(users) + len(applicants))
    report.add("role grants", len(grants))
    report.add("audit events", len(events))
    by_county: dict[int, list[Organization]] = {}
    for org in orgs:
        by_county.setdefault(org.bureau_id, []).append(org)
    officer_of = {user.bureau_id: user for user, role in staff if role == Role.OFFICER}
    people = People(
        orgs=orgs,
        orgs_by_county=by_county,
        applicant_of={user.organization_id: user.pk for user in applicants},
        officer_of=officer_of,
        experts_by_county={},
    )
    rows.experts(tree, scale, people, password, rng, report)
    return people


def _programs_and_calls(tree: Tree, years, report: Report) -> dict:
    """A program per bureau at its level, and one call of it per year."""
    level_of = {
        Bureau.Level.PROVINCIAL: Bureau.Level.PROVINCIAL,
        Bureau.Level.MUNICIPAL: Bureau.Level.MUNICIPAL,
        Bureau.Level.COUNTY: Bureau.Level.COUNTY,
    }
    programs, calls, events = [], [], []
    when = timezone.make_aware(dt.datetime(years[0], 1, 6, 9))
    for bureau in tree.roots + tree.cities + tree.counties:
        programs.append(
            Program(
                name="科技计划项目",
                level=level_of[bureau.level],
                body=bureau.name,
                bureau=bureau,
            )
        )
    with audit.writing():
        Program.objects.bulk_create(programs, batch_size=BATCH)
        for program in programs:
            events.append(rows.event("projects.program.create", program, when, {}))
            for year in years:
                opens = timezone.make_aware(dt.datetime(year, 3, 1, 8))
                calls.append(
                    Call(
                        program=program,
                        bureau=program.bureau,
                        year=year,
                        title=f"{year}年度{program.body}科技计划项目申报指南",
                        opens_at=opens,
                        closes_at=opens + dt.timedelta(days=45),
                        budget_ceiling=Decimal("500000"),
                        state=Call.State.PUBLISHED,
                        published_at=opens,
                    )
                )
        Call.objects.bulk_create(calls, batch_size=BATCH)
        for call in calls:
            events.append(rows.event("projects.call.create", call, call.opens_at, {}))
        audit.append_many(events)
    report.add("programs", len(programs))
    report.add("calls", len(calls))
    report.add("audit events", len(events))
    return {(call.bureau_id, call.year): call for call in calls}
