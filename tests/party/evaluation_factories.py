"""Democratic evaluation test data: a branch with voters who have accounts, rounds moved
through the workflow, and ballots cast through the service."""

from keguan.accounts.roles import Role
from keguan.party.models import EvaluationRound, Grade
from keguan.party.services import evaluation as services
from keguan.party.workflow_evaluation import ROUND_WORKFLOW
from tests.factories import make_user
from tests.party.factories import make_member, party_personas

G = Grade


def branch_with_voters(personas, extra: int = 4):
    """The county's branch: pat and sam plus EXTRA members with accounts (voter1…).
    Returns (branch, members) with pat first and sam second."""
    branch, pat, sam = party_personas(personas)
    members = [pat, sam]
    for i in range(1, extra + 1):
        user = make_user(f"voter{i}", [Role.PARTY_MEMBER], personas.bureaus.county)
        members.append(make_member(branch, f"党员{i:02d}", user=user))
    return branch, members


def make_round(personas, branch, year: int = 2025, **data) -> EvaluationRound:
    return services.create_round(
        personas.party_secretary, branch, {"year": year, "name": f"{year}年民主评议", **data}
    )


def open_round(personas, branch, year: int = 2025, **data) -> EvaluationRound:
    round = make_round(personas, branch, year, **data)
    return ROUND_WORKFLOW.apply(personas.party_secretary, round, "open")


def ballot(round, voter, grades=None, default=G.COMPETENT) -> dict:
    """A complete ballot of VOTER: DEFAULT for every other participant, GRADES overriding."""
    result = {p.member_id: default for p in round.participants.exclude(member=voter)}
    result.update(grades or {})
    return result


def vote(round, voter, grades=None, default=G.COMPETENT) -> None:
    services.cast_ballot(voter.user, round, voter, ballot(round, voter, grades, default))
