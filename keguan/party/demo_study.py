"""Demo data of the study system: two years of plans and sessions on the topics the seed
names, attendance, a leave request with its make-up study, closed quarterly assessments."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from keguan.accounts.models import User
from keguan.accounts.roles import Role
from keguan.party.models import Branch, Member, StudyPlan, StudySession
from keguan.party.services import study as services
from keguan.party.services import study_assessment as assessment
from keguan.party.workflow_study import LEAVE_WORKFLOW

# From the seed: 建设学习型党组织, 十七大, 邓小平理论, "三个代表", 科学发展观, 创先争优,
# 党风廉政建设, 反腐倡廉宣传教育基地, 科技大会精神, 民主集中制, 致力创新服务、促进跨越发展.
TOPICS = [
    "学习贯彻党的十七大精神",
    "深入学习实践科学发展观",
    "邓小平理论和“三个代表”重要思想",
    "建设学习型党组织,全员学习、终身学习",
    "传达全国和省市科技大会精神",
    "党的路线方针政策与科技工作",
    "庆祝建党:致力创新服务、促进跨越发展",
    "民主集中制与党内民主",
    "创先争优活动:讲党性、重品行、作表率",
    "党风廉政建设责任制",
    "反腐倡廉警示教育",
    "科学执政、依法执政与年度学习总结",
]
SPEAKERS = ("支部书记", "计划管理科科长", "县委党校讲师")


def _session(branch, day, kind, topic, speaker, hours="2.0"):
    return services.create_session(
        None,
        branch,
        {
            "kind": kind,
            "topic": topic,
            "date": day,
            "starts_at": dt.time(14, 30),
            "ends_at": dt.time(16, 30),
            "place": "局四楼会议室",
            "speaker": speaker,
            "hours": Decimal(hours),
        },
    )


def _leave_and_make_up(session, members: list[Member], secretary) -> Member | None:
    """A member asks leave two days before SESSION, the secretary approves, and three days
    after it the member records make-up study with notes."""
    if not members or secretary is None:
        return None
    member = members[-1]
    leave = services.ask_leave(
        None, session, "下乡开展科技服务", now=session.start - dt.timedelta(days=2), member=member
    )
    LEAVE_WORKFLOW.apply(secretary, leave, "approve", {"note": "同意,请及时补学"})
    services.make_up(
        None,
        session,
        "补学科学发展观有关论述,撰写学习心得一篇。",
        now=session.end + dt.timedelta(days=3),
        member=member,
    )
    return member


def _year(branch: Branch, year: int, today: dt.date, members: list[Member], secretary):
    services.create_plan(
        None,
        branch,
        {
            "year": year,
            "required_hours": Decimal("40"),
            "required_notes": 4,
            "topics": [(month, topic) for month, topic in enumerate(TOPICS, start=1)],
        },
    )
    K = StudySession.Kind
    for month in range(1, 13):
        day = dt.date(year, month, 12)
        if day >= today:
            break
        sessions = [_session(branch, day, K.COLLECTIVE, TOPICS[month - 1], SPEAKERS[0])]
        if month % 3 == 0:
            sessions.append(
                _session(
                    branch, day + dt.timedelta(days=7), K.LECTURE, TOPICS[month - 1], SPEAKERS[2]
                )
            )
        if month == 7:
            sessions.append(
                _session(
                    branch,
                    day + dt.timedelta(days=10),
                    K.THEME_DAY,
                    "参观反腐倡廉宣传教育基地",
                    "",
                    "3.0",
                )
            )
        excused = None
        if month == 2 and day + dt.timedelta(days=4) < today:
            excused = _leave_and_make_up(sessions[0], members, secretary)
        for session in sessions:
            if session.date + dt.timedelta(days=1) > today:
                continue
            for index, member in enumerate(members):
                if (index + month) % 6 == 0 or (session == sessions[0] and member == excused):
                    continue  # absent
                services.sign_in_member(
                    secretary, session, member, now=session.start + dt.timedelta(minutes=index % 20)
                )


def load(branch: Branch, today: dt.date | None = None) -> None:
    """Fill the study system of BRANCH for last year and this one (once)."""
    today = today or timezone.localdate()
    if StudyPlan.objects.filter(branch=branch, year=today.year - 1).exists():
        return
    members = list(Member.objects.active().filter(branch=branch).order_by("pk"))
    secretary = User.objects.filter(
        bureau_id=branch.bureau_id, is_active=True, role_grants__role=Role.PARTY_SECRETARY
    ).first()
    for year in (today.year - 1, today.year):
        _year(branch, year, today, members, secretary)
    for year in (today.year - 1, today.year):
        for quarter in (1, 2, 3, 4):
            if assessment.quarter_bounds(year, quarter)[1] < today:
                assessment.close_quarter(secretary, branch, year, quarter, today=today)
