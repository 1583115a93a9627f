"""The rows of one year of a generated jurisdiction: applications with team, budget and
attachment metadata, projects with allocations and disbursements, experts, review rounds
with score sheets, and the audit events each would have left. See keguan.bench.data."""

import contextlib
import datetime as dt
import hashlib
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import ric

from keguan.accounts.models import RoleGrant, User
from keguan.accounts.roles import Role
from keguan.audit import services as audit
from keguan.audit.context import Actor
from keguan.funds.models import Allocation, Disbursement, Fund
from keguan.projects.models import Application, Attachment, BudgetLine, Project, TeamMember
from keguan.review.models import (
    Assignment,
    Criterion,
    Draw,
    Expert,
    Round,
    RoundEntry,
    Rubric,
    Score,
)

BATCH = 2000
SYSTEM = Actor(None, "bench-data", "", None)
S = Application.State
# The workflow steps an application in each state went through, as audit actions.
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: ["submit"],
    S.WITHDRAWN: ["submit", "withdraw"],
    S.CHECKED: ["submit", "pass_check"],
    S.REVIEWED: ["submit", "pass_check", "record_review"],
    S.IN_NOTICE: ["submit", "pass_check", "record_review", "decide_approve", "publish_notice"],
    S.REJECTED: ["submit", "pass_check", "record_review", "decide_reject"],
    S.APPROVED: [
        "submit",
        "pass_check",
        "record_review",
        "decide_approve",
        "publish_notice",
        "confirm",
    ],
}
# Shares of the states, for past years and for the year under way.
PAST = [(S.APPROVED, 20), (S.REJECTED, 55), (S.WITHDRAWN, 5), (S.DRAFT, 10), (S.REVIEWED, 10)]
CURRENT = [
    (S.DRAFT, 25),
    (S.SUBMITTED, 25),
    (S.CHECKED, 15),
    (S.REVIEWED, 10),
    (S.IN_NOTICE, 5),
    (S.APPROVED, 20),
]
CRITERIA = [
    ("创新性", 30),
    ("可行性", 25),
    ("经济社会效益", 25),
    ("团队与基础", 10),
    ("预算合理性", 10),
]


def event(action: str, obj, at, after: dict | None, actor: Actor = SYSTEM) -> dict:
    return {
        "action": action,
        "object_type": obj._meta.label_lower,
        "object_id": obj.pk,
        "at": at,
        "after": after,
        "actor": actor,
    }


def id_number(rng, region: str) -> str:
    """A well-formed resident ID number (check digit included) of someone born 1960–1995."""
    born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(35 * 365))
    body = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")  # the function skips the last character


def stored_name(*parts) -> str:
    """A unique attachment file name (the file itself is not written: metadata only)."""
    token = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"{token[:2]}/{token[2:4]}/{token}"


@contextlib.contextmanager
def historic(model, field: str = "created_at"):
    """Let bulk inserts keep the FIELD times they were given instead of "now"."""
    column = model._meta.get_field(field)
    column.auto_now_add = False
    try:
        yield
    finally:
        column.auto_now_add = True


def _moment(rng, year: int, month_from: int = 1, month_to: int = 12):
    day = dt.date(year, month_from, 1) + dt.timedelta(
        days=rng.randrange((month_to - month_from + 1) * 28)
    )
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8 + rng.randrange(10))))


def _pick(rng, shares):
    roll = rng.randrange(sum(share for _state, share in shares))
    for state, share in shares:
        if roll < share:
            return state
        roll -= share
    return shares[-1][0]


