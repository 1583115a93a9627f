"""The demo branch: the seed's Party branch of the county bureau, its committee, two party
groups, seventeen members (one probationary, one admitted as full through the branch's
decision, one transferred out) and twelve months of dues, the last two partly unpaid.

`load(bureau, today)` goes through the services and the member workflow, so the audit
chain is real, and is idempotent: what exists is left as it is. The other areas fill theirs
with `demo_<area>.load(branch, today)`.
"""

import datetime as dt
import zlib
from decimal import Decimal

from stdnum.cn import ric

from keguan.accounts import services as accounts
from keguan.accounts.models import User
from keguan.accounts.roles import Role
from keguan.audit.context import acting_as
from keguan.party.demo_members import (
    ADMITTED,
    BRANCH_FOUNDED,
    BRANCH_NAME,
    DEFAULT_INCOME,
    GROUPS,
    INCOME_BY_POST,
    MEMBERS,
    PROBATIONARY,
    TRANSFERRED,
)
from keguan.party.models import Branch, CommitteeSeat, DuesRecord, Member, PartyGroup
from keguan.party.services import dues as dues_services
from keguan.party.services import members as services
from keguan.party.workflow_members import MEMBER_WORKFLOW

DUES_MONTHS = 12


def _id_number(region: str, birth: str, index: int, gender: str) -> str:
    # The sequence's last digit is odd for men, even for women, as on real cards.
    sequence = index * 2 + (1 if gender == "male" else 0)
    body = f"{region}{birth}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _account(username: str) -> User | None:
    """The demo account, given the Party member role if it lacks both party roles."""
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is not None and not user.has_role(Role.PARTY_MEMBER, Role.PARTY_SECRETARY):
        accounts.grant_role(None, user, Role.PARTY_MEMBER)
    return user


