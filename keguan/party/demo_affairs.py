"""The demo's affairs area: disclosure items in every state (one published to the portal),
responsibility letters and the yearly visit to the anti-corruption education base, a
declaration of interest, the seed's honours and the paired village over two years.

The seed: "每年组织全局人员参观反腐倡廉宣传教育基地"; the honours of 2007–2010; "为贫困村制定
科技兴村规划, 到经济困难户进行慰问…送去了慰问品和帮扶资金"; "抗击雨雪冰冻灾害、抗洪救灾、支援
抗震救灾". The village's name and figures are invented (the seed names none).
"""

import datetime as dt
from decimal import Decimal

from keguan.accounts.models import Organization, User
from keguan.accounts.roles import Role
from keguan.audit.context import acting_as
from keguan.party.models import (
    CommitteeSeat,
    DisclosureItem,
    EducationActivity,
    Honour,
    InterestDeclaration,
    Member,
    PairedVillage,
    ReliefContribution,
    ResponsibilityLetter,
)
from keguan.party.services import affairs as services
from keguan.party.services import affairs_integrity as integrity
from keguan.party.services import affairs_village as village_services
from keguan.party.workflow_affairs import DISCLOSURE_WORKFLOW

# (year, honour, granted by, recipient: "bureau" or a member's name)
HONOURS = [
    (2007, "人民群众满意的行政部门", "市人民政府", "bureau"),
    (2009, "全市科技管理一等奖", "市科技局", "bureau"),
    (2010, "全市科技管理一等奖", "市科技局", "bureau"),
    (2010, "科技管理工作先进集体", "省科技厅", "bureau"),
    (2010, "防震减灾宣传先进单位", "省地震局", "bureau"),
    (2007, "科技管理工作先进个人", "省科技厅", "张国华"),
    (2008, "科技管理工作先进个人", "省科技厅、省人事厅", "张国华"),
    (2010, "科技管理先进个人", "省科技厅", "刘先来"),
]
# (title, body, scope, state reached)
DISCLOSURES = [
    (
        "{year}年度党费收缴和使用情况",
        "本年度支部按月收缴党费,全部按规定上缴县委组织部,支部未留存使用。",
        "public",
        "published",
    ),
    (
        "{year}年民主评议党员结果",
        "经支部大会评议,全体党员评定等次已报县直机关工委。",
        "branch",
        "published",
    ),
    ("{year}年发展党员计划", "本年度拟发展党员一名,确定入党积极分子两名。", "branch", "approved"),
    (
        "{year}年党风廉政建设责任书签订情况",
        "局领导班子成员和各股室负责人均已签订责任书。",
        "public",
        "reviewed",
    ),
    ("挂钩贫困村帮扶资金使用情况", "本年度帮扶资金用于良种引进和技术培训。", "public", "proposed"),
    ("支部活动经费开支", "支部活动经费开支明细,经办人手机13900000000。", "branch", "returned"),
]
STEPS = {"proposed": [], "reviewed": ["review"], "approved": ["review", "approve"]}
STEPS["published"] = [*STEPS["approved"], "publish"]
LETTER_ITEMS = [
    "严格遵守廉洁从政各项规定,不收受礼品礼金",
    "科技项目申报、评审、验收严格执行回避制度",
    "分管股室无违纪违规问题",
]
VILLAGE = {
    "name": "洪家村",
    "township": "四股桥乡",
    "households": 386,
    "poor_households": 52,
    "note": "县科技局党支部挂钩联系贫困村。",
}
PLAN = [
    ("推广紫宝香糯订单种植", "订单种植面积达到300亩"),
    ("开展水稻和茭白种植技术培训", "每年培训农户100人次"),
    ("建设村级科技书屋", "配备农业科技图书500册"),
]


def _people(branch):
    """(secretary, committee member): the accounts of the branch's secretary and of another
    member holding a seat (the approval must come from someone else)."""
    secretary = (
        User.objects.filter(
            bureau_id=branch.bureau_id, is_active=True, role_grants__role=Role.PARTY_SECRETARY
        )
        .order_by("pk")
        .first()
    )
    seats = CommitteeSeat.objects.filter(branch=branch, member__user__isnull=False).exclude(
        member__user=secretary
    )
    seat = seats.select_related("member__user").order_by("pk").first()
    return secretary, (seat.member.user if seat else None)


def load(branch, today: dt.date) -> None:
    """Fill the affairs area of BRANCH as of TODAY, skipping what is there already."""
    secretary, committee = _people(branch)
    if secretary is None or committee is None:
        return
    with acting_as(secretary):
        _disclosures(branch, secretary, committee, today)
        _integrity(branch, secretary, committee, today)
        _honours(branch, secretary)
        _village(branch, secretary, committee, today)


def _disclosures(branch, secretary, committee, today) -> None:
    if DisclosureItem.objects.filter(branch=branch).exists():
        return
    for title, body, scope, state in DISCLOSURES:
        item = services.propose_disclosure(
            committee, {"title": title.format(year=today.year - 1), "body": body, "scope": scope}
        )
        if state == "returned":
            DISCLOSURE_WORKFLOW.apply(
                secretary, item, "return", {"note": "正文含个人手机号码,请删除后重新提交。"}
            )
            continue
        for action in STEPS[state]:
            item = DISCLOSURE_WORKFLOW.apply(secretary, item, action, {"confidential": True})


