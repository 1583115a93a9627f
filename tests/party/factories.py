"""Party test data, made through the party services (so audit holds).

make_branch(bureau) gives the bureau's branch (made once); make_member(branch, name, user=None,
**fields) a member with a valid, unique ID number; give_member_record(user) gives a persona
(e.g. personas.party_member) its own member record in its bureau's branch.
"""

import datetime as dt
import itertools

from stdnum.cn import ric

from keguan.party.models import Branch, CommitteeSeat, Member
from keguan.party.services import members as services

_counter = itertools.count(1)


def make_id_number(birth: str = "19800101") -> str:
    body = f"361127{birth}{next(_counter) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_branch(bureau, name: str = "") -> Branch:
    existing = Branch.objects.filter(bureau=bureau).first()
    if existing:
        return existing
    return services.create_branch(
        None,
        bureau,
        {"name": name or f"{bureau.name}机关党支部", "founded_on": dt.date(1990, 7, 1)},
    )


def make_member(branch: Branch, name: str = "", user=None, **fields) -> Member:
    """An active member (full unless told kind="probationary"), joined in 2005."""
    data = {
        "name": name or f"党员{next(_counter)}",
        "gender": Member.Gender.MALE,
        "id_number": make_id_number(),
        "joined_on": dt.date(2005, 7, 1),
        "kind": Member.Kind.FULL,
        "user": user,
    }
    data.update(fields)
    if data["kind"] == Member.Kind.PROBATIONARY and "joined_on" not in fields:
        data["joined_on"] = dt.date.today() - dt.timedelta(days=100)
    return services.create_member(None, branch, data)


def give_member_record(user, name: str = "", **fields) -> Member:
    """USER's own member record in the branch of USER's bureau (the branch made if needed)."""
    existing = Member.objects.filter(user=user).first()
    if existing:
        return existing
    branch = make_branch(user.bureau)
    return make_member(branch, name or user.get_full_name() or user.username, user=user, **fields)


def make_seat(member: Member, duty: str = CommitteeSeat.Duty.MEMBER, duties: str = ""):
    return services.set_seat(None, member.branch, member, duty, duties)


def party_personas(personas):
    """The county's branch with pat (party_member) and sam (party_secretary) as members, sam
    as secretary; returns (branch, pat's record, sam's record)."""
    branch = make_branch(personas.bureaus.county)
    pat = give_member_record(personas.party_member, "潘安涛")
    sam = give_member_record(personas.party_secretary, "沈爱民")
    make_seat(sam, CommitteeSeat.Duty.SECRETARY, "全面工作")
    return branch, pat, sam
