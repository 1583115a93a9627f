"""The democratic evaluation's pages and API: who sees what, voting through the form, no
counts before the close, one's own result only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keguan.audit.models import AuditEvent
from keguan.party.models import BallotGrade, Grade, VoterRecord
from keguan.party.services import evaluation as services
from keguan.party.workflow_evaluation import ROUND_WORKFLOW
from tests.api.test_api import bearer
from tests.factories import sign_in
from tests.party.evaluation_factories import branch_with_voters, make_round, open_round, vote

# The assertions read the English messages (the site speaks Simplified Chinese by default).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
G = Grade


@pytest.fixture
def open_vote(personas):
    branch, members = branch_with_voters(personas)  # 6 members, cap 2
    return open_round(personas, branch), members


def _finished(personas, round, members):
    for member in members:
        vote(round, member)
    round = ROUND_WORKFLOW.apply(personas.party_secretary, round, "close")
    services.set_final_grades(
        personas.party_secretary, round, {m.pk: (G.COMPETENT, "合格理由") for m in members}
    )
    return ROUND_WORKFLOW.apply(personas.party_secretary, round, "finish")


def test_a_member_votes_through_the_ballot_form(client, personas, open_vote):
    round, members = open_vote
    sign_in(client, personas.party_member)
    page = client.get(reverse("party:evaluation_vote", args=[round.pk]))
    assert page.status_code == 200
    assert "At most 2 members may be graded excellent" in page.content.decode()
    data = {f"grade_{m.pk}": G.COMPETENT for m in members[1:]}
    data[f"grade_{members[1].pk}"] = G.EXCELLENT
    response = client.post(reverse("party:evaluation_vote", args=[round.pk]), data)
    assert response.status_code == 302
    assert VoterRecord.objects.filter(round=round, member=members[0]).exists()
    again = client.get(reverse("party:evaluation_vote", args=[round.pk]))
    assert again.status_code == 302  # already voted: back to the round page


def test_a_ballot_over_the_cap_is_refused_on_the_form_and_nothing_is_stored(
    client, personas, open_vote
):
    round, members = open_vote
    sign_in(client, personas.party_member)
    data = {f"grade_{m.pk}": G.EXCELLENT for m in members[1:]}
    response = client.post(reverse("party:evaluation_vote", args=[round.pk]), data)
    assert response.status_code == 200
    assert "At most 2 members may be graded excellent" in response.content.decode()
    assert not VoterRecord.objects.exists() and not BallotGrade.objects.exists()


def test_no_page_or_endpoint_shows_counts_before_the_close(client, personas, open_vote):
    round, members = open_vote
    vote(round, members[0], {members[2].pk: G.EXCELLENT})
    sign_in(client, personas.party_secretary)
    page = client.get(reverse("party:evaluation_detail", args=[round.pk]))
    assert page.status_code == 200
    assert reverse("party:evaluation_results", args=[round.pk]) not in page.content.decode()
    for name in ("party:evaluation_results", "party:evaluation_export"):
        assert client.get(reverse(name, args=[round.pk])).status_code == 404
    token = bearer(personas.party_secretary)
    api = client.get(f"/api/v1/party/evaluation/rounds/{round.pk}/results", **token)
    assert api.status_code == 404
    ROUND_WORKFLOW.apply(personas.party_secretary, round, "close")
    assert client.get(reverse("party:evaluation_results", args=[round.pk])).status_code == 200
    export = client.get(reverse("party:evaluation_export", args=[round.pk]))
    assert export.status_code == 200
    assert AuditEvent.objects.filter(action="party.evaluation.export").exists()
    rows = client.get(f"/api/v1/party/evaluation/rounds/{round.pk}/results", **token).json()
    assert {row["member_id"]: row["excellent_votes"] for row in rows}[members[2].pk] == 1


def test_a_member_sees_their_own_result_once_finished_and_nobody_elses(client, personas, open_vote):
    round, members = open_vote
    pat, sam = members[0], members[1]
    sign_in(client, personas.party_member)
    own_url = reverse("party:evaluation_result", args=[round.pk, pat.pk])
    assert client.get(own_url).status_code == 404  # not before the branch has decided
    round = _finished(personas, round, members)
    assert client.get(own_url).status_code == 200
    other = client.get(reverse("party:evaluation_result", args=[round.pk, sam.pk]))
    assert other.status_code == 404
    assert client.get(reverse("party:evaluation_results", args=[round.pk])).status_code == 404
    assert client.get(reverse("party:evaluation_export", args=[round.pk])).status_code == 404
    token = bearer(personas.party_member)
    rows = client.get(f"/api/v1/party/evaluation/rounds/{round.pk}/results", **token).json()
    assert [row["member_id"] for row in rows] == [pat.pk]


def test_the_inspector_reads_results_and_changes_nothing(client, personas, open_vote):
    round, members = open_vote
    sign_in(client, personas.inspector)
    assert client.get(reverse("party:evaluation_detail", args=[round.pk])).status_code == 200
    response = client.post(reverse("party:evaluation_action", args=[round.pk]), {"action": "close"})
    assert response.status_code == 404
    round.refresh_from_db()
    assert round.state == round.State.OPEN
    assert client.get(reverse("party:evaluation_vote", args=[round.pk])).status_code == 404


def test_the_secretary_runs_the_round_from_its_page(client, personas):
    branch, members = branch_with_voters(personas)
    sign_in(client, personas.party_secretary)
    response = client.post(
        reverse("party:evaluation_create"), {"year": 2024, "name": "2024年民主评议"}
    )
    assert response.status_code == 302
    round = branch.evaluation_rounds.get(year=2024)
    client.post(reverse("party:evaluation_action", args=[round.pk]), {"action": "open"})
    round.refresh_from_db()
    assert round.state == round.State.OPEN and round.excellent_cap == 2


def test_a_member_writes_a_self_evaluation_and_a_comment(client, personas, open_vote):
    round, members = open_vote
    sign_in(client, personas.party_member)
    client.post(reverse("party:evaluation_self", args=[round.pk]), {"text": "认真学习"})
    client.post(
        reverse("party:evaluation_comment", args=[round.pk]),
        {"subject": members[1].pk, "text": "工作踏实"},
    )
    assert round.self_evaluations.get(member=members[0]).text == "认真学习"
    assert round.peer_comments.get(author=members[0]).subject == members[1]
    selfish = client.post(
        reverse("party:evaluation_comment", args=[round.pk]),
        {"subject": members[0].pk, "text": "我很好"},
    )
    assert selfish.status_code == 302
    assert round.peer_comments.count() == 1


def test_draft_rounds_are_hidden_from_members(client, personas):
    branch, _members = branch_with_voters(personas)
    round = make_round(personas, branch)
    sign_in(client, personas.party_member)
    assert client.get(reverse("party:evaluation_detail", args=[round.pk])).status_code == 404


def test_outsiders_cannot_enter(client, personas, open_vote):
    round, _members = open_vote
    sign_in(client, personas.officer)
    assert client.get(reverse("party:evaluation_list")).status_code == 404
    assert client.get(reverse("party:evaluation_detail", args=[round.pk])).status_code == 404


def test_the_api_casts_a_ballot_once_and_never_returns_it(client, personas, open_vote):
    round, members = open_vote
    token = bearer(personas.party_member)
    body = {"grades": [{"member": m.pk, "grade": G.COMPETENT} for m in members[1:]]}
    url = f"/api/v1/party/evaluation/rounds/{round.pk}/ballot"
    first = client.post(url, body, content_type="application/json", **token)
    assert first.status_code == 201 and first.json() == {"voted": True}
    second = client.post(url, body, content_type="application/json", **token)
    assert second.status_code in (400, 409, 422)
    assert "already voted" in second.content.decode()
    detail = client.get(f"/api/v1/party/evaluation/rounds/{round.pk}", **token).json()
    assert detail["voted"] is True and "grades" not in detail


@pytest.mark.parametrize("persona", ["party_secretary", "party_member"])
def test_the_round_list_takes_the_same_queries_for_one_round_and_many(client, personas, persona):
    branch, _members = branch_with_voters(personas, extra=2)
    open_round(personas, branch, 2020)
    sign_in(client, getattr(personas, persona))
    url = reverse("party:evaluation_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for year in (2021, 2022, 2023):
        open_round(personas, branch, year)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)


def test_the_secretary_gives_final_grades_on_the_form_after_the_close(client, personas, open_vote):
    round, members = open_vote
    for member in members:
        vote(round, member)
    sign_in(client, personas.party_secretary)
    url = reverse("party:evaluation_grades", args=[round.pk])
    assert client.get(url).status_code == 404  # not while the vote is open
    ROUND_WORKFLOW.apply(personas.party_secretary, round, "close")
    assert client.get(reverse("party:evaluation_detail", args=[round.pk])).status_code == 200
    assert client.get(url).status_code == 200
    data = {f"grade_{m.pk}": G.COMPETENT for m in members}
    data.update({f"reasons_{m.pk}": "履行义务" for m in members})
    data[f"reasons_{members[0].pk}"] = ""
    refused = client.post(url, data)
    assert refused.status_code == 200 and "Give the reasons" in refused.content.decode()
    assert not round.participants.exclude(final_grade="").exists()
    data[f"reasons_{members[0].pk}"] = "履行义务"
    assert client.post(url, data).status_code == 302
    assert not round.participants.filter(final_grade="").exists()
    page = client.get(reverse("party:evaluation_result", args=[round.pk, members[0].pk]))
    assert page.status_code == 200
    assert AuditEvent.objects.filter(action="party.evaluation.result_view").exists()
