"""What experts and applicants do in review: the expert's list, the pledge, reading, the score
sheet, the approach report, and the applicant's units and experts to avoid."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keguan.projects import attachments
from keguan.projects.models import Application, AttachmentKind
from keguan.projects.workflow import APPLICATION_WORKFLOW
from keguan.review import services
from keguan.review.comments import anonymous_comments
from keguan.review.models import ApproachReport, Assignment, Avoidance, Score
from keguan.review.workflow import ASSIGNMENT_WORKFLOW, ROUND_WORKFLOW
from tests.factories import sign_in
from tests.projects.factories import make_application, make_call, pdf_upload
from tests.review.factories import drawn_round, live, make_pool, rubric_for, score_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

S = Assignment.State
SUMMARY = "在四股桥乡推广特种水稻高产栽培技术。"
AVOID_UNIT = "鄱阳湖生态研究院"
AVOID_REASON = "与本单位存在竞争关系"


@pytest.fixture(autouse=True)
def store_dir(settings, tmp_path):
    settings.KEGUAN_ATTACHMENT_DIR = tmp_path / "attachments"


def checked_application(p, call=None, applicant=None, avoid=False):
    """A checked application with a feasibility report (and, if AVOID, a unit to avoid)."""
    applicant = applicant or p.applicant_a
    call = call or make_call(p.officer, max_per_organization=5)
    application = make_application(applicant, call)
    attachments.store(
        applicant, pdf_upload(), kind=AttachmentKind.FEASIBILITY_REPORT, application=application
    )
    if avoid:
        services.replace_avoidances(
            applicant,
            application,
            [{"kind": "unit", "name": AVOID_UNIT, "reason": AVOID_REASON}],
        )
    application = APPLICATION_WORKFLOW.apply(applicant, application, "submit")
    return APPLICATION_WORKFLOW.apply(p.officer, application, "pass_check")


@pytest.fixture
def review(personas):
    """A round under review: one application, three experts drawn and two reserves."""
    make_pool(personas.officer, count=6)
    application = checked_application(personas, avoid=True)
    round = drawn_round(personas.officer, [application], per_application=3, reserves=2)
    drawn = list(live(round, application))
    reserves = list(
        Assignment.objects.filter(round=round, state=S.RESERVE)
        .select_related("expert__user")
        .order_by("position")
    )
    return SimpleNamespace(round=round, application=application, drawn=drawn, reserves=reserves)


def url(name, assignment, *more):
    return reverse(f"review:{name}", args=[assignment.pk, *more])


def pledged(assignment):
    return ASSIGNMENT_WORKFLOW.apply(assignment.expert.user, assignment, "pledge")


def criteria(round):
    return list(round.call.rubric.criteria.all())


def sheet(round, values, recommendation="fund", comment="", submit=False):
    data = {f"score_{c.pk}": v for c, v in zip(criteria(round), values, strict=True)}
    data.update({"recommendation": recommendation, "comment": comment})
    data["submit" if submit else "save"] = "1"
    return data


def state(assignment):
    return Assignment.objects.get(pk=assignment.pk).state


# The expert's list.
def test_the_expert_sees_the_applications_drawn_for_them_with_the_round_and_state(client, review):
    assignment = review.drawn[0]
    sign_in(client, assignment.expert.user)
    response = client.get(reverse("review:my_reviews"))
    assert response.status_code == 200
    page = response.content.decode()
    assert review.application.title in page
    assert review.round.name in page
    assert "Awaiting the pledge" in page
    assert url("assignment_detail", assignment) in page


def test_the_expert_s_list_takes_the_same_number_of_queries_for_one_or_many(client, personas):
    """Three experts, three reserves none: each expert holds every application."""
    make_pool(personas.officer, count=3)
    first = checked_application(personas)
    drawn_round(personas.officer, [first], per_application=3, reserves=0)
    expert_user = Assignment.objects.filter(application=first).first().expert.user
    sign_in(client, expert_user)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("review:my_reviews")).status_code == 200
    call = make_call(personas.officer, max_per_organization=5)
    more = [checked_application(personas, call=call) for _ in range(3)]
    drawn_round(personas.officer, more, per_application=3, reserves=0, name="第二轮评审")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("review:my_reviews"))
    assert all(a.title in response.content.decode() for a in more)
    assert len(many) == len(one)


def test_reserves_are_not_listed_and_cannot_open_the_application(client, review):
    reserve = review.reserves[0]
    sign_in(client, reserve.expert.user)
    page = client.get(reverse("review:my_reviews")).content.decode()
    assert review.application.title not in page
    assert "0 records" in page
    assert client.get(url("assignment_detail", reserve)).status_code == 404


def test_an_officer_does_not_use_the_expert_s_pages(client, personas, review):
    sign_in(client, personas.officer)
    assert client.get(url("assignment_detail", review.drawn[0])).status_code == 404
    assert client.get(reverse("review:my_reviews")).status_code == 404


# The pledge.
def test_before_the_pledge_the_expert_sees_only_what_is_needed_to_judge_a_conflict(client, review):
    assignment = review.drawn[0]
    doc = review.application.attachments.get()
    sign_in(client, assignment.expert.user)
    page = client.get(url("assignment_detail", assignment)).content.decode()
    assert review.application.title in page
    assert review.application.organization.name in page
    assert "杨玉梁" in page and "Integrity and no-conflict pledge" in page
    assert SUMMARY not in page
    assert "60,000" not in page
    assert url("assignment_attachment", assignment, doc.pk) not in page
    assert client.get(url("assignment_attachment", assignment, doc.pk)).status_code == 404
    response = client.post(url("assignment_scores", assignment), sheet(review.round, (5, 5, 5)))
    assert response.status_code == 404
    assert not Score.objects.filter(assignment=assignment).exists()


def test_signing_the_pledge_opens_the_application_and_its_documents(client, review):
    assignment = review.drawn[0]
    doc = review.application.attachments.get()
    sign_in(client, assignment.expert.user)
    response = client.post(
        url("assignment_action", assignment), {"action": "pledge", "expected_state": "invited"}
    )
    assert response.status_code == 302
    assert state(assignment) == S.REVIEWING
    page = client.get(url("assignment_detail", assignment)).content.decode()
    assert SUMMARY in page
    assert "Score sheet" in page
    download = client.get(url("assignment_attachment", assignment, doc.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


def test_a_document_of_another_application_is_not_served_through_an_assignment(
    client, personas, review
):
    assignment = pledged(review.drawn[0])
    other = checked_application(personas, applicant=personas.applicant_b)
    doc = other.attachments.get()
    sign_in(client, assignment.expert.user)
    assert client.get(url("assignment_attachment", assignment, doc.pk)).status_code == 404


# Stepping back: the expert loses access, a reserve takes the place.
@pytest.mark.parametrize("action", ["declare_conflict", "decline"])
def test_an_expert_who_steps_back_loses_access_and_the_reserve_takes_the_place(
    client, review, action
):
    assignment = pledged(review.drawn[0])
    doc = review.application.attachments.get()
    sign_in(client, assignment.expert.user)
    response = client.post(
        url("assignment_action", assignment),
        {"action": action, "expected_state": "reviewing", "note": "曾与申报单位合作。"},
    )
    assert response.status_code == 302
    assert response.url == reverse("review:my_reviews")
    assert state(assignment) in (S.CONFLICT, S.DECLINED)
    assert state(review.reserves[0]) == S.INVITED
    assert live(review.round, review.application).count() == 3

    assert client.get(url("assignment_detail", assignment)).status_code == 404
    assert client.get(url("assignment_attachment", assignment, doc.pk)).status_code == 404
    scores = client.post(url("assignment_scores", assignment), sheet(review.round, (5, 5, 5)))
    assert scores.status_code == 404
    approach = client.post(url("assignment_approach", assignment), {"detail": "x"})
    assert approach.status_code == 404
    assert not Score.objects.filter(assignment=assignment).exists()
    assert not ApproachReport.objects.exists()
    page = client.get(reverse("review:my_reviews")).content.decode()
    assert review.application.title not in page
    assert "0 records" in page


def test_stepping_back_without_a_reason_is_refused_and_nothing_changes(client, review):
    assignment = review.drawn[0]
    sign_in(client, assignment.expert.user)
    response = client.post(
        url("assignment_action", assignment),
        {"action": "declare_conflict", "expected_state": "invited", "note": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert state(assignment) == S.INVITED
    assert state(review.reserves[0]) == S.RESERVE


def test_an_expert_released_by_the_officer_gets_404(client, personas, review):
    assignment = pledged(review.drawn[0])
    services.withdraw_assignment(personas.officer, assignment, "联系不上。")
    sign_in(client, assignment.expert.user)
    assert client.get(url("assignment_detail", assignment)).status_code == 404
    assert review.application.title not in client.get(reverse("review:my_reviews")).content.decode()


def test_an_expert_cannot_open_another_expert_s_assignment(client, review):
    sign_in(client, review.drawn[1].expert.user)
    assert client.get(url("assignment_detail", review.drawn[0])).status_code == 404


# The score sheet.
def test_a_draft_is_saved_and_a_submitted_sheet_becomes_read_only(client, review):
    assignment = pledged(review.drawn[0])
    sign_in(client, assignment.expert.user)
    response = client.post(url("assignment_scores", assignment), sheet(review.round, (7, 8, "")))
    assert response.status_code == 302
    assert state(assignment) == S.REVIEWING
    assert Score.objects.filter(assignment=assignment).count() == 2
    response = client.post(
        url("assignment_scores", assignment), sheet(review.round, (7, 8, 8), submit=True)
    )
    assert response.status_code == 302
    saved = Assignment.objects.get(pk=assignment.pk)
    assert saved.state == S.SUBMITTED and saved.total is not None
    page = client.get(url("assignment_detail", assignment)).content.decode()
    assert url("assignment_scores", assignment) not in page
    again = client.post(
        url("assignment_scores", assignment), sheet(review.round, (1, 1, 1), submit=True)
    )
    assert again.status_code == 200
    assert sorted(Score.objects.filter(assignment=assignment).values_list("value", flat=True)) == [
        7,
        8,
        8,
    ]


@pytest.mark.parametrize("bad", ["11", "-1", "abc"])
def test_a_score_outside_the_range_is_refused_by_criterion_and_nothing_is_saved(
    client, review, bad
):
    assignment = pledged(review.drawn[0])
    sign_in(client, assignment.expert.user)
    response = client.post(
        url("assignment_scores", assignment), sheet(review.round, (bad, 8, 8), submit=True)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "enter a score from 0 to 10" in page
    assert f'id="id_score_{criteria(review.round)[0].pk}-errors"' in page
    assert state(assignment) == S.REVIEWING
    assert not Score.objects.filter(assignment=assignment).exists()


def test_an_extreme_total_without_a_comment_is_refused_and_nothing_is_saved(client, review):
    assignment = pledged(review.drawn[0])
    sign_in(client, assignment.expert.user)
    response = client.post(
        url("assignment_scores", assignment), sheet(review.round, (10, 10, 10), submit=True)
    )
    assert response.status_code == 200
    assert "needs a comment" in response.content.decode()
    assert state(assignment) == S.REVIEWING
    assert not Score.objects.filter(assignment=assignment).exists()
    assert Assignment.objects.get(pk=assignment.pk).total is None


def test_scores_are_refused_after_the_deadline(client, review):
    assignment = pledged(review.drawn[0])
    with time_machine.travel(review.round.review_deadline + dt.timedelta(hours=1)):
        sign_in(client, assignment.expert.user)
        response = client.post(
            url("assignment_scores", assignment),
            sheet(review.round, (8, 8, 8), comment="好", submit=True),
        )
        assert response.status_code == 200
        page = client.get(url("assignment_detail", assignment)).content.decode()
    assert "deadline has passed" in page
    assert state(assignment) == S.REVIEWING
    assert not Score.objects.filter(assignment=assignment).exists()


def test_an_expert_never_sees_other_experts_or_their_scores_or_the_avoidance_list(client, review):
    first, second = pledged(review.drawn[0]), pledged(review.drawn[1])
    services.save_sheet(
        first.expert.user,
        first,
        {
            "scores": {c.pk: 9 for c in criteria(review.round)},
            "recommendation": "fund",
            "comment": "独到的评审意见甲",
        },
        submit=True,
    )
    sign_in(client, second.expert.user)
    page = client.get(url("assignment_detail", second)).content.decode()
    assert "独到的评审意见甲" not in page
    assert first.expert.name not in page
    assert AVOID_UNIT not in page and AVOID_REASON not in page
    assert client.get(reverse("review:avoidances", args=[review.application.pk])).status_code == 404


# Approaches (请托).
def test_an_expert_reports_an_approach_in_one_click(client, review):
    assignment = review.drawn[0]
    sign_in(client, assignment.expert.user)
    response = client.post(url("assignment_approach", assignment), {"detail": ""}, follow=True)
    assert response.status_code == 200
    assert "sent to the inspectors" in response.content.decode()
    report = ApproachReport.objects.get()
    assert report.application == review.application and report.assignment == assignment


# The applicant's units and experts to avoid.
def avoid_data(rows):
    data = {
        "avoid-TOTAL_FORMS": "3",
        "avoid-INITIAL_FORMS": "0",
        "avoid-MIN_NUM_FORMS": "3",
        "avoid-MAX_NUM_FORMS": "3",
    }
    for index in range(3):
        row = rows[index] if index < len(rows) else {}
        data[f"avoid-{index}-kind"] = row.get("kind", "unit")
        data[f"avoid-{index}-name"] = row.get("name", "")
        data[f"avoid-{index}-unit"] = row.get("unit", "")
        data[f"avoid-{index}-reason"] = row.get("reason", "")
    return data


@pytest.fixture
def draft(personas):
    return make_application(personas.applicant_a, make_call(personas.officer))


def test_the_applicant_names_units_and_experts_to_avoid_on_a_draft(client, personas, draft):
    sign_in(client, personas.applicant_a)
    response = client.post(
        reverse("review:avoidances", args=[draft.pk]),
        avoid_data(
            [
                {"kind": "unit", "name": AVOID_UNIT, "reason": AVOID_REASON},
                {"kind": "expert", "name": "王某", "unit": "某大学", "reason": "师生关系"},
            ]
        ),
    )
    assert response.status_code == 302
    assert list(draft.avoidances.values_list("name", flat=True)) == [AVOID_UNIT, "王某"]
    detail = client.get(reverse("projects:application_detail", args=[draft.pk]))
    assert reverse("review:avoidances", args=[draft.pk]) in detail.content.decode()


def test_an_avoidance_without_a_reason_is_refused_and_nothing_is_saved(client, personas, draft):
    sign_in(client, personas.applicant_a)
    response = client.post(
        reverse("review:avoidances", args=[draft.pk]),
        avoid_data([{"kind": "unit", "name": AVOID_UNIT, "reason": ""}]),
    )
    assert response.status_code == 200
    assert not Avoidance.objects.exists()


def test_officers_read_the_avoidance_list_but_cannot_change_it(client, personas, draft):
    services.replace_avoidances(
        personas.applicant_a, draft, [{"kind": "unit", "name": AVOID_UNIT, "reason": "x"}]
    )
    sign_in(client, personas.officer)
    page = client.get(reverse("review:avoidances", args=[draft.pk]))
    assert page.status_code == 200 and AVOID_UNIT in page.content.decode()
    response = client.post(reverse("review:avoidances", args=[draft.pk]), avoid_data([]))
    assert response.status_code == 404
    assert list(draft.avoidances.values_list("name", flat=True)) == [AVOID_UNIT]


@pytest.mark.parametrize("who", ["applicant_b", "neighbour_officer", "expert", "inspector"])
def test_others_get_404_on_the_avoidance_list(client, personas, draft, who):
    sign_in(client, getattr(personas, who))
    assert client.get(reverse("review:avoidances", args=[draft.pk])).status_code == 404


def test_a_submitted_application_s_avoidance_list_is_read_only(client, personas, draft):
    services.replace_avoidances(
        personas.applicant_a, draft, [{"kind": "unit", "name": AVOID_UNIT, "reason": "x"}]
    )
    APPLICATION_WORKFLOW.apply(personas.applicant_a, draft, "submit")
    sign_in(client, personas.applicant_a)
    page = client.get(reverse("review:avoidances", args=[draft.pk])).content.decode()
    assert AVOID_UNIT in page and 'name="avoid-0-name"' not in page
    client.post(reverse("review:avoidances", args=[draft.pk]), avoid_data([]))
    assert list(draft.avoidances.values_list("name", flat=True)) == [AVOID_UNIT]


# Anonymized comments for the applicant.
def closed_round(personas, share):
    make_pool(personas.officer, count=4)
    application = checked_application(personas)
    rubric_for(personas.officer, application.call, comments_to_applicants=share)
    round = drawn_round(personas.officer, [application], per_application=3, reserves=0)
    score_all(round, comment="论证充分，建议支持。")
    ROUND_WORKFLOW.apply(personas.officer, round, "close")
    return round, Application.objects.get(pk=application.pk)


def test_the_applicant_reads_the_comments_without_names_when_the_call_shares_them(client, personas):
    round, application = closed_round(personas, share=True)
    comments = anonymous_comments(application)
    assert [c["label"] for c in comments] == ["Expert 1", "Expert 2", "Expert 3"]
    sign_in(client, personas.applicant_a)
    page = client.get(reverse("projects:application_detail", args=[application.pk]))
    text = page.content.decode()
    assert "论证充分，建议支持。" in text and "Expert 1" in text
    for assignment in Assignment.objects.filter(round=round).select_related("expert"):
        assert assignment.expert.name not in text


def test_no_comments_reach_the_applicant_when_the_call_keeps_them(client, personas):
    _round, application = closed_round(personas, share=False)
    assert anonymous_comments(application) == []
    sign_in(client, personas.applicant_a)
    page = client.get(reverse("projects:application_detail", args=[application.pk]))
    assert "论证充分，建议支持。" not in page.content.decode()
