"""Demo data of branch meetings: two years of 三会一课 on the seed's topics, last August's
group meeting never held (the calendar flags it as missed), this month's theme party day
still to come (the calendar shows it required; the reminder fires in the month's last
week), one assembly without quorum, and major matters decided by quorate assemblies (and
one still open)."""

import datetime as dt
from decimal import Decimal

from keguan.accounts.models import User
from keguan.accounts.roles import Role
from keguan.audit.context import acting_as
from keguan.party.models import CommitteeSeat, MajorMatter, MeetingKind, Member
from keguan.party.services import meetings as services
from keguan.party.services import meetings_matters as matters
from keguan.party.workflow_meetings import MAJOR_MATTER_WORKFLOW

K = MeetingKind
# The seed's themes: 十七大, 科学发展观, 邓小平理论 and "三个代表", 学习型党组织, 创先争优,
# 党风廉政建设 and 反腐倡廉, 民主集中制, 致力创新服务、促进跨越发展, 科教兴县.
TOPICS = [
    "学习贯彻党的十七大精神",
    "深入学习实践科学发展观",
    "邓小平理论和“三个代表”重要思想",
    "建设学习型党组织",
    "传达全国和省市科技大会精神",
    "实施科教兴县战略,构建科技创新体系",
    "致力创新服务、促进跨越发展",
    "民主集中制与集体议事决策",
    "创先争优:讲党性、重品行、作表率",
    "党风廉政建设责任制",
    "反腐倡廉宣传教育",
    "为掛钩贫困村办实事",
]
PLACE = "局四楼会议室"
ABSENCE = ("出差", "病假", "下乡服务")


def _topic(kind, day: dt.date) -> str:
    prefix = {
        K.ASSEMBLY: "支部党员大会:",
        K.COMMITTEE: "支委会:",
        K.GROUP: "党小组会:",
        K.LECTURE: "党课:",
        K.THEME_DAY: "主题党日:",
        K.LIFE: "组织生活会:",
    }[kind]
    return prefix + TOPICS[(day.month + day.year) % len(TOPICS)]


def _meeting(user, branch, kind, day, chair, share=0.8, group=None, minutes=""):
    """A meeting on DAY with SHARE of those expected present (the others excused)."""
    meeting = services.create_meeting(
        user,
        branch,
        {
            "kind": kind,
            "group": group,
            "topic": _topic(kind, day),
            "held_on": day,
            "place": PLACE,
            "chair": chair,
            "agenda": "一、学习传达有关精神;二、讨论本期工作;三、其他事项。",
            "minutes": minutes or "会议学习了有关文件精神,结合科技局工作进行了讨论。",
        },
    )
    expected = list(services.expected_members(meeting))
    count = max(1, int(len(expected) * share)) if expected else 0
    reasons = {m.pk: ABSENCE[i % len(ABSENCE)] for i, m in enumerate(expected[count:])}
    return services.record_attendance(user, meeting, expected[:count], reasons)


def _matter(user, branch, meeting, category, title, amount=None, decided=True):
    matter = matters.create_matter(
        user,
        branch,
        {
            "category": category,
            "title": title,
            "amount": amount,
            "proposed_on": meeting.held_on - dt.timedelta(days=10),
            "description": "经支委会酝酿,提交支部党员大会集体讨论决定。",
        },
    )
    if decided:
        present = meeting.present_count
        decision = services.add_decision(
            user,
            meeting,
            {
                "text": f"同意{title}",
                "votes_for": present - 1,
                "votes_against": 0,
                "abstentions": 1,
            },
        )
        MAJOR_MATTER_WORKFLOW.apply(user, matter, "decide", {"decision": decision})
    return matter


def _months(today: dt.date):
    for year in (today.year - 1, today.year):
        for month in range(1, 13):
            if dt.date(year, month, 1) <= today:
                yield year, month


def load(branch, today: dt.date) -> None:
    """Fill BRANCH's meetings for last year and this year up to TODAY; skipped when the
    branch already has meetings."""
    if branch.meetings.exists():
        return
    user = (
        User.objects.filter(bureau=branch.bureau, role_grants__role=Role.PARTY_SECRETARY)
        .order_by("pk")
        .first()
    )
    seat = CommitteeSeat.objects.filter(branch=branch, duty=CommitteeSeat.Duty.SECRETARY).first()
    chair = seat.member if seat else Member.objects.active().filter(branch=branch).first()
    groups = list(branch.groups.order_by("pk")) or [None]
    missed = (today.year - 1, 8)  # last August's group meeting was never held
    with acting_as(user):
        for year, month in _months(today):

            def on(day, year=year, month=month):
                date = dt.date(year, month, day)
                return date if date < today else None

            if on(5):
                _meeting(user, branch, K.COMMITTEE, on(5), chair, share=1.0)
            if on(12) and (year, month) != missed:
                for group in groups:
                    _meeting(user, branch, K.GROUP, on(12), chair, group=group)
            # This month's theme party day is still to come: the calendar shows it as
            # required, and in the month's last week the secretary is reminded.
            if on(20) and (year, month) != (today.year, today.month):
                _meeting(user, branch, K.THEME_DAY, on(20), chair, share=0.9)
            if month % 3 == 2 and on(25):
                assembly = _meeting(user, branch, K.ASSEMBLY, on(25), chair)
                if (year, month) == (today.year - 1, 2):
                    _matter(
                        user,
                        branch,
                        assembly,
                        MajorMatter.Category.FUNDS,
                        "年度科技三项费安排使用方案",
                        Decimal("650000"),
                    )
                if (year, month) == (today.year - 1, 8):
                    _matter(
                        user,
                        branch,
                        assembly,
                        MajorMatter.Category.CADRE,
                        "推荐计划管理科科长为支部组织委员人选",
                    )
            if (year, month) == (today.year - 1, 5) and on(8):
                # Called in the busy season: too few came, so it could not decide.
                _meeting(
                    user,
                    branch,
                    K.ASSEMBLY,
                    on(8),
                    chair,
                    share=0.4,
                    minutes="到会党员未超过应到会党员的半数,会议不作决定,议题改期讨论。",
                )
            if month % 3 == 0 and on(10):
                _meeting(user, branch, K.LECTURE, on(10), chair, share=0.9)
            if month == 12 and on(28):
                _meeting(user, branch, K.LIFE, on(28), chair, share=1.0)
        last = branch.meetings.filter(kind=K.ASSEMBLY, present_count__gt=0).first()
        if last is not None:
            _matter(
                user,
                branch,
                last,
                MajorMatter.Category.PROJECT,
                "掛钩贫困村科技兴村规划帮扶项目",
                Decimal("50000"),
                decided=False,
            )
