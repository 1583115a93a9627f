"""Applications and projects in any state, reached through the real workflows.

Shared by the workflow, view, API and notification tests, so each state is reached the one
way the rules allow.
"""

import datetime as dt

from django.utils import timezone

from keguan.accounts.models import Bureau
from keguan.funds.models import Fund
from keguan.projects import services
from keguan.projects.models import Application, Project
from keguan.projects.workflow import APPLICATION_WORKFLOW, PROJECT_WORKFLOW
from tests.projects.factories import (
    make_application,
    make_call,
    make_fund,
    make_program,
    reviewed_application,
)

A = Application.State
P = Project.State
NOTE = "经审查，材料需补充。"


def row(obj) -> dict:
    """Every stored column of OBJ, read back from the database."""
    return type(obj).objects.filter(pk=obj.pk).values().get()


def county_fund(officer) -> Fund:
    """This year's S&T budget of the officer's bureau (one per year may exist)."""
    existing = Fund.objects.filter(
        bureau=officer.bureau, kind="science_budget", year=timezone.localdate().year
    ).first()
    return existing or make_fund(officer, amount="5000000")


def application_in(p, state: str, level: str = Bureau.Level.COUNTY, applicant=None, **extra):
    """An application of APPLICANT (alice by default) in STATE, reached through the workflow.

    RECOMMENDED needs a program above the county; IN_NOTICE and APPROVED a county
    one (the leadership decides), so LEVEL is ignored for those.
    """
    applicant = applicant or p.applicant_a
    if state == A.RECOMMENDED:
        level = Bureau.Level.MUNICIPAL
    if state in (A.DECIDED, A.IN_NOTICE, A.APPROVED):
        level = Bureau.Level.COUNTY
    call = make_call(p.officer, program=make_program(p.officer, level=level))
    application = make_application(applicant, call, **extra)

    def go(user, action, payload=None):
        nonlocal application
        application = APPLICATION_WORKFLOW.apply(user, application, action, payload)

    if state == A.DRAFT:
        return application
    if state == A.WITHDRAWN:
        go(applicant, "withdraw")
        return application
    go(applicant, "submit")
    if state == A.SUBMITTED:
        return application
    if state in (A.RETURNED, A.REJECTED):
        go(p.officer, "return" if state == A.RETURNED else "refuse", {"note": NOTE})
        return application
    go(p.officer, "pass_check")
    if state == A.CHECKED:
        return application
    if state == A.RECOMMENDED:
        go(p.officer, "recommend", {"note": "推荐上报。"})
        return application
    application = record_review(p.officer, application)
    if state == A.REVIEWED:
        return application
    assert state != A.DECIDED, "a released decision passes at once into notice or approval"
    application = decide(p, application, "50000")
    if state == A.IN_NOTICE:
        return application
    # The end of the public notice listing it confirms it (keguan.portal), as here.
    application = APPLICATION_WORKFLOW.apply(p.officer, application, "confirm", automatic=True)
    assert state == A.APPROVED
    return application


def record_review(officer, application, score="85"):
    """The score a closed review round gives (the round's close applies this transition)."""
    return APPLICATION_WORKFLOW.apply(
        officer, application, "record_review", {"score": score}, automatic=True
    )


def decide(p, application, amount, fund=None, outcome="approve"):
    """A released decision meeting of the county's leadership about APPLICATION."""
    if outcome == "approve":
        fund = fund or county_fund(p.officer)
    return meeting_decides(p.leader, application, amount, fund, outcome)


def draft_meeting(leader, title="局务会"):
    """A meeting of LEADER's bureau being recorded, every member of its leadership group
    present (a quorum)."""
    from keguan.review import services as review
    from keguan.review.permissions import leadership_group

    return review.create_meeting(
        leader,
        {
            "title": title,
            "held_on": timezone.localdate(),
            "attendees": list(leadership_group(leader.bureau)),
        },
    )


def stage(leader, meeting, application, amount=None, fund=None, outcome="approve", **extra):
    """Stage one decision on APPLICATION at MEETING, everyone present voting for it."""
    from keguan.review import services as review

    data = {
        "application": application,
        "outcome": outcome,
        "note": "经局务会研究。",
        "votes_for": meeting.attendance.count(),
        **extra,
    }
    if outcome == "approve":
        data.update(amount=amount, fund=fund)
    return review.stage_decision(leader, meeting, data)


def meeting_decides(leader, application, amount=None, fund=None, outcome="approve"):
    """The one way a county decision is taken: a meeting of LEADER's bureau decides
    APPLICATION and LEADER releases it (an approval goes on to the public notice, or
    straight to approval when the call publishes none)."""
    from keguan.review.workflow import MEETING_WORKFLOW

    meeting = draft_meeting(leader)
    stage(leader, meeting, application, amount, fund, outcome)
    MEETING_WORKFLOW.apply(leader, meeting, "release")
    return Application.objects.get(pk=application.pk)


def make_project(personas, applicant=None, amount="80000", call=None, fund=None) -> Project:
    """A county project of APPLICANT's unit (alice's by default), approved the real way:
    decided at a meeting, confirmed as the end of its public notice confirms it."""
    officer = personas.officer
    applicant = applicant or personas.applicant_a
    call = call or make_call(officer)
    fund = fund or county_fund(officer)
    application = reviewed_application(applicant, officer, call)
    application = decide(personas, application, amount, fund)
    APPLICATION_WORKFLOW.apply(officer, application, "confirm", automatic=True)
    return Project.objects.get(application=application)


def under_way(personas, project: Project) -> Project:
    """Fill in the task book and sign it: milestones are set, the project is under way."""
    services.update_task_book(
        personas.officer,
        project,
        {
            "targets": "推广特种水稻1000亩，亩产提高10%",
            "start_on": timezone.localdate() - dt.timedelta(days=400),
            "end_on": timezone.localdate() + dt.timedelta(days=400),
        },
    )
    return PROJECT_WORKFLOW.apply(personas.officer, project, "sign_task_book")


def project_in(
    p, state: str, applicant=None, targets: str = "推广面积1000亩，培训农户200人次"
) -> Project:
    """A project of APPLICANT's unit (alice's by default) in STATE, through the workflows."""
    application = application_in(p, Application.State.APPROVED, applicant=applicant)
    project = Project.objects.get(application=application)
    if targets:
        project = services.update_task_book(p.officer, project, {"targets": targets})

    def go(action, data=None):
        nonlocal project
        project = PROJECT_WORKFLOW.apply(p.officer, project, action, data)

    if state == P.CONTRACTING:
        return project
    go("sign_task_book")
    if state == P.UNDER_WAY:
        return project
    if state == P.POSTPONED:
        go(
            "postpone",
            {
                "note": "延期验收。",
                "due_on": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
            },
        )
        return project
    go("request_acceptance")
    if state == P.ACCEPTANCE_REQUESTED:
        return project
    go("fail_acceptance" if state == P.FAILED else "pass_acceptance", {"note": "专家组意见"})
    if state in (P.PASSED, P.FAILED):
        return project
    go("close")
    assert state == P.CLOSED
    return project
