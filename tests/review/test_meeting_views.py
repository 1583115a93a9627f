"""The decision-meeting pages: recording a meeting with quorum, staging decisions, releasing
them together, and who may do what."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keguan.projects.models import Application, Project
from keguan.projects.workflow import APPLICATION_WORKFLOW
from keguan.review import services
from keguan.review.models import Decision, Meeting
from keguan.review.workflow import MEETING_WORKFLOW, ROUND_WORKFLOW
from tests.factories import sign_in
from tests.projects.factories import make_application, make_call, make_fund, make_program
from tests.projects.states import county_fund, row
from tests.review.factories import drawn_round, leaders, make_pool, score_all

A = Application.State


def reviewed(p, applicant=None, public_notice=True) -> Application:
    """A county application awaiting the leadership's decision (REVIEWED), reached through
    the workflow; the review result is recorded the way a round's close records it."""
    applicant = applicant or p.applicant_a
    call = make_call(p.officer, program=make_program(p.officer), public_notice=public_notice)
    application = make_application(applicant, call)
    application = APPLICATION_WORKFLOW.apply(applicant, application, "submit")
    application = APPLICATION_WORKFLOW.apply(p.officer, application, "pass_check")
    return APPLICATION_WORKFLOW.apply(
        p.officer, application, "record_review", {"score": "85"}, automatic=True
    )


def meeting_of(p, present, title="局务会（第3次）"):
    """A draft meeting of the county recorded by the leader, with PRESENT leaders."""
    return services.create_meeting(
        p.leader,
        {"title": title, "held_on": timezone.localdate(), "attendees": present, "minutes": ""},
    )


def approve(application, fund, votes=2):
    return {
        "application": application.pk,
        "outcome": "approve",
        "amount": "50000",
        "fund": fund.pk,
        "votes_for": votes,
        "votes_against": 0,
        "abstentions": 0,
        "note": "",
    }


def url(name, *args):
    return reverse(f"review:{name}", args=args)


@pytest.fixture
def group(personas):
    """Three leaders in the county: two present make a quorum, one does not."""
    return leaders(personas, 3)


