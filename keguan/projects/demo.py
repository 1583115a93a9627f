"""The demo county's projects: the seed's history of 2006–2011 and a living current year.

The seed (the bureau's own account) counts, from 2006 on: 7 national projects (2 of the
agricultural achievement transformation fund, 2 of the SME innovation fund, 1 innovation
service platform, 2 Spark), 61 provincial and municipal ones (one 富民强县), more than
5,000,000 yuan (“500多万元”) obtained from municipal level and above, and an S&T budget
that grew from 160,000 yuan in 2006 to 650,000 yuan in 2011. HISTORY and COUNTY_HISTORY
in `demo_data` are that record, project by project; their granted amounts add up to 5,270,000 yuan.

Everything goes through the services and workflows, as real work would, so the audit chain
is a real one. Past rounds are imports of paper records: keguan takes applications only
while a call is open, so each past call is created open now, every application goes in and
through the workflows as it went on paper, and then `backdate_call_for_import` gives the
call its historical window, with its own audit event; that service also moves the round's
submitted, decided and signed times into and after the window. Progress reports keep the
moment of the import; call years, project years, planned dates and payment dates are the
historical ones. The current year is live: its calls opened this
year, two are still open, the closed ones were closed with `update_call`.

County rounds are decided as the bureau decides them, by a recorded meeting of the
leadership whose released decisions move the applications on: the `decide` callable that
keguan.core.demo passes in from keguan.review.demo (projects import nothing from review).

Loading is idempotent: a round whose call exists is skipped whole, and each section runs in
one transaction, so a second run adds nothing. (Run again in a later year, it adds that
year's live round.)
"""

import datetime as dt
import zlib
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from keguan.accounts import services as accounts
from keguan.accounts.models import Bureau, Organization, User
from keguan.accounts.roles import Role
from keguan.accounts.workflow import ORGANIZATION_WORKFLOW
from keguan.audit.context import acting_as
from keguan.core.demo import COUNTY, DEMO_PASSWORD, DemoAccount, demo_uscc
from keguan.funds import services as funds
from keguan.funds.models import Fund
from keguan.notifications.models import Notification
from keguan.notifications.services import mark_read
from keguan.projects import services
from keguan.projects.demo_data import (
    APPROACHES,
    APPROVAL_DOCUMENTS,
    CANDIDATES,
    CEILING,
    COUNTY_HISTORY,
    CURRENT,
    FOLLOW_UPS,
    FUND_NAMES,
    FUND_OF,
    FUNDS,
    HISTORY,
    NEW_ORGANIZATIONS,
    OUTCOMES,
    PARTNERS,
    PEOPLE,
    PROFILES,
    PROGRAMS,
    RECENT,
    RECENT_FUNDS,
    REJECTION_NOTES,
    TOWNSHIPS,
    WAN,
    A,
    K,
    L,
    P,
)
from keguan.projects.models import Application, Call, Candidate, Maturity, Program, Project
from keguan.projects.workflow import (
    APPLICATION_WORKFLOW,
    CALL_WORKFLOW,
    CANDIDATE_WORKFLOW,
    PROJECT_WORKFLOW,
)


def _rows(table: str) -> list[list[str]]:
    """The table's rows split on whitespace; the last column (a title) keeps its own."""
    rows = []
    for line in table.strip().splitlines():
        head, title = line.rsplit(None, 1)
        rows.append([*head.split(), title])
    return rows


def _wan(text: str) -> Decimal:
    return (Decimal(text) * WAN).quantize(Decimal("0.01"))


def _id_number(region: str, birth: str, index: int, sex: str) -> str:
    """A well-formed resident ID number; the sequence's last digit is odd for men."""
    body = f"{region}{birth}{100 + 2 * index + (sex == 'M'):03d}"
    return body + ric.calc_check_digit(body + "0")  # the function skips the last character