def _months_back(today: dt.date, count: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def load(bureau, today: dt.date) -> Branch:
    """Create what is missing of the demo branch of BUREAU as of TODAY; return the branch."""
    branch = Branch.objects.filter(bureau=bureau).first() or services.create_branch(
        None, bureau, {"name": BRANCH_NAME, "founded_on": BRANCH_FOUNDED}
    )
    groups = []
    for name in GROUPS:
        group = PartyGroup.objects.filter(branch=branch, name=name).first()
        groups.append(group or services.create_group(None, branch, name))
    region = bureau.region_code
    secretary = None
    existing = {m.name: m for m in Member.objects.filter(branch=branch)}
    for index, row in enumerate(MEMBERS, start=1):
        name, gender, birth, joined, post, group, seat, duties, username = row
        member = existing.get(name)
        if member is None:
            member = services.create_member(
                None,
                branch,
                {
                    "name": name,
                    "gender": gender,
                    "id_number": _id_number(region, birth, index, gender),
                    "joined_on": joined,
                    "kind": Member.Kind.FULL,
                    "full_on": joined.replace(year=joined.year + 1),
                    "full_decision": "经支部大会讨论，同意按期转为正式党员。",
                    "post": post,
                    "group": groups[group],
                    "user": _account(username),
                },
            )
            existing[name] = member
        if seat and not CommitteeSeat.objects.filter(branch=branch, member=member).exists():
            services.set_seat(None, branch, member, seat, duties)
        if seat == CommitteeSeat.Duty.SECRETARY:
            secretary = member.user
    secretary = secretary or User.objects.filter(username="leader").first()
    _probationary_and_admitted(branch, groups, region, existing, secretary, today)
    _transferred(branch, groups, region, existing, secretary, today)
    _dues(branch, secretary, today)
    return branch


def _probationary_and_admitted(branch, groups, region, existing, secretary, today) -> None:
    name, gender, birth, post, group = PROBATIONARY
    if name not in existing:
        joined = today - dt.timedelta(days=300)
        existing[name] = services.create_member(
            None,
            branch,
            {
                "name": name,
                "gender": gender,
                "id_number": _id_number(region, birth, 40, gender),
                "joined_on": joined,
                "kind": Member.Kind.PROBATIONARY,
                "post": post,
                "group": groups[group],
            },
        )
    name, gender, birth, post, group = ADMITTED
    if name not in existing:
        joined = today - dt.timedelta(days=365 * 2 + 180)
        member = services.create_member(
            None,
            branch,
            {
                "name": name,
                "gender": gender,
                "id_number": _id_number(region, birth, 41, gender),
                "joined_on": joined,
                "kind": Member.Kind.PROBATIONARY,
                "post": post,
                "group": groups[group],
            },
        )
        existing[name] = MEMBER_WORKFLOW.apply(
            secretary,
            member,
            "become_full",
            {
                "note": "经支部大会讨论表决，同意郭志远同志按期转为中共正式党员，"
                "党龄自转正之日起计算。",
                "on": member.full_due_on,
            },
        )


def _transferred(branch, groups, region, existing, secretary, today) -> None:
    name, gender, birth, joined, post, destination = TRANSFERRED
    if name in existing:
        return
    member = services.create_member(
        None,
        branch,
        {
            "name": name,
            "gender": gender,
            "id_number": _id_number(region, birth, 42, gender),
            "joined_on": joined,
            "kind": Member.Kind.FULL,
            "full_on": joined.replace(year=joined.year + 1),
            "post": post,
            "group": groups[0],
        },
    )
    existing[name] = MEMBER_WORKFLOW.apply(
        secretary,
        member,
        "transfer_out",
        {
            "on": _months_back(today, 14) + dt.timedelta(days=9),
            "destination": destination,
            "note": "工作调动，组织关系转出。",
        },
    )


def _income(member: Member, month: dt.date) -> Decimal:
    base = next(
        (amount for key, amount in INCOME_BY_POST.items() if key in member.post), DEFAULT_INCOME
    )
    # A stable wobble by member and month (allowances, overtime), never random.
    wobble = zlib.crc32(f"{member.pk}-{month:%Y%m}".encode()) % 600 - 200
    return Decimal(base + wobble)


def _dues(branch, secretary, today: dt.date) -> None:
    """Twelve months of dues: all paid but for a few members in the last two months."""
    members = list(Member.objects.active().filter(branch=branch).order_by("pk"))
    with acting_as(secretary):
        for back in range(DUES_MONTHS, 0, -1):
            month = _months_back(today, back - 1)
            for position, member in enumerate(members):
                if member.joined_on > month.replace(day=28):
                    continue
                if DuesRecord.objects.filter(member=member, month=month).exists():
                    continue
                record = dues_services.declare_income(None, member, month, _income(member, month))
                late = back <= 2 and position % (3 if back == 1 else 5) == 1
                if not late:
                    paid_on = min(month + dt.timedelta(days=9), today)
                    dues_services.mark_paid(None, record, paid_on)


def load_all(bureau, today: dt.date) -> Branch:
    """The whole demo branch of BUREAU as of TODAY: members and dues (`load`), then each
    area's own demo. Idempotent like each of them; returns the branch."""
    from keguan.party import demo_affairs, demo_evaluation, demo_meetings, demo_study

    branch = load(bureau, today)
    demo_study.load(branch, today)
    demo_meetings.load(branch, today)
    demo_evaluation.load(branch, today)
    demo_affairs.load(branch, today)
    return branch


def with_party_roles(accounts: list) -> list:
    """ACCOUNTS (keguan.core.demo.DemoAccount) with the roles the party demo gave them, so
    the printed list shows who enters the branch's pages (the demo gives a member with an
    account the Party member role). One query."""
    from collections import defaultdict
    from dataclasses import replace

    from keguan.accounts.models import RoleGrant

    usernames = [account.username for account in accounts]
    roles = defaultdict(list)
    grants = RoleGrant.objects.filter(
        user__username__in=usernames, user__party_member__isnull=False
    ).order_by("user__username", "role")
    for username, role in grants.values_list("user__username", "role"):
        roles[username].append(role)
    # The roles printed before stay first; a party role the demo granted is added after.
    return [
        replace(
            account,
            roles=(
                *account.roles,
                *(r for r in roles[account.username] if r not in account.roles),
            ),
        )
        if account.username in roles
        else account
        for account in accounts
    ]