def experts(tree, scale, people, password, rng, report) -> None:
    """The expert pool: each county's share, every expert with an account."""
    per_county = max(scale.experts // len(tree.counties), 5)
    when = timezone.make_aware(dt.datetime(timezone.localdate().year - 9, 2, 1, 9))
    users, pool = [], []
    for county in tree.counties:
        for n in range(per_county):
            users.append(
                User(
                    username=f"e{county.region_code}-{n + 1:03d}",
                    password=password,
                    full_name=f"专家{county.region_code}-{n + 1}",
                    bureau=county,
                    must_change_password=False,
                )
            )
    with audit.writing():
        User.objects.bulk_create(users, batch_size=BATCH)
        RoleGrant.objects.bulk_create(
            [RoleGrant(user=user, role=Role.EXPERT) for user in users], batch_size=BATCH
        )
        for user in users:
            pool.append(
                Expert(
                    bureau=user.bureau,
                    user=user,
                    name=user.full_name,
                    unit=f"基准大学{rng.randrange(50) + 1}",
                    title="教授",
                    id_number=id_number(rng, user.bureau.region_code),
                )
            )
        Expert.objects.bulk_create(pool, batch_size=BATCH)
        audit.append_many(event("review.expert.create", e, when, {"name": e.name}) for e in pool)
    for expert in pool:
        people.experts_by_county.setdefault(expert.bureau_id, []).append(expert.pk)
    report.add("expert accounts", len(users))
    report.add("experts", len(pool))
    report.add("audit events", len(pool))


def year_of_work(*, year, this_year, scale, tree, people, calls, rng, report, event_budget):
    """Every application of YEAR in every county, and what followed from it."""
    per_county = scale.applications // (len(tree.counties) * 10)
    shares = CURRENT if year == this_year else PAST
    apps, events = [], []
    parent_of = {county.pk: county.parent for county in tree.counties}
    for county in tree.counties:
        orgs = people.orgs_by_county[county.pk]
        city = parent_of[county.pk]
        for n in range(per_county):
            roll = rng.randrange(100)
            holder = county if roll < 80 else city if roll < 95 else city.parent
            call = calls[(holder.pk, year)]
            org = orgs[rng.randrange(len(orgs))]
            state = _pick(rng, shares)
            created = _moment(rng, year, 3, 4)
            app = Application(
                call=call,
                organization=org,
                bureau=county,
                title=f"{org.name[:20]}{year}年度科技项目{n + 1}",
                summary="基准数据",
                discipline_code="210",
                state=state,
                created_by_id=people.applicant_of[org.pk],
                expected_revenue=Decimal(rng.randrange(50, 5000) * 1000),
            )
            app.created_at = app.created_at_value = created
            if state != S.DRAFT:
                app.submitted_at = created + dt.timedelta(days=rng.randrange(1, 20))
            if state in (S.REVIEWED, S.IN_NOTICE, S.REJECTED, S.APPROVED):
                app.review_score = Decimal(rng.randrange(550, 950)) / 10
            if state in (S.IN_NOTICE, S.APPROVED):
                app.granted_amount = Decimal(rng.randrange(5, 50) * 10000)
                app.decided_at = created + dt.timedelta(days=60)
            apps.append(app)
    with audit.writing(), historic(Application):
        Application.objects.bulk_create(apps, batch_size=BATCH)
        team, budget, files = [], [], []
        for app in apps:
            region = app.bureau.region_code
            team.append(
                TeamMember(
                    application=app,
                    name="负责人",
                    unit=app.organization.name,
                    role=TeamMember.Role.LEADER,
                    id_number=id_number(rng, region),
                )
            )
            team.append(
                TeamMember(
                    application=app,
                    name="成员",
                    unit=app.organization.name,
                    role=TeamMember.Role.MEMBER,
                    id_number=id_number(rng, region),
                )
            )
            budget.append(
                BudgetLine(
                    application=app,
                    category="equipment",
                    requested=Decimal(rng.randrange(5, 30) * 10000),
                )
            )
            budget.append(
                BudgetLine(
                    application=app,
                    category="materials",
                    requested=Decimal(rng.randrange(1, 10) * 10000),
                    self_raised=Decimal(rng.randrange(1, 10) * 10000),
                )
            )
            for kind in ("feasibility_report", "budget_sheet"):
                files.append(
                    Attachment(
                        application=app,
                        kind=kind,
                        original_name=f"{kind}.pdf",
                        stored_name=stored_name(app.pk, kind),
                        content_type="application/pdf",
                        size=rng.randrange(100_000, 3_000_000),
                        sha256="0" * 64,
                        uploaded_by_id=app.created_by_id,
                    )
                )
            at = app.created_at_value
            actor = Actor(app.created_by_id, f"a{app.organization_id}", "applicant", None)
            events.append(
                event("projects.application.create", app, at, {"title": app.title}, actor)
            )
            events.append(event("projects.application.team", app, at, {"rows": 2}, actor))
            events.append(event("projects.application.budget", app, at, {"rows": 2}, actor))
            for n, step in enumerate(PATHS[app.state]):
                events.append(
                    event(
                        f"projects.application.{step}",
                        app,
                        at + dt.timedelta(days=5 + 10 * n),
                        {"action": step},
                    )
                )
        TeamMember.objects.bulk_create(team, batch_size=BATCH)
        BudgetLine.objects.bulk_create(budget, batch_size=BATCH)
        Attachment.objects.bulk_create(files, batch_size=BATCH)
        for item in files:
            events.append(
                event(
                    "projects.attachment.upload",
                    item,
                    item.application.created_at_value,
                    {"kind": item.kind, "size": item.size},
                )
            )
        made = _projects(year, this_year, apps, people, rng, events)
        events.sort(key=lambda spec: spec["at"])
        audit.append_many(events)
    report.add("applications", len(apps))
    report.add("team members", len(team))
    report.add("budget lines", len(budget))
    report.add("attachments (metadata)", len(files))
    report.add("projects", made)
    report.add("audit events", len(events))
    return len(apps)


def _projects(year, this_year, apps, people, rng, events) -> int:
    """Projects of the approved applications, with the fund's allocation and payments."""
    approved = [app for app in apps if app.state == S.APPROVED]
    funds = {}
    for app in approved:
        if app.bureau_id not in funds:
            funds[app.bureau_id] = Fund(
                bureau_id=app.bureau_id,
                kind=Fund.Kind.SCIENCE_BUDGET,
                year=year,
                amount=Decimal("50000000"),
            )
    Fund.objects.bulk_create(list(funds.values()), batch_size=BATCH)
    age = this_year - year
    state = (
        Project.State.CLOSED
        if age > 3
        else Project.State.PASSED
        if age > 1
        else Project.State.UNDER_WAY
    )
    projects, allocations = [], []
    for app in approved:
        projects.append(
            Project(
                application=app,
                number=f"{app.bureau.region_code}-{year}-{app.pk:07d}",
                bureau_id=app.bureau_id,
                organization_id=app.organization_id,
                title=app.title,
                level=app.call.program.level,
                year=year,
                approved_amount=app.granted_amount,
                start_on=dt.date(year, 7, 1),
                end_on=dt.date(year + 2, 6, 30),
                state=state,
                acceptance_due=dt.date(year + 2, 9, 30),
            )
        )
        allocations.append(
            Allocation(
                fund=funds[app.bureau_id],
                application=app,
                amount=app.granted_amount,
                state=Allocation.State.COMMITTED,
            )
        )
    Project.objects.bulk_create(projects, batch_size=BATCH)
    Allocation.objects.bulk_create(allocations, batch_size=BATCH)
    payments = []
    for project in projects:
        half = (project.approved_amount / 2).quantize(Decimal("0.01"))
        for n, paid in enumerate((dt.date(year, 8, 10), dt.date(min(year + 1, this_year), 3, 10))):
            if age == 0 and n == 1:
                break
            payments.append(
                Disbursement(
                    project=project,
                    fund=funds[project.bureau_id],
                    amount=half,
                    paid_on=paid,
                    voucher_number=f"PZ{project.pk}-{n + 1}",
                )
            )
    Disbursement.objects.bulk_create(payments, batch_size=BATCH)
    decided = timezone.make_aware(dt.datetime(year, 6, 20, 10))
    for fund in funds.values():
        events.append(event("funds.fund.create", fund, decided, {"amount": str(fund.amount)}))
    for project in projects:
        events.append(
            event("projects.project.create", project, decided, {"number": project.number})
        )
    for allocation in allocations:
        events.append(event("funds.allocation.commit", allocation, decided, {}))
    for payment in payments:
        at = timezone.make_aware(dt.datetime.combine(payment.paid_on, dt.time(10)))
        events.append(
            event("funds.disbursement.create", payment, at, {"amount": str(payment.amount)})
        )
    return len(projects)


def review_round(county, call, apps, people, rng, closed_at) -> tuple[Round, int]:
    """A closed round over APPS: a rubric of five criteria, one draw per application and
    three submitted score sheets each. Returns the round and how many rows it made."""
    pool = people.experts_by_county[county.pk]
    officer = people.officer_of[county.pk]
    rubric, _new = Rubric.objects.get_or_create(call=call)
    criteria = Criterion.objects.bulk_create(
        [
            Criterion(rubric=rubric, name=name, weight=weight, max_score=100, position=n)
            for n, (name, weight) in enumerate(CRITERIA)
        ]
    )
    review = Round(
        bureau=county,
        call=call,
        name=f"{call.title}评审",
        experts_per_application=3,
        reserves=0,
        review_deadline=closed_at,
        seed_source="bench",
        state=Round.State.CLOSED,
        sealed_at=closed_at - dt.timedelta(days=20),
        closed_at=closed_at,
        created_by=officer,
    )
    review.save()
    RoundEntry.objects.bulk_create(
        [RoundEntry(round=review, application=app, score=app.review_score) for app in apps],
        batch_size=BATCH,
    )
    draws, sheets = [], []
    for app in apps:
        chosen = rng.sample(pool, 3)
        draws.append(
            Draw(
                round=review,
                application=app,
                sequence=1,
                kind=Draw.Kind.FIRST,
                wanted=3,
                reserves=0,
                seed=hashlib.sha256(f"{app.pk}".encode()).hexdigest(),
                pool=pool,
                excluded=[],
                result=chosen,
                outcome=Draw.Outcome.DRAWN,
                drawn_by=officer,
                drawn_at=review.sealed_at,
            )
        )
    Draw.objects.bulk_create(draws, batch_size=BATCH)
    for draw in draws:
        for position, expert in enumerate(draw.result):
            sheets.append(
                Assignment(
                    round=review,
                    draw=draw,
                    application=draw.application,
                    expert_id=expert,
                    position=position,
                    state=Assignment.State.SUBMITTED,
                    pledged_at=draw.drawn_at,
                    total=Decimal(rng.randrange(500, 980)) / 10,
                    recommendation=rng.choice(["fund", "fund_with_changes", "do_not_fund"]),
                    submitted_at=closed_at - dt.timedelta(days=2),
                )
            )
    Assignment.objects.bulk_create(sheets, batch_size=BATCH)
    scores = [
        Score(assignment=sheet, criterion=criterion, value=rng.randrange(50, 100))
        for sheet in sheets
        for criterion in criteria
    ]
    Score.objects.bulk_create(scores, batch_size=5000)
    events = [event("review.round.create", review, review.sealed_at, {"name": review.name})]
    events += [
        event("review.draw.create", draw, draw.drawn_at, {"result": draw.result}) for draw in draws
    ]
    events += [
        event("review.assignment.scores", sheet, sheet.submitted_at, {"total": str(sheet.total)})
        for sheet in sheets
    ]
    audit.append_many(events)
    return review, len(apps) * 2 + len(draws) + len(sheets) + len(scores) + len(events)


def review_rounds(tree, people, calls, year, rng, report) -> None:
    """Last year's county call of every county was reviewed by drawn experts."""
    closed_at = timezone.make_aware(dt.datetime(year, 5, 30, 17))
    made = 0
    for county in tree.counties:
        call = calls[(county.pk, year)]
        apps = list(
            Application.objects.filter(call=call, review_score__isnull=False).select_related(
                "bureau"
            )
        )
        if apps:
            with audit.writing():
                made += review_round(county, call, apps, people, rng, closed_at)[1]
    report.add("review rows (rounds, draws, sheets, scores, events)", made)


def ranked_round(tree, people, calls, this_year, rng, report) -> Round:
    """The round the benchmark ranks: RANKED_ROUND_SIZE reviewed applications of this
    year's call in the first county, under a round of their own."""
    from keguan.bench.data import RANKED_ROUND_SIZE

    county = tree.counties[0]
    call = calls[(county.pk, this_year)]
    orgs = people.orgs_by_county[county.pk]
    at = timezone.make_aware(dt.datetime(this_year, 4, 20, 9))
    apps = [
        Application(
            call=call,
            organization=orgs[n % len(orgs)],
            bureau=county,
            title=f"评审排名基准项目{n + 1}",
            state=S.REVIEWED,
            discipline_code="210",
            created_by_id=people.applicant_of[orgs[n % len(orgs)].pk],
            submitted_at=at,
            review_score=Decimal(rng.randrange(550, 950)) / 10,
        )
        for n in range(RANKED_ROUND_SIZE)
    ]
    with audit.writing():
        Application.objects.bulk_create(apps, batch_size=BATCH)
        audit.append_many(
            event("projects.application.create", app, at, {"title": app.title}) for app in apps
        )
        review, made = review_round(county, call, apps, people, rng, at + dt.timedelta(days=30))
    report.add("applications", len(apps))
    report.add("review rows (rounds, draws, sheets, scores, events)", made + len(apps))
    report.step(f"ranked round #{review.pk} with {len(apps)} applications")
    return review


def pad_events(target: int, years, people, rng, report) -> None:
    """Sign-ins of the staff, up to TARGET events in all, spread over the years."""
    from keguan.audit.models import AuditHead

    missing = target - AuditHead.objects.get(pk=1).seq
    if missing <= 0:
        return
    staff = list(people.officer_of.values())
    per_year = missing // len(years)
    for n, year in enumerate(years):
        count = per_year if n < len(years) - 1 else missing - per_year * (len(years) - 1)
        moments = sorted(
            _moment(rng, year) + dt.timedelta(minutes=rng.randrange(600)) for _ in range(count)
        )
        with audit.writing():
            audit.append_many(
                {
                    "action": "accounts.login",
                    "object_type": "accounts.user",
                    "object_id": user.pk,
                    "at": at,
                    "after": None,
                    "actor": Actor(user.pk, user.username, "officer", "10.0.0.1"),
                }
                for at, user in ((at, staff[rng.randrange(len(staff))]) for at in moments)
            )
        report.add("audit events", count)
