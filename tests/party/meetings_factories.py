"""Branch meetings for tests, made through the meetings services (so audit holds)."""

import datetime as dt

from keguan.audit.context import acting_as
from keguan.party.models import MeetingKind
from keguan.party.services import meetings as services
from tests.party.factories import make_member, party_personas


def branch_of_ten(personas):
    """The county's branch with ten active members: pat and sam (the secretary, on the
    committee) and eight more. Returns (branch, pat, sam)."""
    branch, pat, sam = party_personas(personas)
    for number in range(8):
        make_member(branch, f"党员{number:02d}")
    return branch, pat, sam


def make_meeting(user, branch, kind=MeetingKind.ASSEMBLY, held_on=None, present=None, **fields):
    """A meeting recorded by USER; PRESENT members (a number: the first ones expected, or a
    list) attend, everyone else expected is absent."""
    data = {"kind": kind, "topic": fields.pop("topic", "学习科学发展观"), **fields}
    data["held_on"] = held_on or dt.date.today() - dt.timedelta(days=1)
    with acting_as(user):
        meeting = services.create_meeting(user, branch, data)
        if present is not None:
            expected = list(services.expected_members(meeting))
            chosen = expected[:present] if isinstance(present, int) else present
            meeting = services.record_attendance(user, meeting, chosen, {})
    return meeting