def _on(year: int, month: int, day: int, today: dt.date) -> dt.date | None:
    date = dt.date(year, month, day)
    return date if date <= today else None


def _integrity(branch, secretary, committee, today) -> None:
    staff = list(
        User.objects.filter(
            bureau_id=branch.bureau_id,
            is_active=True,
            organization__isnull=True,
            role_grants__role__in=(Role.LEADER, Role.OFFICER),
        )
        .distinct()
        .order_by("pk")
    )
    members = list(Member.objects.active().filter(branch=branch).order_by("pk"))
    for year in (today.year - 1, today.year):
        signed = _on(year, 2, 20, today) or dt.date(year, 1, 1)
        if not ResponsibilityLetter.objects.filter(branch=branch, year=year).exists():
            for user in staff:
                post = "leader" if user.has_role(Role.LEADER) else "officer"
                letter = integrity.create_letter(
                    secretary,
                    {"year": year, "holder": user, "post": post, "signed_on": signed},
                    LETTER_ITEMS,
                )
                check = _on(year, 12, 20, today)
                for item in letter.items.all():
                    if check:
                        result = {"item": item, "checked_on": check, "kind": "check"}
                        integrity.record_checkpoint(secretary, {**result, "result": "met"})
                    elif _on(year, 7, 10, today):
                        progress = {"item": item, "checked_on": dt.date(year, 7, 10)}
                        integrity.record_checkpoint(
                            secretary, {**progress, "kind": "progress", "result": "on_track"}
                        )
        held = _on(year, 6, 18, today)
        if held and not EducationActivity.objects.filter(branch=branch, held_on=held).exists():
            integrity.create_activity(
                secretary,
                {
                    "held_on": held,
                    "kind": "base_visit",
                    "title": f"{year}年参观反腐倡廉宣传教育基地",
                    "place": "县反腐倡廉宣传教育基地",
                    "note": "全局人员参观学习,接受警示教育。",
                },
                members[:-2] if len(members) > 2 else members,
            )
    organization = Organization.objects.filter(name="县电器开关厂").first()
    if organization and not InterestDeclaration.objects.filter(declarant=committee).exists():
        integrity.declare_interest(
            committee,
            {
                "relative_name": "刘春华",
                "relation": "sibling",
                "organization": organization,
                "position": "技术科科长",
                "starts_on": dt.date(today.year - 2, 3, 1),
            },
        )


def _honours(branch, secretary) -> None:
    if Honour.objects.filter(branch=branch).exists():
        return
    names = {m.name: m for m in Member.objects.filter(branch=branch)}
    for year, title, granted_by, recipient in HONOURS:
        data = {"year": year, "title": title, "granted_by": granted_by}
        if recipient == "bureau":
            data["recipient"] = "bureau"
        else:
            member = names.get(recipient)
            data.update(recipient="person", member=member, person_name="" if member else recipient)
        services.create_honour(secretary, data)


def _village(branch, secretary, committee, today) -> None:
    if PairedVillage.objects.filter(branch=branch).exists():
        return
    first = today.year - 1
    village = village_services.create_village(
        secretary, {**VILLAGE, "paired_since": dt.date(first, 1, 1)}
    )
    for year in (first, today.year):
        for index, (title, target) in enumerate(PLAN):
            item = village_services.add_plan_item(
                secretary, village, {"year": year, "title": title, "target": target}
            )
            reported = _on(year, 9, 30, today)
            if reported:
                village_services.record_progress(
                    secretary,
                    {
                        "item": item,
                        "reported_on": reported,
                        "text": "按计划推进。",
                        "done": index != 2,
                    },
                )
        for month, households, requests in (
            (1, 12, "春节前走访困难户,群众希望提供水稻良种。"),
            (8, 8, "实地查看茭白基地,农户提出希望开展病虫害防治培训。"),
        ):
            day = _on(year, month, 15, today)
            if day:
                village_services.record_visit(
                    secretary,
                    village,
                    {"visited_on": day, "households_visited": households, "requests": requests},
                    [secretary, committee],
                )
        for month, kind, description, quantity, amount in (
            (1, "money", "春节慰问金", "", "5000"),
            (1, "goods", "大米、食用油", "大米24袋、油24桶", "1800"),
            (4, "goods", "水稻良种", "500公斤", "3000"),
        ):
            day = _on(year, month, 15, today)
            if day:
                village_services.record_aid(
                    secretary,
                    village,
                    {
                        "given_on": day,
                        "kind": kind,
                        "description": description,
                        "quantity": quantity,
                        "amount": Decimal(amount),
                        "recipient": "洪家村村委会",
                    },
                )
    if not ReliefContribution.objects.filter(branch=branch).exists():
        for day, disaster, amount, people in (
            (dt.date(first, 2, 10), "抗击雨雪冰冻灾害", "4600", 18),
            (dt.date(first, 7, 20), "抗洪救灾", "6200", 18),
        ):
            village_services.record_relief(
                secretary,
                {
                    "given_on": day,
                    "disaster": disaster,
                    "amount": Decimal(amount),
                    "contributors": people,
                },
            )
