"""What the affairs tests share: the county's branch with a second committee member."""

from types import SimpleNamespace

from keguan.accounts.roles import Role
from keguan.party.services import affairs as services
from tests.factories import make_user
from tests.party.factories import make_member, make_seat, party_personas


def affairs_people(personas):
    """The branch; sam its secretary; cora a committee member; pat a plain member."""
    branch, pat, sam = party_personas(personas)
    cora = make_user("cora", [Role.PARTY_MEMBER], personas.bureaus.county, full_name="崔蓉")
    make_seat(make_member(branch, "崔蓉", user=cora))
    return SimpleNamespace(
        branch=branch,
        secretary=personas.party_secretary,
        committee=cora,
        member=personas.party_member,
        inspector=personas.inspector,
    )


def proposed(user, scope="public", **data):
    return services.propose_disclosure(
        user,
        {
            "title": data.pop("title", "2011年党费收缴使用情况公开"),
            "body": data.pop("body", "本年度共收缴党费3260元,全部按规定上缴。"),
            "scope": scope,
        },
    )