def test_a_leader_records_a_meeting_with_quorum_through_the_form(client, personas, group):
    sign_in(client, personas.leader)
    page = client.get(url("meeting_create"))
    assert page.status_code == 200
    assert all(leader.username in page.content.decode() for leader in group)
    response = client.post(
        url("meeting_create"),
        {
            "title": "2026年第5次局务会",
            "held_on": timezone.localdate().isoformat(),
            "attendees": [group[0].pk, group[1].pk],
            "minutes": "审议2026年度县级科技计划项目。",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == url("meeting_detail", meeting.pk)
    assert meeting.state == Meeting.State.DRAFT
    assert meeting.leadership_size == 3
    assert set(meeting.attendance.values_list("user_id", flat=True)) == {
        group[0].pk,
        group[1].pk,
    }
    detail = client.get(url("meeting_detail", meeting.pk))
    assert "text-success" in detail.content.decode()
    assert detail.context["quorum_problem"] is None
    assert detail.context["stage_form"] is not None


def test_without_quorum_the_page_says_so_and_offers_no_decision_form(
    client, personas, group, english
):
    meeting = meeting_of(personas, group[:1])
    sign_in(client, personas.leader)
    page = client.get(url("meeting_detail", meeting.pk))
    body = page.content.decode()
    assert "No quorum: 1 of the 3 members" in body
    assert page.context["stage_form"] is None
    assert url("decision_stage", meeting.pk) not in body


def test_staging_is_refused_without_quorum_and_nothing_is_staged(client, personas, group, english):
    application = reviewed(personas)
    meeting = meeting_of(personas, group[:1])
    sign_in(client, personas.leader)
    response = client.post(
        url("decision_stage", meeting.pk), approve(application, county_fund(personas.officer), 1)
    )
    assert response.status_code == 200
    assert "No quorum" in response.content.decode()
    assert not Decision.objects.exists()


def test_staged_decisions_are_released_together(client, personas, group, english):
    p = personas
    fund = county_fund(p.officer)
    approved = reviewed(p)
    rejected = reviewed(p, applicant=p.applicant_b)
    deferred = reviewed(p)
    meeting = meeting_of(p, group[:2])
    sign_in(client, p.leader)
    for data in (
        approve(approved, fund),
        {
            "application": rejected.pk,
            "outcome": "reject",
            "votes_for": 2,
            "votes_against": 0,
            "abstentions": 0,
            "note": "示范带动作用不足。",
        },
        {
            "application": deferred.pk,
            "outcome": "defer",
            "votes_for": 1,
            "votes_against": 0,
            "abstentions": 1,
            "note": "补充材料后再议。",
        },
    ):
        response = client.post(url("decision_stage", meeting.pk), data)
        assert response.status_code == 302, response.context["stage_form"].errors
    page = client.get(url("meeting_detail", meeting.pk)).content.decode()
    assert "5.00" in page  # 50,000 yuan shown in 萬元
    assert "go out together" in page
    assert row(approved)["state"] == A.REVIEWED  # staged, not yet applied

    response = client.post(
        url("meeting_action", meeting.pk), {"action": "release", "expected_state": "draft"}
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.RELEASED
    assert meeting.released_at is not None
    assert row(approved)["state"] == A.IN_NOTICE
    assert row(rejected)["state"] == A.REJECTED
    assert row(deferred)["state"] == A.REVIEWED
    released = client.get(url("meeting_detail", meeting.pk))
    assert released.context["stage_form"] is None
    assert released.context["actions"] == []
    assert url("decision_remove", Decision.objects.first().pk) not in released.content.decode()
    # The decision links to its meeting on the application page, for bureau staff only.
    link = url("meeting_detail", meeting.pk)
    staff_page = client.get(reverse("projects:application_detail", args=[approved.pk]))
    assert link in staff_page.content.decode()
    sign_in(client, p.applicant_a)
    own_page = client.get(reverse("projects:application_detail", args=[approved.pk]))
    assert own_page.status_code == 200
    assert link not in own_page.content.decode()


def test_an_approval_where_the_call_has_no_notice_makes_a_project(client, personas, group):
    p = personas
    application = reviewed(p, public_notice=False)
    meeting = meeting_of(p, group[:2])
    sign_in(client, p.leader)
    client.post(url("decision_stage", meeting.pk), approve(application, county_fund(p.officer)))
    client.post(url("meeting_action", meeting.pk), {"action": "release"})
    assert row(application)["state"] == A.APPROVED
    assert Project.objects.filter(application=application).exists()


def test_release_is_refused_without_quorum_and_nothing_changes(client, personas, group, english):
    p = personas
    application = reviewed(p)
    meeting = meeting_of(p, group[:2])
    services.stage_decision(
        p.leader,
        meeting,
        {
            **approve(application, county_fund(p.officer)),
            "application": application,
            "fund": county_fund(p.officer),
        },
    )
    # A leader recorded by mistake as present is struck off: the meeting loses its quorum.
    meeting = services.update_meeting(p.leader, meeting, {"attendees": group[:1]})
    sign_in(client, p.leader)
    response = client.post(url("meeting_action", meeting.pk), {"action": "release"}, follow=True)
    assert "No quorum" in response.content.decode()
    assert row(meeting)["state"] == Meeting.State.DRAFT
    assert row(meeting)["released_at"] is None
    assert row(application)["state"] == A.REVIEWED


def test_after_release_nothing_about_the_meeting_changes(client, personas, group, english):
    p = personas
    fund = county_fund(p.officer)
    application = reviewed(p)
    other = reviewed(p, applicant=p.applicant_b)
    meeting = meeting_of(p, group[:2])
    sign_in(client, p.leader)
    client.post(url("decision_stage", meeting.pk), approve(application, fund))
    client.post(url("meeting_action", meeting.pk), {"action": "release"})
    decision = Decision.objects.get()
    meeting_before, decision_before = row(meeting), row(decision)

    edit = client.get(url("meeting_edit", meeting.pk))
    posted = client.post(
        url("meeting_edit", meeting.pk),
        {"title": "改过的", "held_on": "2020-01-01", "attendees": [g.pk for g in group]},
    )
    stage = client.post(url("decision_stage", meeting.pk), approve(other, fund))
    remove = client.post(url("decision_remove", decision.pk))
    again = client.post(url("meeting_action", meeting.pk), {"action": "release"})

    # The leaders are sent back to the meeting and told it is final.
    assert [r.status_code for r in (edit, posted, stage, remove, again)] == [302] * 5
    final = client.get(url("meeting_detail", meeting.pk))
    assert "a change needs a new meeting" in final.content.decode()
    assert row(meeting) == meeting_before
    assert row(decision) == decision_before
    assert Decision.objects.count() == 1
    assert row(other)["state"] == A.REVIEWED


@pytest.mark.parametrize("who", ["applicant_a", "expert"])
def test_applicants_and_experts_get_404_on_every_meeting_url(client, personas, group, who):
    p = personas
    application = reviewed(p)
    meeting = meeting_of(p, group[:2])
    decision = services.stage_decision(
        p.leader,
        meeting,
        {"application": application, "outcome": "defer", "votes_for": 2, "note": "再议"},
    )
    before = row(meeting)
    sign_in(client, getattr(p, who))
    gets = ["meeting_list", "meeting_create"]
    for name in gets:
        assert client.get(url(name)).status_code == 404
        assert client.post(url(name), {"title": "x"}).status_code == 404
    for name in ("meeting_detail", "meeting_edit"):
        assert client.get(url(name, meeting.pk)).status_code == 404
    for name in ("meeting_edit", "decision_stage", "meeting_action"):
        assert client.post(url(name, meeting.pk), {"action": "release"}).status_code == 404
    assert client.post(url("decision_remove", decision.pk)).status_code == 404
    assert row(meeting) == before
    assert Decision.objects.filter(pk=decision.pk).exists()
    assert Meeting.objects.count() == 1


def test_an_officer_may_prepare_a_meeting_but_not_release_it(client, personas, group):
    p = personas
    application = reviewed(p)
    sign_in(client, p.officer)
    client.post(
        url("meeting_create"),
        {
            "title": "局务会",
            "held_on": timezone.localdate().isoformat(),
            "attendees": [group[0].pk, group[1].pk],
        },
    )
    meeting = Meeting.objects.get()
    response = client.post(
        url("decision_stage", meeting.pk), approve(application, county_fund(p.officer))
    )
    assert response.status_code == 302
    assert client.get(url("meeting_detail", meeting.pk)).context["actions"] == []

    response = client.post(url("meeting_action", meeting.pk), {"action": "release"})

    assert response.status_code == 404
    assert row(meeting)["state"] == Meeting.State.DRAFT
    assert row(application)["state"] == A.REVIEWED


def test_an_inspector_reads_meetings_but_records_none(client, personas, group):
    meeting = meeting_of(personas, group[:2])
    sign_in(client, personas.inspector)
    assert client.get(url("meeting_list")).status_code == 200
    assert client.get(url("meeting_detail", meeting.pk)).status_code == 200
    assert client.get(url("meeting_create")).status_code == 404
    assert client.get(url("meeting_edit", meeting.pk)).status_code == 404


def test_a_neighbouring_county_officer_gets_404_on_the_meeting(client, personas, group):
    meeting = meeting_of(personas, group[:2])
    sign_in(client, personas.neighbour_officer)
    assert client.get(url("meeting_detail", meeting.pk)).status_code == 404
    assert client.post(url("decision_stage", meeting.pk), {}).status_code == 404


def test_staging_mistakes_show_beside_their_fields(client, personas, group, english):
    p = personas
    application = reviewed(p)
    meeting = meeting_of(p, group[:2])
    sign_in(client, p.leader)
    too_much = {**approve(application, county_fund(p.officer)), "amount": "999999"}
    response = client.post(url("decision_stage", meeting.pk), too_much)
    assert "amount" in response.context["stage_form"].errors
    no_reason = {
        "application": application.pk,
        "outcome": "reject",
        "votes_for": 2,
        "votes_against": 0,
        "abstentions": 0,
        "note": "",
    }
    response = client.post(url("decision_stage", meeting.pk), no_reason)
    assert "note" in response.context["stage_form"].errors
    assert not Decision.objects.exists()


def test_a_fund_of_another_year_is_refused_when_staging(client, personas, group, english):
    p = personas
    application = reviewed(p)
    last_year = make_fund(p.officer, year=timezone.localdate().year - 1)
    meeting = meeting_of(p, group[:2])
    sign_in(client, p.leader)
    response = client.post(url("decision_stage", meeting.pk), approve(application, last_year))
    assert "the call's year" in response.context["stage_form"].errors["fund"][0]
    assert not Decision.objects.exists()


def test_a_release_that_fails_for_one_application_changes_none(client, personas, group, english):
    """Two approvals that fit the fund when staged, but another meeting spent part of it
    before the release: the second fails at release, and the first is not applied alone."""
    p = personas
    small = make_fund(p.officer, amount="100000", kind="sme_innovation")
    first, second = reviewed(p), reviewed(p, applicant=p.applicant_b)
    meeting = meeting_of(p, group[:2])
    sign_in(client, p.leader)
    for application in (first, second):
        response = client.post(url("decision_stage", meeting.pk), approve(application, small))
        assert response.status_code == 302
    assert Decision.objects.filter(meeting=meeting).count() == 2
    other = meeting_of(p, group[:2], title="局务会（第4次）")
    third = reviewed(p)
    services.stage_decision(
        p.leader, other, {**approve(third, small), "application": third, "fund": small}
    )
    MEETING_WORKFLOW.apply(p.leader, other, "release")
    response = client.post(url("meeting_action", meeting.pk), {"action": "release"})
    assert response.status_code == 302
    assert row(meeting)["state"] == Meeting.State.DRAFT
    assert row(first)["state"] == A.REVIEWED
    assert row(second)["state"] == A.REVIEWED


def test_a_staged_decision_can_be_removed_while_the_meeting_is_a_draft(client, personas, group):
    p = personas
    application = reviewed(p)
    meeting = meeting_of(p, group[:2])
    sign_in(client, p.leader)
    client.post(url("decision_stage", meeting.pk), approve(application, county_fund(p.officer)))
    decision = Decision.objects.get()
    response = client.post(url("decision_remove", decision.pk))
    assert response.status_code == 302
    assert not Decision.objects.exists()
    assert row(application)["state"] == A.REVIEWED


def test_a_closed_rounds_ranked_list_is_considered_and_linked(client, personas, group):
    p = personas
    application = make_application(p.applicant_a, make_call(p.officer))
    application = APPLICATION_WORKFLOW.apply(p.applicant_a, application, "submit")
    application = APPLICATION_WORKFLOW.apply(p.officer, application, "pass_check")
    make_pool(p.officer, 6)
    round = drawn_round(p.officer, [application])
    score_all(round)
    round = ROUND_WORKFLOW.apply(p.officer, round, "close")
    sign_in(client, p.leader)
    client.post(
        url("meeting_create"),
        {
            "title": "局务会",
            "held_on": timezone.localdate().isoformat(),
            "attendees": [group[0].pk, group[1].pk],
            "rounds": [round.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert list(meeting.rounds.all()) == [round]
    page = client.get(url("meeting_detail", meeting.pk)).content.decode()
    assert url("ranking", round.pk) in page


def test_the_meeting_list_runs_the_same_number_of_queries_for_one_or_many(client, personas, group):
    p = personas
    sign_in(client, p.leader)
    meeting_of(p, group[:2])
    client.get(url("meeting_list"))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        response = client.get(url("meeting_list"))
    assert len(response.context["page"]) == 1
    for n in range(3):
        meeting = meeting_of(p, group[: 1 + n % 2], title=f"局务会{n}")
        if n == 1:
            services.stage_decision(
                p.leader,
                meeting,
                {"application": reviewed(p), "outcome": "defer", "votes_for": 2},
            )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("meeting_list"))
    assert len(response.context["page"]) == 4
    assert len(many) == len(one)
    assert url("meeting_create") in response.content.decode()
