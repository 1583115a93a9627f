"""Who is told what when applications, projects and calls change state: in the app and by
mail, only once the change has committed, and never across jurisdictions."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from keguan.accounts.models import Bureau, Organization
from keguan.accounts.roles import Role
from keguan.accounts.workflow import ORGANIZATION_WORKFLOW
from keguan.core.workflow import TransitionError
from keguan.notifications.models import Notification
from keguan.projects import services
from keguan.projects.models import Application, Candidate, Project
from keguan.projects.workflow import (
    APPLICATION_WORKFLOW,
    CALL_WORKFLOW,
    CANDIDATE_WORKFLOW,
    PROJECT_WORKFLOW,
)
from keguan.review.workflow import MEETING_WORKFLOW
from tests.factories import make_organization, make_user
from tests.projects.factories import (
    make_application,
    make_call,
    make_fund,
    make_program,
    submitted_application,
)
from tests.projects.states import (
    application_in,
    draft_meeting,
    meeting_decides,
    project_in,
    stage,
)

pytestmark = pytest.mark.django_db

A = Application.State


@pytest.fixture
def people(personas):
    """The personas, plus a colleague of alice with a mail address and an officer with one."""
    personas.amy = make_user(
        "amy", [Role.APPLICANT], personas.bureaus.county, personas.org_a, email="amy@example.cn"
    )
    personas.oscar = make_user(
        "oscar", [Role.OFFICER], personas.bureaus.county, email="oscar@example.cn"
    )
    return personas


def told(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user).order_by("pk"))


def mailed_to(outbox, address: str) -> list:
    return [m for m in outbox if address in m.to]


# Applications.
def test_a_decision_tells_the_applicant_units_users_in_the_app_and_by_mail(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    application = submitted_application(people.applicant_a, make_call(people.officer))
    with django_capture_on_commit_callbacks(execute=True):
        APPLICATION_WORKFLOW.apply(people.officer, application, "return", {"note": "缺少预算说明"})

    url = reverse("projects:application_detail", args=[application.pk])
    for user in (people.applicant_a, people.amy):
        [notification] = told(user)
        assert application.title in notification.subject
        assert notification.body == "缺少预算说明"
        assert notification.url == url
    [mail] = mailed_to(mailoutbox, "amy@example.cn")
    assert mail.subject == told(people.amy)[0].subject
    assert "缺少预算说明" in mail.body and url in mail.body
    assert told(people.amy)[0].mailed_at is not None
    # Nobody else: not the acting officer, not another unit, not officers with nothing to do.
    for user in (people.officer, people.oscar, people.applicant_b, people.leader):
        assert told(user) == []
    assert len(mailoutbox) == 1


def test_a_submission_tells_the_bureaus_officers_and_the_colleagues_not_the_submitter(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    application = make_application(people.applicant_a, make_call(people.officer))
    with django_capture_on_commit_callbacks(execute=True):
        APPLICATION_WORKFLOW.apply(people.applicant_a, application, "submit")
    assert len(told(people.officer)) == len(told(people.oscar)) == len(told(people.amy)) == 1
    assert told(people.applicant_a) == []
    # Officers of other bureaus, the city's included, have their own work.
    for user in (people.city_officer, people.neighbour_officer, people.applicant_b):
        assert told(user) == []
    assert sorted(address for m in mailoutbox for address in m.to) == [
        "amy@example.cn",
        "oscar@example.cn",
    ]


def test_nobody_is_told_before_the_transition_commits(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    application = submitted_application(people.applicant_a, make_call(people.officer))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        APPLICATION_WORKFLOW.apply(people.officer, application, "pass_check")
        assert Notification.objects.count() == 0
    assert callbacks
    assert Notification.objects.count() == 0 and mailoutbox == []
    for callback in callbacks:
        callback()
    assert len(told(people.amy)) == 1


def test_a_rolled_back_transition_tells_nobody(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    application = submitted_application(people.applicant_a, make_call(people.officer))

    class Abandoned(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abandoned),
        transaction.atomic(),
    ):
        APPLICATION_WORKFLOW.apply(people.officer, application, "pass_check")
        raise Abandoned
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mailoutbox == []
    assert Application.objects.get(pk=application.pk).state == A.SUBMITTED


def test_a_refused_transition_tells_nobody(people, mailoutbox, django_capture_on_commit_callbacks):
    application = application_in(people, A.REVIEWED)
    small = make_fund(people.officer, "60000", application.call.year, kind="sme_innovation")
    meeting = draft_meeting(people.leader)
    stage(people.leader, meeting, application, "50000", small)
    # Another meeting spends the money before this one is released.
    other = application_in(people, A.REVIEWED, applicant=people.applicant_b)
    meeting_decides(people.leader, other, "50000", small)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        # The fund has too little left: the release's decision refuses after the meeting's
        # and the application's states were set.
        with pytest.raises(TransitionError):
            MEETING_WORKFLOW.apply(people.leader, meeting, "release")
        with pytest.raises(TransitionError):
            APPLICATION_WORKFLOW.apply(people.applicant_b, application, "withdraw")
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mailoutbox == []


# Projects.
def test_a_request_for_acceptance_tells_the_officers_and_signing_tells_the_unit(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    project = project_in(people, Project.State.CONTRACTING)
    with django_capture_on_commit_callbacks(execute=True):
        project = PROJECT_WORKFLOW.apply(people.officer, project, "sign_task_book")
    assert [n.subject for n in told(people.amy)] == [
        _("Project %(number)s: %(state)s")
        % {"number": project.number, "state": project.get_state_display()}
    ]
    assert told(people.oscar) == [] and told(people.officer) == []

    with django_capture_on_commit_callbacks(execute=True):
        PROJECT_WORKFLOW.apply(people.applicant_a, project, "request_acceptance")
    assert len(told(people.officer)) == len(told(people.oscar)) == 1
    assert len(told(people.amy)) == 2
    assert len(told(people.applicant_a)) == 1  # signing, not their own request
    url = reverse("projects:project_detail", args=[project.pk])
    assert {n.url for n in told(people.oscar)} == {url}
    assert len(mailed_to(mailoutbox, "oscar@example.cn")) == 1


# Calls.
@pytest.fixture
def county_units(people):
    """Verified units of several kinds, here and in the neighbouring county, with users."""
    bureaus = people.bureaus
    township = make_organization(bureaus.county, "四股桥乡人民政府", kind="township")
    people.tina = make_user("tina", [Role.APPLICANT], bureaus.county, township)
    people.fay = make_user(
        "fay", [Role.APPLICANT], bureaus.neighbour, people.org_far, email="fay@example.cn"
    )
    for org in (people.org_a, township):
        ORGANIZATION_WORKFLOW.apply(people.officer, org, "verify")
    ORGANIZATION_WORKFLOW.apply(people.neighbour_officer, people.org_far, "verify")
    people.township = township
    return people


def _candidate(p, organization, officer, level="county", ready=True) -> Candidate:
    candidate = services.create_candidate(
        officer,
        organization,
        {
            "title": f"{organization.name}的储备项目",
            "field": "农业",
            "target_level": level,
            "expected_funding": Decimal("50000"),
            "guiding_officer": officer,
        },
    )
    if ready:
        candidate = CANDIDATE_WORKFLOW.apply(officer, candidate, "mark_ready")
    return candidate


def test_publishing_a_call_tells_eligible_units_here_and_units_with_a_ready_candidate(
    county_units, mailoutbox, django_capture_on_commit_callbacks
):
    p = county_units
    # org_b is still awaiting verification, but its ready candidate is prepared for this.
    _candidate(p, p.org_b, p.officer)
    _candidate(p, p.org_far, p.neighbour_officer)  # the neighbour's pool is not ours
    _candidate(p, p.org_a, p.officer, ready=False)  # still being watched
    call = make_call(p.officer, publish=False, eligible_kinds=["enterprise"])

    with django_capture_on_commit_callbacks(execute=True):
        CALL_WORKFLOW.apply(p.officer, call, "publish")

    new_call = _("New call open: %(title)s") % {"title": call.title}
    prepared = _("A call matching your prepared project is open: %(title)s") % {"title": call.title}
    guided = _("A call opened for candidates you guide: %(title)s") % {"title": call.title}
    subjects = {
        name: [n.subject for n in told(getattr(p, name))]
        for name in ("applicant_a", "amy", "applicant_b", "tina", "fay", "officer")
    }
    assert subjects == {
        "applicant_a": [new_call],
        "amy": [new_call],
        "applicant_b": [prepared],
        "tina": [],  # a township government may not apply to this call
        "fay": [],  # the neighbouring county's unit
        "officer": [guided],  # guides org_b's ready candidate (and published the call)
    }
    url = reverse("projects:call_detail", args=[call.pk])
    assert {n.url for n in Notification.objects.all()} == {url}
    assert [m.to for m in mailoutbox] == [["amy@example.cn"]]
    assert told(p.neighbour_officer) == []


def test_a_call_open_to_every_kind_tells_every_verified_unit_of_the_jurisdiction(
    county_units, django_capture_on_commit_callbacks
):
    p = county_units
    call = make_call(p.officer, publish=False, eligible_kinds=[])
    with django_capture_on_commit_callbacks(execute=True):
        CALL_WORKFLOW.apply(p.officer, call, "publish")
    told_users = set(Notification.objects.values_list("user__username", flat=True))
    assert told_users == {"alice", "amy", "tina"}


def test_the_citys_call_reaches_both_counties_below_it(
    county_units, django_capture_on_commit_callbacks
):
    p = county_units
    program = make_program(p.city_officer, level=Bureau.Level.MUNICIPAL)
    call = make_call(p.city_officer, program=program, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        CALL_WORKFLOW.apply(p.city_officer, call, "publish")
    told_users = set(Notification.objects.values_list("user__username", flat=True))
    assert told_users == {"alice", "amy", "tina", "fay"}


def test_cancelling_a_call_tells_no_unit(county_units, django_capture_on_commit_callbacks):
    p = county_units
    call = make_call(p.officer, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        CALL_WORKFLOW.apply(p.officer, call, "cancel", {"note": "取消"})
    assert Notification.objects.count() == 0


def test_a_unit_whose_verification_was_reopened_is_not_told_of_new_calls(
    county_units, django_capture_on_commit_callbacks
):
    p = county_units
    ORGANIZATION_WORKFLOW.apply(p.officer, p.org_a, "reopen", {"note": "复核"})
    assert Organization.objects.get(pk=p.org_a.pk).state == Organization.State.PENDING
    call = make_call(p.officer, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        CALL_WORKFLOW.apply(p.officer, call, "publish")
    assert told(p.applicant_a) == [] and told(p.amy) == []
    assert len(told(p.tina)) == 1


def test_a_verified_unit_with_a_ready_candidate_is_told_once(
    county_units, django_capture_on_commit_callbacks
):
    p = county_units
    _candidate(p, p.org_a, p.officer)
    call = make_call(p.officer, publish=False, eligible_kinds=["enterprise"])
    with django_capture_on_commit_callbacks(execute=True):
        CALL_WORKFLOW.apply(p.officer, call, "publish")
    prepared = _("A call matching your prepared project is open: %(title)s") % {"title": call.title}
    assert [n.subject for n in told(p.applicant_a)] == [prepared]