def _people() -> dict[str, dict]:
    """Every person of PEOPLE and PARTNERS with a stable ID number."""
    everyone, index = {}, 0
    for people in PEOPLE.values():
        for name, sex, birth, title in people:
            everyone[name] = {"title": title, "id_number": _id_number(COUNTY, birth, index, sex)}
            index += 1
    for name, sex, birth, title, unit, region in PARTNERS.values():
        everyone[name] = {
            "title": title,
            "unit": unit,
            "id_number": _id_number(region, birth, index, sex),
        }
        index += 1
    return everyone


def _stable(text: str, modulo: int) -> int:
    """A number from 0 to MODULO-1 that depends only on TEXT (scores, document numbers)."""
    return zlib.crc32(text.encode()) % modulo


def load(stdout=None, *, decide, review=None) -> list[DemoAccount]:
    """Load what is missing of the demo county's projects; return the accounts of the units
    it adds to keguan.core.demo's (the same password).

    County decisions are the leadership's, taken at recorded meetings (keguan.review), and
    projects import nothing from review: DECIDE(call, decisions, held_on) records and
    releases the meeting that decides a county round (`decisions`: dicts of application,
    outcome, amount, fund, note). REVIEW(call, applications, scores), when given, reviews
    this year's closed county round through a real review round whose result is SCORES
    {application id: score}; imported rounds keep their paper scores (see `_settle`)."""
    county = Bureau.objects.get(region_code=COUNTY)
    loader = _Loader(county, decide, review)
    # The bureau's officer keys in the records; units' own steps name their accounts.
    with acting_as(loader.officer):
        return _load(loader)


def _load(loader) -> list[DemoAccount]:
    with transaction.atomic():
        new_accounts = loader.organizations()
        loader.programs()
        loader.funds()
    last_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    with transaction.atomic():
        loader.history()
        loader.recent()
        loader.retire_programs()
    # The imports told applicants of decisions years old; those notices are read already.
    stale = Notification.objects.filter(pk__gt=last_notification or 0, read_at__isnull=True)
    ids_by_user = defaultdict(list)
    for user_id, pk in stale.values_list("user_id", "pk"):
        ids_by_user[user_id].append(pk)
    for user in User.objects.filter(pk__in=ids_by_user):
        mark_read(user, ids_by_user[user.pk])
    with transaction.atomic():
        loader.current_year()
    return new_accounts


