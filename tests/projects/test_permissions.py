"""The named predicates of keguan.projects.permissions, on their own.

A small world: the county (ours), the city above it, the province above that, and the
neighbouring county under the same city. Each visible_* queryset is compared, for every
persona, with the exact set of objects it should hold.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from keguan.accounts import services as accounts
from keguan.accounts.models import Bureau
from keguan.accounts.roles import Role
from keguan.projects import permissions as can
from keguan.projects import services
from keguan.projects.attachments import store
from keguan.projects.models import Application, Call, Program, Project
from keguan.projects.workflow import (
    APPLICATION_WORKFLOW,
    CALL_WORKFLOW,
    CANDIDATE_WORKFLOW,
    PROJECT_WORKFLOW,
)
from tests.factories import make_user
from tests.projects.factories import (
    make_application,
    make_call,
    make_fund,
    make_program,
    pdf_upload,
    reviewed_application,
    submitted_application,
)
from tests.projects.states import application_in, meeting_decides

pytestmark = pytest.mark.django_db

A = Application.State
PERSONAS = (
    "applicant_a",
    "applicant_b",
    "officer",
    "neighbour_officer",
    "city_officer",
    "leader",
    "expert",
    "inspector",
    "liaison",
)


def _candidate(officer, organization, title):
    return services.create_candidate(
        officer,
        organization,
        {"title": title, "field": "农业", "target_level": "county", "guiding_officer": officer},
    )


def _penalty(officer, organization):
    return services.record_integrity_penalty(
        officer,
        {
            "organization": organization,
            "reason": "虚报材料",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
        },
    )


def _approved_in_the_neighbourhood(p) -> Project:
    """A project of the neighbouring county, decided by its own leader from its own fund."""
    leader = make_user("nick", [Role.LEADER], p.bureaus.neighbour)
    call = make_call(p.neighbour_officer)
    fund = make_fund(p.neighbour_officer)
    application = reviewed_application(p.applicant_far, p.neighbour_officer, call)
    application = meeting_decides(leader, application, "30000", fund)  # in public notice
    application = APPLICATION_WORKFLOW.apply(
        p.neighbour_officer, application, "confirm", automatic=True
    )
    return application.project


@pytest.fixture
def world(personas):
    p = personas
    p.applicant_far = make_user("fay", [Role.APPLICANT], p.bureaus.neighbour, p.org_far)
    p.province_officer = make_user("pam", [Role.OFFICER], p.bureaus.province)
    w = SimpleNamespace()
    # Ours: a draft call, an open one, a cancelled one; two units' candidates, applications
    # and a project; a penalty.
    w.county_draft_call = make_call(p.officer, publish=False)
    w.county_call = make_call(p.officer)
    w.county_cancelled_call = CALL_WORKFLOW.apply(
        p.officer, make_call(p.officer), "cancel", {"note": "取消"}
    )
    w.candidate_a = _candidate(p.officer, p.org_a, "甲的储备项目")
    w.candidate_b = _candidate(p.officer, p.org_b, "乙的储备项目")
    w.application_a = make_application(p.applicant_a, w.county_call)
    w.application_b = submitted_application(p.applicant_b, w.county_call)
    w.project_a = application_in(p, A.APPROVED).project
    w.penalty_county = _penalty(p.officer, p.org_b)
    # Above us.
    w.city_call = make_call(
        p.city_officer, program=make_program(p.city_officer, level=Bureau.Level.MUNICIPAL)
    )
    w.city_draft_call = make_call(p.city_officer, publish=False)
    w.penalty_city = _penalty(p.city_officer, p.org_a)
    w.province_call = make_call(
        p.province_officer,
        program=make_program(p.province_officer, level=Bureau.Level.PROVINCIAL),
    )
    # The neighbouring county.
    w.neighbour_call = make_call(p.neighbour_officer)
    w.candidate_far = _candidate(p.neighbour_officer, p.org_far, "邻县的储备项目")
    w.project_far = _approved_in_the_neighbourhood(p)
    w.application_far = w.project_far.application
    w.penalty_far = _penalty(p.neighbour_officer, p.org_far)
    w.p = p
    return w


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def _by_bureau(model, *bureaus) -> set[int]:
    return set(model.objects.filter(bureau__in=bureaus).values_list("pk", flat=True))


def _check_visible(world, function, expected: dict) -> None:
    p = world.p
    got = {name: _ids(function(getattr(p, name))) for name in expected}
    want = {name: set(ids) for name, ids in expected.items()}
    assert got == want


def test_programs_are_seen_by_the_bureaus_people_within_their_jurisdiction(world):
    b = world.p.bureaus
    county = _by_bureau(Program, b.county)
    assert county  # the programs the calls above were made under
    _check_visible(
        world,
        can.visible_programs,
        {
            "applicant_a": set(),
            "applicant_b": set(),
            "officer": county,
            "leader": county,
            "inspector": county,
            "city_officer": county | _by_bureau(Program, b.city, b.neighbour),
            "neighbour_officer": _by_bureau(Program, b.neighbour),
            "expert": set(),
            "liaison": set(),
        },
    )


def test_calls_are_seen_whole_by_the_bureau_and_published_from_here_upward_by_applicants(
    world,
):
    b, w = world.p.bureaus, world
    county = _by_bureau(Call, b.county)
    assert {w.county_draft_call.pk, w.county_cancelled_call.pk} <= county
    # Applicants: published calls of their own county, the city and the province; no
    # drafts, nothing cancelled, nothing of the neighbouring county.
    published_above = set(
        Call.objects.filter(
            state=Call.State.PUBLISHED, bureau__in=(b.county, b.city, b.province)
        ).values_list("pk", flat=True)
    )
    assert {w.county_call.pk, w.city_call.pk, w.province_call.pk} <= published_above
    assert not {w.county_draft_call.pk, w.city_draft_call.pk} & published_above
    _check_visible(
        world,
        can.visible_calls,
        {
            "applicant_a": published_above,
            "applicant_b": published_above,
            "officer": county,
            "leader": county,
            "inspector": county,
            "city_officer": county | _by_bureau(Call, b.city, b.neighbour),
            "neighbour_officer": _by_bureau(Call, b.neighbour),
            "expert": set(),
            "liaison": set(),
        },
    )


def test_candidates_are_seen_by_the_bureau_and_by_their_own_unit(world):
    w = world
    county = {w.candidate_a.pk, w.candidate_b.pk}
    _check_visible(
        world,
        can.visible_candidates,
        {
            "applicant_a": {w.candidate_a.pk},
            "applicant_b": {w.candidate_b.pk},
            "officer": county,
            "leader": county,
            "inspector": county,
            "city_officer": county | {w.candidate_far.pk},
            "neighbour_officer": {w.candidate_far.pk},
            "expert": set(),
            "liaison": set(),
        },
    )


def test_applications_are_seen_by_the_bureau_and_by_their_own_unit(world):
    w = world
    b = w.p.bureaus
    county = _by_bureau(Application, b.county)
    mine = set(Application.objects.filter(organization=w.p.org_a).values_list("pk", flat=True))
    assert {w.application_a.pk, w.project_a.application_id} == mine
    _check_visible(
        world,
        can.visible_applications,
        {
            "applicant_a": mine,
            "applicant_b": {w.application_b.pk},
            "officer": county,
            "leader": county,
            "inspector": county,
            "city_officer": county | {w.application_far.pk},
            "neighbour_officer": {w.application_far.pk},
            "expert": set(),
            "liaison": set(),
        },
    )


def test_projects_are_seen_by_the_bureau_and_by_their_own_unit(world):
    w = world
    _check_visible(
        world,
        can.visible_projects,
        {
            "applicant_a": {w.project_a.pk},
            "applicant_b": set(),
            "officer": {w.project_a.pk},
            "leader": {w.project_a.pk},
            "inspector": {w.project_a.pk},
            "city_officer": {w.project_a.pk, w.project_far.pk},
            "neighbour_officer": {w.project_far.pk},
            "expert": set(),
            "liaison": set(),
        },
    )


def test_the_integrity_record_is_seen_by_the_bureau_only(world):
    w = world
    _check_visible(
        world,
        can.visible_integrity_penalties,
        {
            # Not even the penalized unit reads the bureau's record through keguan.
            "applicant_a": set(),
            "applicant_b": set(),
            "officer": {w.penalty_county.pk},
            "leader": {w.penalty_county.pk},
            "inspector": {w.penalty_county.pk},
            "city_officer": {w.penalty_county.pk, w.penalty_city.pk, w.penalty_far.pk},
            "neighbour_officer": {w.penalty_far.pk},
            "expert": set(),
            "liaison": set(),
        },
    )


def test_anonymous_and_inactive_users_see_nothing(world):
    p = world.p
    accounts.set_active(p.sysadmin, p.officer, False, "调离")
    accounts.set_active(p.sysadmin, p.applicant_a, False, "离职")
    for user in (AnonymousUser(), p.officer, p.applicant_a, p.sysadmin, p.auditadmin):
        user = user if isinstance(user, AnonymousUser) else type(user).objects.get(pk=user.pk)
        for function in (
            can.visible_programs,
            can.visible_calls,
            can.visible_candidates,
            can.visible_applications,
            can.visible_projects,
            can.visible_integrity_penalties,
        ):
            assert not function(user).exists(), (user, function.__name__)


def _who(world, predicate, *args) -> set[str]:
    return {name for name in PERSONAS if predicate(getattr(world.p, name), *args)}


OFFICERS_HERE = {"officer", "city_officer"}
BUREAU_HERE = {"officer", "city_officer", "leader", "inspector"}


def test_calls_are_managed_by_officers_of_their_bureau_or_above(world):
    w = world
    assert _who(w, can.can_manage_call, w.county_call) == OFFICERS_HERE
    assert _who(w, can.can_manage_call, w.city_call) == {"city_officer"}
    assert _who(w, can.can_manage_call, w.neighbour_call) == {"city_officer", "neighbour_officer"}
    assert _who(w, can.can_create_call) == {"officer", "city_officer", "neighbour_officer"}
    assert _who(w, can.can_manage_programs) == {"officer", "city_officer", "neighbour_officer"}
    assert _who(w, can.can_manage_integrity) == {"officer", "city_officer", "neighbour_officer"}


def test_applications_are_checked_by_officers_decided_by_leaders_and_hints_seen_by_the_bureau(
    world,
):
    w = world
    application = w.application_b
    assert _who(w, can.can_check_application, application) == OFFICERS_HERE
    assert _who(w, can.can_decide_application, application) == {"leader"}
    # The duplicate hints are the bureau's: the unit itself never sees them.
    assert _who(w, can.can_see_duplicate_hints, application) == BUREAU_HERE
    assert _who(w, can.can_see_duplicate_hints, w.application_far) == {
        "city_officer",
        "neighbour_officer",
    }
    assert _who(w, can.is_own_application, application) == {"applicant_b"}


def test_only_the_unit_edits_its_application_and_only_while_draft_or_returned(world):
    w, p = world, world.p
    assert _who(w, can.can_edit_application, w.application_a) == {"applicant_a"}
    assert _who(w, can.can_upload_to_application, w.application_a) == {"applicant_a"}
    assert _who(w, can.can_edit_application, w.application_b) == set()  # submitted
    returned = APPLICATION_WORKFLOW.apply(p.officer, w.application_b, "return", {"note": "补充"})
    assert _who(w, can.can_edit_application, returned) == {"applicant_b"}


def test_an_application_is_started_only_by_an_admitted_unit_on_an_open_visible_call(world):
    w, p = world, world.p
    assert _who(w, can.can_start_application, w.county_call) == {"applicant_a", "applicant_b"}
    assert _who(w, can.can_start_application, w.province_call) == {"applicant_a", "applicant_b"}
    for call in (w.county_draft_call, w.county_cancelled_call, w.neighbour_call):
        assert _who(w, can.can_start_application, call) == set()
    townships_only = make_call(p.officer, eligible_kinds=["township"])
    assert _who(w, can.can_start_application, townships_only) == set()
    assert can.can_start_application(p.applicant_far, w.neighbour_call)


def test_candidates_are_guided_by_officers_and_edited_by_their_unit_while_open(world):
    w, p = world, world.p
    assert _who(w, can.can_guide_candidate, w.candidate_a) == OFFICERS_HERE
    assert _who(w, can.can_edit_candidate, w.candidate_a) == OFFICERS_HERE | {"applicant_a"}
    assert _who(w, can.can_create_candidate) == {
        "officer",
        "city_officer",
        "neighbour_officer",
        "applicant_a",
        "applicant_b",
    }
    dropped = CANDIDATE_WORKFLOW.apply(p.officer, w.candidate_a, "drop", {"note": "放弃"})
    assert _who(w, can.can_edit_candidate, dropped) == set()


def test_the_task_book_progress_and_acceptance_by_project_state(world, settings, tmp_path):
    w, p = world, world.p
    project = w.project_a
    assert project.state == Project.State.CONTRACTING
    assert _who(w, can.can_manage_project, project) == OFFICERS_HERE
    assert _who(w, can.is_own_project, project) == {"applicant_a"}
    assert _who(w, can.can_edit_task_book, project) == OFFICERS_HERE | {"applicant_a"}
    assert _who(w, can.can_report_progress, project) == set()
    assert _who(w, can.can_upload_to_project, project) == OFFICERS_HERE | {"applicant_a"}
    assert _who(w, can.can_request_acceptance, project) == OFFICERS_HERE | {"applicant_a"}

    project = services.update_task_book(p.officer, project, {"targets": "示范1000亩"})
    project = PROJECT_WORKFLOW.apply(p.officer, project, "sign_task_book")
    assert _who(w, can.can_edit_task_book, project) == set()
    assert _who(w, can.can_report_progress, project) == {"applicant_a"}

    project = PROJECT_WORKFLOW.apply(p.officer, project, "request_acceptance")
    assert _who(w, can.can_report_progress, project) == set()
    project = PROJECT_WORKFLOW.apply(p.officer, project, "pass_acceptance")
    assert _who(w, can.can_upload_to_project, project) == OFFICERS_HERE | {"applicant_a"}
    project = PROJECT_WORKFLOW.apply(p.officer, project, "close")
    assert _who(w, can.can_upload_to_project, project) == set()


def test_an_attachment_is_read_by_whoever_sees_what_it_is_attached_to(world, settings, tmp_path):
    settings.KEGUAN_ATTACHMENT_DIR = tmp_path
    w, p = world, world.p
    attachment = store(p.applicant_a, pdf_upload(), kind="other", application=w.application_a)
    assert _who(w, can.can_read_attachment, attachment) == BUREAU_HERE | {"applicant_a"}
    on_project = store(p.officer, pdf_upload("任务书.pdf"), kind="task_book", project=w.project_a)
    assert _who(w, can.can_read_attachment, on_project) == BUREAU_HERE | {"applicant_a"}
    far = store(p.neighbour_officer, pdf_upload(), kind="other", project=w.project_far)
    assert _who(w, can.can_read_attachment, far) == {"city_officer", "neighbour_officer"}


def test_the_leader_awaits_only_decisions_the_county_takes(personas):
    """Higher programs are recommended upward: they never wait for the county's leaders."""
    from keguan.projects.permissions import awaiting_decision
    from tests.projects.factories import make_call, make_program, reviewed_application

    county = reviewed_application(
        personas.applicant_a, personas.officer, make_call(personas.officer)
    )
    provincial_call = make_call(
        personas.officer, make_program(personas.officer, level="provincial", body="省科技厅")
    )
    reviewed_application(personas.applicant_b, personas.officer, provincial_call)
    assert list(awaiting_decision(personas.leader)) == [county]
    assert not awaiting_decision(personas.officer).exists()


def test_open_calls_for_an_applicant_are_those_admitting_its_kind(personas):
    from keguan.projects.permissions import open_calls_for
    from tests.projects.factories import make_call

    every_kind = make_call(personas.officer, eligible_kinds=[])
    enterprises = make_call(personas.officer, eligible_kinds=["township", "enterprise"])
    make_call(personas.officer, eligible_kinds=["township"])
    make_call(personas.officer, eligible_kinds=["cooperative", "other"])
    closed = make_call(personas.officer, publish=False)
    found = set(open_calls_for(personas.applicant_a))
    assert found == {every_kind, enterprises}
    assert closed not in found
    assert not open_calls_for(personas.officer).exists()
