"""The secrecy proof: after several members vote, someone who reads every table of the
database — the secretary with a copy of it, an administrator — cannot tell who cast which
grades.

The attacks tried: a voter column or a time on the grades; a table (audit trail,
notifications, anything) that mentions a grade's id; grouping the grades by their storage
order or by id order and matching the groups against the voting order the voter records
and the audit trail give; comparing the grade ids before and after one vote. The last test
shows the order attack is real: with the ballot box left unshaken it recovers every ballot.
"""

import pytest
from django.db import connection

from keguan.audit.models import AuditEvent
from keguan.notifications.models import Notification
from keguan.party.models import BallotGrade, Grade, VoterRecord
from keguan.party.services import evaluation as services
from tests.party.evaluation_factories import branch_with_voters, open_round, vote

pytestmark = pytest.mark.django_db
G = Grade
VOTERS = 8


def _distinct_ballot(members, i):
    """Voter I's grades, different from every other voter's: excellent to the next member,
    basically competent to the one after, not competent to the third, competent to the rest."""
    n = len(members)
    return {
        members[(i + 1) % n].pk: G.EXCELLENT,
        members[(i + 2) % n].pk: G.BASIC,
        members[(i + 3) % n].pk: G.INCOMPETENT,
    }


def _opened(personas):
    branch, members = branch_with_voters(personas, extra=VOTERS - 2)
    return open_round(personas, branch), members


def _everyone_votes(round, members):
    """The members vote in a known order; returns each one's ballot, in that order, as a
    set of (graded member id, grade)."""
    cast = []
    for i, member in enumerate(members):
        grades = _distinct_ballot(members, i)
        vote(round, member, grades)
        full = {p: G.COMPETENT for p in (m.pk for m in members) if p != member.pk}
        full.update(grades)
        cast.append(frozenset(full.items()))
    return cast


def _in_storage_order(round) -> list[tuple[int, str]]:
    """The round's grades in the order the database keeps its rows (SQLite's rowid,
    PostgreSQL's ctid): the order of insertion, unless the rows were re-written."""
    position = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT member_id, grade FROM {BallotGrade._meta.db_table} "  # noqa: S608
            f"WHERE round_id = %s ORDER BY {position}",
            [round.pk],
        )
        return [(member, grade) for member, grade in cursor.fetchall()]


def _in_id_order(round) -> list[tuple[int, str]]:
    return list(
        BallotGrade.objects.filter(round=round).order_by("id").values_list("member_id", "grade")
    )


def _regrouped(slips, size) -> list[frozenset]:
    """Consecutive groups of SIZE grades: what an attacker takes for ballots."""
    return [frozenset(slips[i : i + size]) for i in range(0, len(slips), size)]


def _columns(model) -> set[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return {column.name for column in description}


def test_no_stored_row_links_a_ballot_to_its_voter(personas):
    round, members = _opened(personas)
    notifications_before = Notification.objects.count()
    events_before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    cast = _everyone_votes(round, members)

    # The grades hold the round, the member graded and the grade: no voter, no time.
    assert _columns(BallotGrade) == {"id", "round_id", "member_id", "grade"}
    # The voter records say who voted, nothing more.
    assert _columns(VoterRecord) == {"id", "round_id", "member_id"}
    assert set(VoterRecord.objects.filter(round=round).values_list("member_id", flat=True)) == {
        m.pk for m in members
    }

    # Every ballot is in the box...
    slips = list(BallotGrade.objects.filter(round=round).values_list("member_id", "grade"))
    assert sorted(slips) == sorted(pair for ballot in cast for pair in ballot)
    # ...but neither the storage order nor the id order regroups them into the ballots in
    # the voting order (which the voter records' ids and the audit trail's times give).
    size = VOTERS - 1
    assert _regrouped(_in_storage_order(round), size) != cast
    assert _regrouped(_in_id_order(round), size) != cast
    # Not even one group of consecutive rows is a ballot that was cast.
    assert not set(_regrouped(_in_storage_order(round), size)) & set(cast)

    # No table but the ballot box itself mentions any grade's id.
    ids = {slip_id.hex for slip_id in BallotGrade.objects.values_list("id", flat=True)}
    ids |= {str(slip_id) for slip_id in BallotGrade.objects.values_list("id", flat=True)}
    for table in connection.introspection.table_names():
        if table == BallotGrade._meta.db_table:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row)
                assert not any(slip_id in text for slip_id in ids), table

    # The audit events of the voting name the voter and the round, never a grade.
    events = AuditEvent.objects.filter(seq__gt=events_before or 0)
    assert not events.filter(object_type="party.ballotgrade").exists()
    votes = list(events.filter(action="party.evaluation.vote").order_by("seq"))
    assert [e.actor_id for e in votes] == [m.user_id for m in members]
    for event in votes:
        assert event.before is None
        assert event.after == {"member": event.after["member"]}
        assert event.object_type == "party.evaluationround"
    # No notification was sent for a vote.
    assert Notification.objects.count() == notifications_before


def test_each_vote_draws_fresh_ids_for_every_grade(personas):
    """Comparing two copies of the database, one before and one after a vote, shows no
    grade id that is new: all are."""
    branch, members = branch_with_voters(personas, extra=3)
    round = open_round(personas, branch)
    vote(round, members[0])
    before = set(BallotGrade.objects.values_list("id", flat=True))
    vote(round, members[1])
    after = set(BallotGrade.objects.values_list("id", flat=True))
    assert len(after) == 2 * (len(members) - 1)
    assert not before & after


def test_the_proof_would_catch_a_ballot_box_that_keeps_the_voting_order(personas, monkeypatch):
    """Without the shaking, the rows' storage order regroups the grades into each voter's
    ballot in the voting order: the attack the first test refutes is a real one."""
    monkeypatch.setattr(services, "_shuffle", lambda slips: None)
    round, members = _opened(personas)
    cast = _everyone_votes(round, members)
    assert _regrouped(_in_storage_order(round), VOTERS - 1) == cast