class _Loader:
    def __init__(self, county: Bureau, decide, review=None):
        self.county = county
        self.decide = decide
        self.review = review
        # County applications waiting at the formal check for their round's review and
        # decision (see `_settle`): application id → (state wanted, amount granted).
        self.awaiting = {}
        self.officer = User.objects.get(username="officer")
        self.people = _people()
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.year = self.today.year
        self.orgs = {}
        self.applicants = {}
        self.programs_by_key = {}
        self.funds_by_key = {}
        self.turns = defaultdict(int)

    # Units, accounts, programs and funds ---------------------------------------------------
    def organizations(self) -> list[DemoAccount]:
        from keguan.core.demo import ORGANIZATIONS

        extra = []
        for index, (key, _name, _kind, prefix, bureau, *_rest) in enumerate(ORGANIZATIONS, 1):
            if bureau == COUNTY:
                self.orgs[key] = Organization.objects.get(uscc=demo_uscc(prefix, bureau, index))
        for index, (key, name, kind, prefix, township, contact, phone) in enumerate(
            NEW_ORGANIZATIONS, 101
        ):
            code = demo_uscc(prefix, COUNTY, index)
            org = Organization.objects.filter(uscc=code).first()
            if org is None:
                org = accounts.create_organization(
                    self.officer,
                    self.county,
                    {
                        "name": name,
                        "kind": kind,
                        "uscc": code,
                        "address": f"余干县{township}",
                        "township": township,
                        "legal_representative": contact,
                        "contact_name": contact,
                        "contact_phone": phone,
                    },
                )
                ORGANIZATION_WORKFLOW.apply(self.officer, org, "verify", {"note": "演示数据"})
            self.orgs[key] = org
            extra.append(
                DemoAccount(f"applicant_{key}", contact, (Role.APPLICANT,), organization=key)
            )
        for key, township in TOWNSHIPS.items():
            accounts.update_organization(self.officer, self.orgs[key], {"township": township})
        for account in extra:
            if not User.objects.filter(username=account.username).exists():
                accounts.create_user(
                    None,
                    username=account.username,
                    password=DEMO_PASSWORD,
                    roles=list(account.roles),
                    bureau=self.county,
                    organization=self.orgs[account.organization],
                    full_name=account.full_name,
                    must_change_password=False,
                )
        for key in self.orgs:
            self.applicants[key] = User.objects.get(username=f"applicant_{key}")
        return extra

    def programs(self) -> None:
        existing = {p.name: p for p in Program.objects.filter(bureau=self.county)}
        for key, (name, level, body, _running) in PROGRAMS.items():
            program = existing.get(name)
            if program is None:
                program = services.create_program(
                    self.officer,
                    {
                        "name": name,
                        "level": level,
                        "body": body,
                        "description": f"{body}组织实施。",
                    },
                )
            self.programs_by_key[key] = program

    def retire_programs(self) -> None:
        """Programs that ended in the reforms of the 2010s stay on record, inactive."""
        for key, (_name, _level, _body, running) in PROGRAMS.items():
            program = self.programs_by_key[key]
            if program.active != running:
                services.update_program(self.officer, program, {"active": running})

    def funds(self) -> None:
        wanted = {
            (kind, year): amount for kind, years in FUNDS.items() for year, amount in years.items()
        }
        for kind, offsets in RECENT_FUNDS.items():
            wanted.update({(kind, self.year + off): amount for off, amount in offsets.items()})
        existing = {(f.kind, f.year): f for f in Fund.objects.filter(bureau=self.county)}
        for (kind, year), amount in wanted.items():
            fund = existing.get((kind, year))
            if fund is None:
                fund = funds.create_fund(
                    self.officer,
                    self.county,
                    kind,
                    year,
                    _wan(str(amount)),
                    note=f"县财政{year}年度预算安排的{FUND_NAMES[kind]}",
                )
            self.funds_by_key[kind, year] = fund

    # Calls ---------------------------------------------------------------------------------
    def _find_call(self, program: Program, year: int) -> Call | None:
        return Call.objects.filter(bureau=self.county, program=program, year=year).first()

    def _open_call(self, program: Program, year: int, opens_at, closes_at, **extra) -> Call:
        if program.level == L.COUNTY:
            title = f"{year}年度{program.name}项目申报指南"
        else:
            title = f"关于组织申报{year}年度{program.name}项目的通知"
        data = {
            "program": program,
            "year": year,
            "title": title,
            "guide": f"{program.body}{year}年度{program.name}项目申报工作,请各单位按要求申报。",
            "opens_at": opens_at,
            "closes_at": closes_at,
            "eligible_kinds": [],
            "max_per_organization": 2,
            "required_attachments": [],
            "budget_ceiling": Decimal(CEILING[program.level]),
        }
        data.update(extra)
        call = services.create_call(self.officer, data)
        return CALL_WORKFLOW.apply(self.officer, call, "publish")

    def _import_round(
        self, program: Program, year: int, rows: list, opens_at, closes_at, stage=None
    ):
        """A past round from paper: open the call now, run every application through (and
        its approved projects to STAGE), then give the call its historical window (see the
        module docstring)."""
        call = self._open_call(program, year, opens_at, self.now + dt.timedelta(days=1))
        results = [self._application(call, *row) for row in rows]
        results = self._settle(call, results, self._decision_day(closes_at))
        if stage is not None:
            for application in results:
                if application.state == A.APPROVED:
                    self._project(application, stage)
        services.backdate_call_for_import(self.officer, call, opens_at, closes_at)
        return results

    def _decision_day(self, closes_at) -> dt.date:
        """The day of an imported round's meeting: when `backdate_call_for_import` says
        its decisions were taken, a month after the call closed."""
        return timezone.localdate(min(closes_at + dt.timedelta(days=30), self.now))

    def _moment(self, year: int, month: int, day: int, hour: int = 9):
        return timezone.make_aware(dt.datetime(year, month, day, hour))

    def _days_from_today(self, days: int, hour: int):
        day = self.today + dt.timedelta(days=days)
        return self._moment(day.year, day.month, day.day, hour)

    # Applications --------------------------------------------------------------------------
    def _application(self, call: Call, org_key: str, wan: str, state: str, title: str, **kw):
        """Start, fill and drive one application of ORG_KEY's unit to STATE."""
        applicant, org = self.applicants[org_key], self.orgs[org_key]
        level = call.program.level
        amount = _wan(wan)
        factor = Decimal("1.5") if level == L.COUNTY else Decimal("1.2")
        requested = min((amount * factor / 1000).quantize(Decimal("1")) * 1000, CEILING[level])
        sector, field, code = PROFILES[org_key]
        patent = call.program == self.programs_by_key["county_patent"]
        start = kw.get("start_on") or dt.date(call.year, 7, 1)
        if kw.get("end_on"):
            end = kw["end_on"]
        elif patent:
            end = dt.date(start.year, 12, 31)
        else:
            end = dt.date(start.year + 2, start.month, 1) - dt.timedelta(days=1)
        data = {
            "title": title,
            "summary": f"{title}。{self._phrase(org_key)}",
            "discipline_code": code,
            "field": field,
            "start_on": start,
            "end_on": end,
            "expected_patents": 1 if sector == "industry" else 0,
            "expected_products": 1 if sector == "industry" else 0,
            "expected_revenue": requested * 10,
            "expected_jobs": 5 + _stable(title, 20),
        }
        with acting_as(applicant):  # the trail names the unit's account, not "system"
            application = services.start_application(
                applicant, call, candidate=kw.get("candidate"), data=data
            )
            services.replace_team(applicant, application, self._team(org_key, title))
            services.replace_budget(applicant, application, _budget(requested, org.kind, patent))
        application = Application.objects.get(pk=application.pk)
        return self._drive(application, applicant, state, amount)

    def _phrase(self, org_key: str) -> str:
        """The next approach-and-outcome pair for the unit (every pair before a repeat)."""
        sector = PROFILES[org_key][0]
        approaches, outcomes = APPROACHES[sector], OUTCOMES[sector]
        turn = self.turns[org_key]
        self.turns[org_key] += 1
        return (
            approaches[turn % len(approaches)]
            + outcomes[(turn + turn // len(approaches)) % len(outcomes)]
        )

    def _team(self, org_key: str, title: str) -> list[dict]:
        people = PEOPLE[org_key]
        lead = 1 if len(people) > 1 and _stable(title, 4) == 0 else 0
        order = [people[lead]] + [p for i, p in enumerate(people) if i != lead]
        team = [
            {
                "name": name,
                "unit": self.orgs[org_key].name,
                "role": "leader" if i == 0 else "member",
                "title": self.people[name]["title"],
                "id_number": self.people[name]["id_number"],
            }
            for i, (name, *_rest) in enumerate(order)
        ]
        if org_key in PARTNERS:
            name = PARTNERS[org_key][0]
            person = self.people[name]
            team.append(
                {
                    "name": name,
                    "unit": person["unit"],
                    "role": "member",
                    "title": person["title"],
                    "id_number": person["id_number"],
                }
            )
        return team

    def _drive(self, application: Application, applicant, state: str, amount) -> Application:
        """Take APPLICATION from draft to STATE by the workflows' own path; a county one
        wanted beyond the formal check stops there, for `_settle` to review and decide."""
        call = application.call
        county = call.program.level == L.COUNTY

        def act(user, action, payload=None):
            nonlocal application
            application = APPLICATION_WORKFLOW.apply(user, application, action, payload)

        if state == A.DRAFT:
            return application
        application, _ = services.submit_application(applicant, application)
        if state == A.SUBMITTED:
            return application
        if state == A.WITHDRAWN:
            act(applicant, "withdraw", {"note": "合作单位调整,本批次不再申报。"})
            return application
        if state == A.RETURNED:
            act(
                self.officer,
                "return",
                {"note": "自筹资金证明材料不全,请补充银行资信证明后重新提交。"},
            )
            return application
        act(self.officer, "pass_check", {"note": "材料齐全,符合申报条件。"})
        if state == A.CHECKED:
            return application
        if county:
            # The county's review and decision come for the whole round at once: the
            # application waits here until `_settle` takes it on.
            self.awaiting[application.pk] = (state, amount)
            return application
        letter = (
            f"经县科技局形式审查,{application.organization.name}申报的“{application.title}”"
            "材料齐全、符合申报条件,同意推荐。"
        )
        act(self.officer, "recommend", {"note": letter})
        if state == A.RECOMMENDED:
            return application
        if state == A.REJECTED:
            act(self.officer, "record_higher_rejection", {"note": REJECTION_NOTES["higher"]})
            return application
        document = (
            f"{APPROVAL_DOCUMENTS[call.program.level]}〔{call.year}〕"
            f"{10 + _stable(application.title, 180)}号"
        )
        act(self.officer, "record_higher_approval", {"amount": str(amount), "note": document})
        return application

    def _program_key(self, program: Program) -> str:
        return next(k for k, p in self.programs_by_key.items() if p.pk == program.pk)

    def _settle(
        self, call: Call, applications: list[Application], held_on: dt.date, live: bool = False
    ) -> list[Application]:
        """Review and decide the county applications of CALL that `_drive` left waiting,
        and return APPLICATIONS as they are now.

        The review: a real review round when LIVE and a REVIEW callable was given; otherwise
        (imported history has no expert sheets) the paper score, recorded as a closed
        round records it, by the automatic `record_review`. The decision: one meeting of
        the leadership for the round, through DECIDE. Its release moves approvals on to
        public notice (so an application wanted DECIDED rests in IN_NOTICE: a released
        decision never rests in between); wanted REVIEWED, the meeting defers it. The
        officer confirms the approvals after the notice."""
        waiting = [a for a in applications if a.pk in self.awaiting]
        if not waiting:
            return applications
        wanted = {a.pk: self.awaiting.pop(a.pk) for a in waiting}
        scores = {a.pk: _score(a.title, wanted[a.pk][0]) for a in waiting}
        if live and self.review is not None:
            self.review(call, waiting, scores)
        else:
            for application in waiting:
                APPLICATION_WORKFLOW.apply(
                    self.officer,
                    application,
                    "record_review",
                    {"score": scores[application.pk], "note": "专家组评审:技术路线可行。"},
                    automatic=True,
                )
        fund = self.funds_by_key[FUND_OF[self._program_key(call.program)], call.year]
        decisions = []
        for application in waiting:
            state, amount = wanted[application.pk]
            if state == A.REJECTED:
                decision = {"outcome": "reject", "note": REJECTION_NOTES["county"]}
            elif state == A.REVIEWED:
                decision = {
                    "outcome": "defer",
                    "note": "需补充检测报告和示范基地用地协议,下次局务会再议。",
                }
            else:
                decision = {"outcome": "approve", "amount": amount, "fund": fund}
                decision["note"] = "经局务会集体研究,同意立项。"
            decisions.append({"application": application, **decision})
        self.decide(call, decisions, held_on)
        settled = []
        for application in applications:
            application = Application.objects.get(pk=application.pk)
            if (
                wanted.get(application.pk, (None,))[0] == A.APPROVED
                and application.state == A.IN_NOTICE
            ):
                application = APPLICATION_WORKFLOW.apply(
                    self.officer, application, "confirm", automatic=True
                )
            settled.append(application)
        return settled

    # Projects ------------------------------------------------------------------------------
    def _project(self, application: Application, stage: str, overdue: bool = False) -> Project:
        """Take the application's project through the task book to STAGE, paying tranches
        on the dates the paper says; progress reports for every report already due (all but
        the last when OVERDUE), the mid-term check when its date has passed."""
        project = application.project
        org_key = next(k for k, o in self.orgs.items() if o.pk == project.organization_id)
        applicant, sector = self.applicants[org_key], PROFILES[org_key][0]
        if application.call.program_id == self.programs_by_key["county_patent"].pk:
            sector = "patent"
        services.update_task_book(
            self.officer, project, {"targets": _targets(sector, project.approved_amount)}
        )
        if stage == P.CONTRACTING:
            return project

        def act(user, action, payload=None):
            nonlocal project
            project = PROJECT_WORKFLOW.apply(user, project, action, payload)

        act(self.officer, "sign_task_book")
        # County money is paid here in two tranches; higher grants of the live years pass
        # through the county too (转拨); those of 2006–2011 were paid by the higher bodies.
        recent = project.year >= self.year - 3
        paid_here = project.level == L.COUNTY or recent
        first = (project.approved_amount * Decimal("0.6")).quantize(Decimal("0.01"))
        if paid_here:
            self._pay(project, first, min(project.start_on + dt.timedelta(days=45), self.today), 1)
        if recent:
            due = [
                m
                for m in project.milestones.filter(kind="progress_report").order_by("due_on")
                if m.due_on <= self.today
            ]
            for milestone in due[:-1] if overdue else due:
                services.submit_progress_report(
                    applicant,
                    project,
                    {
                        "period": f"截至{milestone.due_on.isoformat()}",
                        "progress": "示范基地建设、技术培训按计划推进,阶段目标基本完成。",
                        "spent": (first * Decimal("0.5")).quantize(Decimal("0.01")),
                        "problems": "",
                    },
                )
            midterm = project.milestones.filter(kind="midterm").first()
            if midterm and midterm.due_on <= self.today:
                services.record_midterm_check(
                    self.officer,
                    project,
                    Project.MidtermResult.BEHIND if overdue else Project.MidtermResult.GOOD,
                    "进度报告未按期提交,督促整改。" if overdue else "按任务书推进,经费使用规范。",
                )
        if stage == P.UNDER_WAY:
            return project
        if stage == P.POSTPONED:
            act(
                self.officer,
                "postpone",
                {
                    "due_on": self.today + dt.timedelta(days=120),
                    "note": "受汛期影响,示范基地建设滞后,同意延期验收。",
                },
            )
            return project
        act(applicant, "request_acceptance")
        if stage == P.ACCEPTANCE_REQUESTED:
            return project
        if stage == P.FAILED:
            act(
                self.officer,
                "fail_acceptance",
                {"note": "主要技术指标未达到任务书要求,验收不通过。"},
            )
            return project
        act(self.officer, "pass_acceptance", {"note": "验收专家组一致同意通过验收。"})
        if paid_here:
            self._pay(project, project.approved_amount - first, min(project.end_on, self.today), 2)
        if stage == P.PASSED:
            return project
        act(self.officer, "close", {"note": "资料归档,项目结题。"})
        return project

    def _pay(self, project: Project, amount: Decimal, paid_on: dt.date, tranche: int) -> None:
        funds.record_disbursement(
            self.officer,
            project,
            {
                "amount": str(amount),
                "paid_on": paid_on,
                "voucher_number": f"余科拨〔{paid_on.year}〕{project.number[-3:]}-{tranche}",
                "note": "首期拨款" if tranche == 1 else "验收后拨付余款",
            },
        )

    # The rounds ----------------------------------------------------------------------------
    def history(self) -> None:
        """2006–2011 from the seed: higher rounds recommended upward, county rounds decided
        and paid here; every project since accepted and closed."""
        rounds = defaultdict(list)
        for year, key, org, wan, outcome, title in _rows(HISTORY) + _rows(COUNTY_HISTORY):
            state = A.APPROVED if outcome == "ok" else A.REJECTED
            rounds[int(year), key].append((org, wan, state, title))
        for index, ((year, key), rows) in enumerate(sorted(rounds.items())):
            program = self.programs_by_key[key]
            if self._find_call(program, year) is not None:
                continue
            month = 3 + index % 4
            opens_at = self._moment(year, month, 1)
            closes_at = self._moment(year, month + 1, 15, 17)
            self._import_round(program, year, rows, opens_at, closes_at, stage=P.CLOSED)

    def recent(self) -> None:
        """Projects of the last three years still on the books: every stage but contracting."""
        rounds = defaultdict(list)
        for offset, key, org, wan, stage, title in _rows(RECENT):
            rounds[self.year + int(offset), key].append((org, wan, stage, title))
        for (year, key), rows in sorted(rounds.items()):
            program = self.programs_by_key[key]
            if self._find_call(program, year) is not None:
                continue
            opens_at = self._moment(year, 3, 1)
            closes_at = self._moment(year, 4, 15, 17)
            call = self._open_call(program, year, opens_at, self.now + dt.timedelta(days=1))
            applications, overdue = [], []
            for org, wan, stage, title in rows:
                # One project runs three years from October, so reports fall due every half
                # year whatever today's date: the last one due is left overdue.
                start = dt.date(year, 10, 1) if stage == P.UNDER_WAY and key != "jx_rd" else None
                end = dt.date(year + 3, 9, 30) if start else None
                applications.append(
                    self._application(call, org, wan, A.APPROVED, title, start_on=start, end_on=end)
                )
                overdue.append(start is not None)
            applications = self._settle(call, applications, self._decision_day(closes_at))
            for application, (_org, _wan, stage, _title), late in zip(
                applications, rows, overdue, strict=True
            ):
                self._project(application, stage, overdue=late)
            services.backdate_call_for_import(self.officer, call, opens_at, closes_at)

    def current_year(self) -> None:
        """This year, live: a closed county round and a closed provincial round decided
        or waiting, an open county SME round, an open municipal round, the reserve pool,
        projects in contracting, and one integrity penalty."""
        sentinel = self.programs_by_key["county_sme"]
        if self._find_call(sentinel, self.year) is not None:
            return
        candidates = self._reserve_pool()
        # Early in January the closed rounds opened in December, as calls often do.
        base = min(dt.date(self.year, 1, 1), self.today - dt.timedelta(days=30))

        def this_year(fraction: float, hour: int):
            """A time on the day FRACTION of the way from New Year to today."""
            day = base + (self.today - base) * fraction
            return self._moment(day.year, day.month, day.day, hour)

        windows = {
            "county_plan": (this_year(0.10, 9), this_year(0.30, 17)),
            "jx_rd": (this_year(0.05, 9), this_year(0.20, 17)),
            "county_sme": (self._days_from_today(-10, 9), self._days_from_today(21, 17)),
            "sr_plan": (self._days_from_today(-7, 9), self._days_from_today(30, 17)),
        }
        rows = defaultdict(list)
        for key, org, wan, state, title in _rows(CURRENT):
            rows[key].append((org, wan, state, title))
        start = (self.today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        for key, (opens_at, closes_at) in windows.items():
            program = self.programs_by_key[key]
            closed = closes_at < self.now
            extra = {"eligible_kinds": [K.ENTERPRISE, K.COOPERATIVE]} if key == "county_sme" else {}
            call = self._open_call(
                program,
                self.year,
                opens_at,
                self.now + dt.timedelta(days=1) if closed else closes_at,
                **extra,
            )
            applications = [
                self._application(
                    call,
                    org,
                    wan,
                    state,
                    title,
                    candidate=candidates.get(title),
                    start_on=start,
                    end_on=dt.date(start.year + 2, start.month, 1) - dt.timedelta(days=1),
                )
                for org, wan, state, title in rows[key]
            ]
            # The closed county round is reviewed by drawn experts and decided today.
            applications = self._settle(call, applications, self.today, live=True)
            for application in applications:
                if application.state == A.APPROVED:
                    stage = P.CONTRACTING if program.level == L.COUNTY else P.UNDER_WAY
                    self._project(application, stage)
            if closed:
                services.update_call(self.officer, call, {"closes_at": closes_at})
        self._integrity_penalty()

    def _reserve_pool(self) -> dict[str, Candidate]:
        """Eight candidates guided by the officer, with notes of the help given; those in
        state 'applied' become applied when their application starts."""
        by_title = {}
        kinds = ["visit", "lecture", "materials", "polishing"]
        for index, (org, level, wan, maturity, state, title) in enumerate(_rows(CANDIDATES)):
            candidate = services.create_candidate(
                self.officer,
                self.orgs[org],
                {
                    "title": title,
                    "field": PROFILES[org][1],
                    "summary": f"{title}。{self._phrase(org)}",
                    "maturity": Maturity(maturity),
                    "target_level": level,
                    "expected_funding": _wan(wan),
                    "guiding_officer": self.officer,
                },
            )
            for step in range(1 + index % 3):
                services.add_follow_up(
                    self.officer,
                    candidate,
                    {
                        "on": self.today - dt.timedelta(days=90 - 30 * step - index),
                        "kind": kinds[(index + step) % 4],
                        "text": FOLLOW_UPS[kinds[(index + step) % 4]],
                    },
                )
            if state in ("ready", "applied"):
                candidate = CANDIDATE_WORKFLOW.apply(self.officer, candidate, "mark_ready")
            if state == "dropped":
                candidate = CANDIDATE_WORKFLOW.apply(
                    self.officer, candidate, "drop", {"note": "与县商务局项目重复,转由其申报。"}
                )
            if state == "applied":
                by_title[title] = candidate
        return by_title

    def _integrity_penalty(self) -> None:
        """The unit whose project failed acceptance kept the unspent money: it and its
        project leader may not apply for three years."""
        name = PEOPLE["machinery"][0][0]
        services.record_integrity_penalty(
            self.officer,
            {
                "organization": self.orgs["machinery"],
                "person_name": name,
                "id_number": self.people[name]["id_number"],
                "reason": f"{self.year - 3}年度县科技计划项目验收不通过,且未按要求退回结余经费",
                "starts_on": self.today - dt.timedelta(days=30),
                "ends_on": self.today + dt.timedelta(days=3 * 365 - 30),
            },
        )


def _score(title: str, state: str) -> Decimal:
    """The review score an application wanted in STATE gets (the rejected ones lower)."""
    if state == A.REJECTED:
        return Decimal(62 + _stable(title, 12)) + Decimal("0.5")
    return Decimal(76 + _stable(title, 17)) + Decimal("0.5")


def _targets(sector: str, amount: Decimal) -> str:
    wan = int(amount / WAN) or 1
    if sector == "industry":
        return f"完成研制与试生产,申请专利1项以上,新增产值{wan * 20}万元,新增就业10人。"
    if sector == "patent":
        return "完成专利申请,取得国家知识产权局受理通知书。"
    if sector == "service":
        return f"建成服务平台1个,年服务企业{wan * 5}家次,组织技术对接活动4次。"
    return f"建立核心示范基地{wan * 50}亩,辐射带动{wan * 200}亩,培训农民{wan * 30}人次。"


def _budget(requested: Decimal, kind: str, patent: bool) -> list[dict]:
    """The budget lines for REQUESTED yuan; firms raise twice as much themselves."""
    if patent:
        return [{"category": "publication", "requested": requested, "self_raised": requested}]
    own = {K.ENTERPRISE: Decimal(2), K.COOPERATIVE: Decimal(1)}.get(kind, Decimal("0.5"))
    equipment = (requested * Decimal("0.5")).quantize(Decimal("1"))
    materials = (requested * Decimal("0.3")).quantize(Decimal("1"))
    shares = [
        ("equipment", equipment),
        ("materials", materials),
        ("other", requested - equipment - materials),
    ]
    return [
        {"category": c, "requested": v, "self_raised": (v * own).quantize(Decimal("1"))}
        for c, v in shares
    ]
