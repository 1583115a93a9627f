"""What an application must satisfy to go in: the call's window (on a frozen clock),
completeness, eligibility, the integrity record; and the duplicate hints officers see."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.accounts import services as accounts
from keguan.audit import services as audit
from keguan.audit.models import AuditEvent
from keguan.core.workflow import TransitionError
from keguan.projects import rules, services
from keguan.projects.attachments import store
from keguan.projects.models import Application, BudgetLine
from keguan.projects.workflow import APPLICATION_WORKFLOW, CALL_WORKFLOW
from tests.projects.factories import (
    make_application,
    make_call,
    make_id_number,
    pdf_upload,
    submitted_application,
)
from tests.projects.states import row

pytestmark = pytest.mark.django_db

A = Application.State
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
OPENS = dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
CLOSES = dt.datetime(2026, 12, 1, 17, 0, tzinfo=SHANGHAI)
SECOND = dt.timedelta(seconds=1)


def refusal_of(user, application, action: str = "submit") -> str:
    """Try ACTION; assert it is refused by the guard with nothing changed; return why."""
    before, events = row(application), AuditEvent.objects.count()
    with pytest.raises(TransitionError) as refused:
        APPLICATION_WORKFLOW.apply(user, application, action)
    assert refused.value.code == "guard_refused"
    assert row(application) == before
    assert AuditEvent.objects.count() == events
    return refused.value.message


def drafted_in_window(p, **call_extra) -> Application:
    """A complete draft to a call open from OPENS to CLOSES, made while it was open."""
    with time_machine.travel(OPENS + dt.timedelta(days=1), tick=False):
        call = make_call(p.officer, opens_at=OPENS, closes_at=CLOSES, **call_extra)
        return make_application(p.applicant_a, call)


# The window.
def test_submitting_one_second_before_the_close_goes_through(personas):
    application = drafted_in_window(personas)
    with time_machine.travel(CLOSES - SECOND, tick=False):
        application = APPLICATION_WORKFLOW.apply(personas.applicant_a, application, "submit")
    assert application.state == A.SUBMITTED
    assert application.submitted_at == CLOSES - SECOND


@pytest.mark.parametrize("late", [dt.timedelta(0), SECOND, dt.timedelta(days=3)])
def test_submitting_at_or_after_the_close_is_refused_naming_the_close_in_beijing_time(
    personas, late
):
    application = drafted_in_window(personas)
    with time_machine.travel(CLOSES + late, tick=False):
        message = refusal_of(personas.applicant_a, application)
    assert "2026-12-01 17:00" in message
    assert message == rules.closed_message(application.call)


def test_submitting_before_the_call_opens_is_refused_naming_the_opening(personas):
    application = drafted_in_window(personas)
    with time_machine.travel(OPENS - SECOND, tick=False):
        message = refusal_of(personas.applicant_a, application)
    assert "2026-11-02 09:00" in message
    with time_machine.travel(OPENS, tick=False):
        application = APPLICATION_WORKFLOW.apply(personas.applicant_a, application, "submit")
    assert application.state == A.SUBMITTED


def test_no_draft_can_be_started_outside_the_window(personas):
    with time_machine.travel(OPENS - dt.timedelta(days=5), tick=False):
        call = make_call(personas.officer, opens_at=OPENS, closes_at=CLOSES)
        with pytest.raises(ValidationError) as early:
            make_application(personas.applicant_a, call)
    assert "2026-11-02 09:00" in " ".join(early.value.messages)
    with time_machine.travel(CLOSES, tick=False), pytest.raises(ValidationError) as late:
        make_application(personas.applicant_a, call)
    assert "2026-12-01 17:00" in " ".join(late.value.messages)
    assert not Application.objects.exists()


def test_a_returned_application_cannot_be_resubmitted_after_the_close(personas):
    application = drafted_in_window(personas)
    with time_machine.travel(CLOSES - dt.timedelta(days=2), tick=False):
        application = APPLICATION_WORKFLOW.apply(personas.applicant_a, application, "submit")
        application = APPLICATION_WORKFLOW.apply(
            personas.officer, application, "return", {"note": "补充可行性报告。"}
        )
    with time_machine.travel(CLOSES + dt.timedelta(hours=1), tick=False):
        message = refusal_of(personas.applicant_a, application, "resubmit")
    assert "2026-12-01 17:00" in message
    with time_machine.travel(CLOSES - SECOND, tick=False):
        application = APPLICATION_WORKFLOW.apply(personas.applicant_a, application, "resubmit")
    assert application.state == A.SUBMITTED


def test_a_cancelled_call_takes_nothing(personas):
    call = make_call(personas.officer)
    application = make_application(personas.applicant_a, call)
    CALL_WORKFLOW.apply(personas.officer, call, "cancel", {"note": "政策调整"})
    assert refusal_of(personas.applicant_a, application) == _("The call is not published.")


def test_the_close_time_can_be_moved_later_to_let_a_late_unit_in(personas):
    application = drafted_in_window(personas)
    later = CLOSES + dt.timedelta(days=7)
    with time_machine.travel(CLOSES + dt.timedelta(hours=2), tick=False):
        refusal_of(personas.applicant_a, application)
        services.update_call(personas.officer, application.call, {"closes_at": later})
        application = APPLICATION_WORKFLOW.apply(personas.applicant_a, application, "submit")
    assert application.state == A.SUBMITTED


# Completeness.
def _blank(field):
    def change(p, application):
        services.update_application(p.applicant_a, application, {field: ""})

    return change


def _whitespace_title(p, application):
    services.update_application(p.applicant_a, application, {"title": "   "})


def _no_dates(p, application):
    services.update_application(p.applicant_a, application, {"start_on": None, "end_on": None})


def _no_team(p, application):
    services.replace_team(p.applicant_a, application, [])


def _no_budget(p, application):
    services.replace_budget(p.applicant_a, application, [])


def _nothing_asked(p, application):
    services.replace_budget(
        p.applicant_a,
        application,
        [{"category": "equipment", "requested": Decimal("0"), "self_raised": Decimal("5000")}],
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_whitespace_title, "The title is missing."),
        (_blank("summary"), "The summary is missing."),
        (_blank("discipline_code"), "The discipline code is missing."),
        (_no_dates, "The planned start and end dates are missing."),
        (_no_team, "The team needs exactly one project leader."),
        (_no_budget, "The budget has no lines."),
        (_nothing_asked, "The budget asks for no money from the program."),
    ],
)
def test_an_incomplete_application_is_refused_naming_what_is_missing(personas, change, problem):
    call = make_call(personas.officer)
    application = make_application(personas.applicant_a, call)
    change(personas, application)
    application = Application.objects.get(pk=application.pk)
    message = refusal_of(personas.applicant_a, application)
    assert _(problem) in message
    assert rules.completeness_problems(application) == [_(problem)]


def test_an_empty_draft_is_told_everything_it_lacks_at_once(personas):
    call = make_call(personas.officer)
    application = make_application(
        personas.applicant_a, call, complete=False, summary="", discipline_code=""
    )
    message = refusal_of(personas.applicant_a, application)
    for problem in (
        "The summary is missing.",
        "The discipline code is missing.",
        "The team needs exactly one project leader.",
        "The budget has no lines.",
    ):
        assert _(problem) in message


def test_a_missing_required_attachment_is_named_and_an_uploaded_one_satisfies_it(
    personas, settings, tmp_path
):
    settings.KEGUAN_ATTACHMENT_DIR = tmp_path
    call = make_call(
        personas.officer, required_attachments=["feasibility_report", "business_license"]
    )
    application = make_application(personas.applicant_a, call)
    message = refusal_of(personas.applicant_a, application)
    assert _("Feasibility report") in message
    assert _("Business licence") in message
    store(personas.applicant_a, pdf_upload(), kind="feasibility_report", application=application)
    message = refusal_of(personas.applicant_a, application)
    assert _("Feasibility report") not in message
    assert _("Business licence") in message
    store(
        personas.applicant_a,
        pdf_upload("营业执照.pdf"),
        kind="business_license",
        application=application,
    )
    application = APPLICATION_WORKFLOW.apply(personas.applicant_a, application, "submit")
    assert application.state == A.SUBMITTED


def test_the_budget_cannot_be_drafted_over_the_calls_ceiling(personas):
    call = make_call(personas.officer, budget_ceiling=Decimal("90000"))
    application = make_application(personas.applicant_a, call, complete=False)
    with pytest.raises(ValidationError) as refused:
        services.replace_budget(
            personas.applicant_a,
            application,
            [{"category": "equipment", "requested": Decimal("90000.01")}],
        )
    assert "90000" in " ".join(refused.value.messages)
    assert not BudgetLine.objects.exists()


def test_a_budget_over_the_ceiling_is_refused_at_submission_naming_both_amounts(personas):
    call = make_call(personas.officer, budget_ceiling=Decimal("100000"))
    application = make_application(personas.applicant_a, call)
    # A line written outside the budget form (an import of older data, say): the
    # submission check must catch what the form would have.
    with audit.writing():
        line = BudgetLine.objects.create(
            application=application, category="testing", requested=Decimal("500")
        )
        audit.record("test.budget_line", obj=line)
    message = refusal_of(personas.applicant_a, application)
    assert "100500" in message and "100000" in message


def test_an_organization_of_a_kind_the_call_does_not_admit_is_refused(personas):
    call = make_call(personas.officer, eligible_kinds=["enterprise", "cooperative"])
    application = make_application(personas.applicant_a, call)
    accounts.update_organization(personas.officer, personas.org_a, {"kind": "township"})
    message = refusal_of(personas.applicant_a, Application.objects.get(pk=application.pk))
    assert _("Township government") in message


def test_an_organization_may_not_submit_more_than_the_call_allows(personas):
    call = make_call(personas.officer, max_per_organization=1)
    submitted_application(personas.applicant_a, call)
    second = make_application(personas.applicant_a, call)
    message = refusal_of(personas.applicant_a, second)
    assert message == _("An organization may submit at most %(n)d application(s) to this call.") % {
        "n": 1
    }
    # Another organization is not affected.
    other = submitted_application(personas.applicant_b, call)
    assert other.state == A.SUBMITTED


def test_a_withdrawn_or_refused_application_does_not_count_against_the_limit(personas):
    call = make_call(personas.officer, max_per_organization=1)
    first = submitted_application(personas.applicant_a, call)
    APPLICATION_WORKFLOW.apply(personas.officer, first, "refuse", {"note": "不符合条件"})
    second = submitted_application(personas.applicant_a, call)
    APPLICATION_WORKFLOW.apply(personas.applicant_a, second, "withdraw")
    third = submitted_application(personas.applicant_a, call)
    assert third.state == A.SUBMITTED


# Integrity.
def _penalty(p, today, **data):
    values = {
        "reason": "虚报冒领项目经费",
        "starts_on": today - dt.timedelta(days=365),
        "ends_on": today + dt.timedelta(days=365),
    }
    values.update(data)
    return services.record_integrity_penalty(p.officer, values)


def test_a_penalty_on_the_organization_refuses_the_submission_with_the_reason(personas):
    today = timezone.localdate()
    application = make_application(personas.applicant_a, make_call(personas.officer))
    _penalty(personas, today, organization=personas.org_a)
    message = refusal_of(personas.applicant_a, application)
    assert personas.org_a.name in message
    assert "虚报冒领项目经费" in message
    assert (today + dt.timedelta(days=365)).isoformat() in message


def test_a_penalty_on_a_team_members_id_number_refuses_the_submission(personas):
    today = timezone.localdate()
    leader_id = make_id_number("19751212")
    application = make_application(
        personas.applicant_a, make_call(personas.officer), leader_id_number=leader_id
    )
    _penalty(personas, today, person_name="杨玉梁", id_number=leader_id, reason="论文造假")
    message = refusal_of(personas.applicant_a, application)
    assert "杨玉梁" in message and "论文造假" in message


def test_a_penalty_ending_today_still_bars_but_an_expired_or_future_one_does_not(personas):
    today = timezone.localdate()
    application = make_application(personas.applicant_a, make_call(personas.officer))
    _penalty(personas, today, organization=personas.org_a, ends_on=today)
    refusal_of(personas.applicant_a, application)
    with time_machine.travel(
        dt.datetime.combine(today + dt.timedelta(days=1), dt.time(10), SHANGHAI)
    ):
        assert rules.integrity_refusal(application) is None
    _penalty(
        personas,
        today,
        organization=personas.org_a,
        starts_on=today + dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=30),
    )
    assert rules.integrity_refusal(application, today=today - dt.timedelta(days=400)) is None


def test_an_expired_penalty_does_not_refuse(personas):
    today = timezone.localdate()
    application = make_application(personas.applicant_a, make_call(personas.officer))
    _penalty(
        personas,
        today,
        organization=personas.org_a,
        starts_on=today - dt.timedelta(days=800),
        ends_on=today - dt.timedelta(days=1),
    )
    application = APPLICATION_WORKFLOW.apply(personas.applicant_a, application, "submit")
    assert application.state == A.SUBMITTED


def test_a_penalty_on_another_organization_or_person_does_not_refuse(personas):
    today = timezone.localdate()
    application = make_application(personas.applicant_a, make_call(personas.officer))
    _penalty(personas, today, organization=personas.org_b)
    _penalty(personas, today, person_name="王某", id_number=make_id_number("19660606"))
    application = APPLICATION_WORKFLOW.apply(personas.applicant_a, application, "submit")
    assert application.state == A.SUBMITTED


# Duplicate hints.
EARLIER_TITLE = "特种水稻高产栽培技术示范与推广"
TITLE = "特种水稻高产栽培技术示范推广"


def test_the_same_unit_with_a_similar_title_in_an_earlier_year_is_flagged(personas):
    old_call = make_call(personas.officer, year=2024)
    earlier = submitted_application(
        personas.applicant_a, old_call, title=EARLIER_TITLE, summary="二〇二四年的示范。"
    )
    application = make_application(
        personas.applicant_a, make_call(personas.officer), title=TITLE, summary="本年度的推广。"
    )
    application = APPLICATION_WORKFLOW.apply(personas.applicant_a, application, "submit")
    assert application.state == A.SUBMITTED
    [hint] = application.duplicate_hints
    assert hint["application"] == earlier.pk
    assert hint["year"] == 2024
    assert hint["same_organization"] is True
    assert hint["title_similarity"] >= rules.TITLE_SIMILARITY
    assert hint["title"] == EARLIER_TITLE


def test_the_same_unit_with_a_similar_title_in_another_call_this_year_is_flagged(personas):
    other = submitted_application(
        personas.applicant_a, make_call(personas.officer), title=EARLIER_TITLE, summary="甲。"
    )
    call = make_call(personas.officer)
    application = submitted_application(personas.applicant_a, call, title=TITLE, summary="乙。")
    assert [h["application"] for h in application.duplicate_hints] == [other.pk]
    assert application.duplicate_hints[0]["year"] == call.year


def test_a_dissimilar_title_and_summary_are_not_flagged(personas):
    submitted_application(
        personas.applicant_a,
        make_call(personas.officer),
        title="油茶低产林改造技术集成",
        summary="在山区乡镇开展油茶低产林改造。",
    )
    application = submitted_application(
        personas.applicant_a, make_call(personas.officer), title=TITLE, summary="水稻推广。"
    )
    assert application.duplicate_hints == []


def test_a_similar_summary_alone_is_flagged(personas):
    summary = "在四股桥乡、马家乡推广特种水稻高产栽培技术，示范面积一千亩，辐射带动五千亩。"
    submitted_application(
        personas.applicant_a, make_call(personas.officer), title="优质稻示范", summary=summary
    )
    application = submitted_application(
        personas.applicant_a,
        make_call(personas.officer),
        title="油茶低产林改造",
        summary=summary.replace("一千", "一千二百"),
    )
    [hint] = application.duplicate_hints
    assert hint["summary_similarity"] >= rules.SUMMARY_SIMILARITY


def test_the_same_leader_in_another_organization_is_flagged(personas):
    leader_id = make_id_number("19700707")
    theirs = submitted_application(
        personas.applicant_b,
        make_call(personas.officer),
        title=EARLIER_TITLE,
        summary="乙企业的示范。",
        leader_id_number=leader_id,
    )
    # The same title from another unit with another leader is not a duplicate.
    submitted_application(
        personas.applicant_b, make_call(personas.officer), title=TITLE, summary="丙。"
    )
    application = submitted_application(
        personas.applicant_a,
        make_call(personas.officer),
        title=TITLE,
        summary="甲企业的推广。",
        leader_id_number=leader_id,
    )
    [hint] = application.duplicate_hints
    assert hint["application"] == theirs.pk
    assert hint["same_organization"] is False


def test_drafts_withdrawn_and_same_call_applications_are_not_flagged(personas):
    call = make_call(personas.officer)
    make_application(personas.applicant_a, make_call(personas.officer), title=EARLIER_TITLE)
    withdrawn = submitted_application(
        personas.applicant_a, make_call(personas.officer), title=EARLIER_TITLE
    )
    APPLICATION_WORKFLOW.apply(personas.applicant_a, withdrawn, "withdraw")
    submitted_application(personas.applicant_a, call, title=EARLIER_TITLE, summary="一。")
    application = submitted_application(personas.applicant_a, call, title=TITLE, summary="二。")
    assert application.duplicate_hints == []


def test_duplicate_hints_never_refuse_a_submission(personas):
    submitted_application(personas.applicant_a, make_call(personas.officer), title=TITLE)
    application = make_application(personas.applicant_a, make_call(personas.officer), title=TITLE)
    assert rules.submission_refusal(application, {}) is None
    application = APPLICATION_WORKFLOW.apply(personas.applicant_a, application, "submit")
    assert application.state == A.SUBMITTED
    assert application.duplicate_hints[0]["title_similarity"] == 100


# Double submission.
def test_submitting_twice_submits_once_with_one_event(personas):
    application = make_application(personas.applicant_a, make_call(personas.officer))
    first, submitted = services.submit_application(personas.applicant_a, application)
    assert (first.state, submitted) == (A.SUBMITTED, True)
    # The same stale object again (a double click) ...
    again, submitted_again = services.submit_application(personas.applicant_a, application)
    assert (again.pk, again.state, submitted_again) == (application.pk, A.SUBMITTED, False)
    # ... and a fresh copy (a retried request) both find it already in.
    fresh = Application.objects.get(pk=application.pk)
    third, submitted_third = services.submit_application(personas.applicant_a, fresh)
    assert (third.state, submitted_third) == (A.SUBMITTED, False)
    assert (
        AuditEvent.objects.filter(
            action="projects.application.submit", object_id=str(application.pk)
        ).count()
        == 1
    )


def test_resubmitting_twice_resubmits_once(personas):
    application = submitted_application(personas.applicant_a, make_call(personas.officer))
    application = APPLICATION_WORKFLOW.apply(
        personas.officer, application, "return", {"note": "请补充。"}
    )
    first, done = services.submit_application(personas.applicant_a, application)
    assert (first.state, done) == (A.SUBMITTED, True)
    second, done_again = services.submit_application(personas.applicant_a, application)
    assert (second.state, done_again) == (A.SUBMITTED, False)
    assert AuditEvent.objects.filter(action="projects.application.resubmit").count() == 1


def test_another_unit_cannot_use_the_double_submit_path_to_learn_anything(personas):
    application = make_application(personas.applicant_a, make_call(personas.officer))
    stale = Application.objects.get(pk=application.pk)
    services.submit_application(personas.applicant_a, application)
    with pytest.raises(TransitionError) as refused:
        services.submit_application(personas.applicant_b, stale)
    assert refused.value.code in ("stale_state", "forbidden")
    fresh = Application.objects.get(pk=application.pk)
    with pytest.raises(TransitionError) as refused:
        services.submit_application(personas.applicant_b, fresh)
    assert refused.value.code in ("invalid_state", "forbidden")


def test_a_refused_submission_is_not_mistaken_for_a_double_submit(personas):
    application = make_application(
        personas.applicant_a, make_call(personas.officer), discipline_code=""
    )
    with pytest.raises(TransitionError) as refused:
        services.submit_application(personas.applicant_a, application)
    assert refused.value.code == "guard_refused"
    assert Application.objects.get(pk=application.pk).state == A.DRAFT
