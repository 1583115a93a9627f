"""Project pages: the list and export, a project's page, the task book, the mid-term check,
progress reports, workflow actions, documents and tranches paid, persona by persona."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from keguan.audit.models import AuditEvent
from keguan.funds.models import Disbursement
from keguan.projects import services
from keguan.projects.models import Attachment, Milestone, ProgressReport, Project
from keguan.projects.workflow import PROJECT_WORKFLOW
from tests.factories import make_user, sign_in
from tests.projects.factories import make_call, pdf_upload, reviewed_application
from tests.projects.states import county_fund, make_project, under_way

pytestmark = pytest.mark.django_db


# The list.
def test_the_officer_lists_the_jurisdictions_projects_with_what_was_paid(client, personas):
    project = make_project(personas)
    from keguan.funds import services as funds

    funds.record_disbursement(
        personas.officer,
        project,
        {"amount": "30000", "paid_on": timezone.localdate(), "voucher_number": "A1"},
    )
    sign_in(client, personas.officer)
    response = client.get(reverse("projects:project_list"))
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [p.pk for p in rows] == [project.pk]
    assert rows[0].disbursed == Decimal("30000")
    assert rows[0].execution_rate == Decimal("37.5")
    assert "3.00" in response.text  # 30000 yuan in 萬元


def test_an_applicant_lists_only_its_own_units_projects(client, personas):
    own = make_project(personas)
    other = make_project(personas, applicant=personas.applicant_b)
    sign_in(client, personas.applicant_b)
    response = client.get(reverse("projects:project_list"))
    assert [p.pk for p in response.context["page"]] == [other.pk]
    assert own.number not in response.text
    assert "organization" not in response.context["form"].fields


def test_the_neighbouring_countys_officer_sees_none_of_our_projects(client, personas):
    make_project(personas)
    sign_in(client, personas.neighbour_officer)
    response = client.get(reverse("projects:project_list"))
    assert list(response.context["page"]) == []


def test_the_list_filters_by_township_organization_state_and_search(client, personas):
    from keguan.audit import services as audit

    with audit.writing():
        personas.org_b.township = "四股桥乡"
        personas.org_b.save()
        audit.record("test.township", obj=personas.org_b)
    first = make_project(personas)
    second = make_project(personas, applicant=personas.applicant_b)
    sign_in(client, personas.officer)
    url = reverse("projects:project_list")

    def listed(**params):
        return [p.pk for p in client.get(url, params).context["page"]]

    assert listed(township="四股桥乡") == [second.pk]
    assert listed(organization=personas.org_a.pk) == [first.pk]
    assert listed(q=second.number) == [second.pk]
    assert listed(q="甲企业") == [first.pk]
    assert listed(state=Project.State.UNDER_WAY) == []
    assert set(listed(state=Project.State.CONTRACTING, sort="-disbursed")) == {first.pk, second.pk}


def test_the_list_costs_the_same_queries_for_one_project_and_for_several(client, personas):
    call = make_call(personas.officer)
    fund = county_fund(personas.officer)
    make_project(personas, call=call, fund=fund)
    sign_in(client, personas.officer)
    url = reverse("projects:project_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    make_project(personas, applicant=personas.applicant_b, call=call, fund=fund)
    make_project(personas, call=call, fund=fund)
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert len(response.context["page"]) == 3
    assert len(three) == len(one)


def test_the_export_holds_the_filtered_list_with_the_same_columns(client, personas):
    first = make_project(personas)
    make_project(personas, applicant=personas.applicant_b)
    sign_in(client, personas.officer)
    response = client.get(reverse("projects:project_export"), {"organization": personas.org_a.pk})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert len(rows) == 2  # the header and the one project of org_a
    assert rows[1][0] == first.number
    assert rows[1][2] == "甲企业"


def test_people_outside_the_projects_get_no_list(client, personas):
    for persona in (personas.expert, personas.liaison, personas.sysadmin):
        client.logout()
        sign_in(client, persona)
        assert client.get(reverse("projects:project_list")).status_code == 404
        assert client.get(reverse("projects:project_export")).status_code == 404


# The project's page.
def test_the_project_page_shows_money_in_wan_yuan_with_what_is_left(client, personas):
    from keguan.funds import services as funds

    project = under_way(personas, make_project(personas, amount="80000"))
    funds.record_disbursement(
        personas.officer,
        project,
        {"amount": "20000", "paid_on": timezone.localdate(), "voucher_number": "记-001"},
    )
    sign_in(client, personas.applicant_a)
    response = client.get(reverse("projects:project_detail", args=[project.pk]))
    assert response.status_code == 200
    assert response.context["money"] == {
        "paid": Decimal("20000"),
        "left": Decimal("60000"),
        "execution_rate": Decimal("25.0"),
    }
    assert project.number in response.text
    assert "8.00" in response.text and "6.00" in response.text
    assert "记-001" in response.text


def test_an_overdue_milestone_is_highlighted(client, personas):
    project = under_way(personas, make_project(personas))
    milestone = project.milestones.order_by("due_on").first()
    assert milestone.due_on < timezone.localdate()  # the task book started 400 days ago
    sign_in(client, personas.officer)
    response = client.get(reverse("projects:project_detail", args=[project.pk]))
    assert "table-danger" in response.text


@pytest.mark.parametrize(
    "persona", ["applicant_b", "neighbour_officer", "expert", "liaison", "sysadmin"]
)
def test_others_get_404_for_the_project_page(client, personas, persona):
    project = make_project(personas)
    sign_in(client, getattr(personas, persona))
    assert client.get(reverse("projects:project_detail", args=[project.pk])).status_code == 404


def test_a_refused_look_at_a_project_is_audited(client, personas):
    project = make_project(personas)
    sign_in(client, personas.applicant_b)
    client.get(reverse("projects:project_detail", args=[project.pk]))
    assert AuditEvent.objects.filter(
        action="access.denied", object_type="projects.project", object_id=str(project.pk)
    ).exists()


# The task book.
def test_the_applicant_fills_in_the_task_book_while_it_is_agreed(client, personas):
    project = make_project(personas)
    sign_in(client, personas.applicant_a)
    url = reverse("projects:project_task_book", args=[project.pk])
    response = client.post(
        url,
        {"targets": "建设示范基地200亩", "start_on": "2025-07-01", "end_on": "2026-12-31"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.targets == "建设示范基地200亩"
    assert project.end_on == dt.date(2026, 12, 31)


def test_a_task_book_ending_before_it_starts_is_refused(client, personas):
    project = make_project(personas)
    sign_in(client, personas.officer)
    url = reverse("projects:project_task_book", args=[project.pk])
    response = client.post(
        url, {"targets": "目标", "start_on": "2026-07-01", "end_on": "2025-12-31"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_on"]
    project.refresh_from_db()
    assert project.targets == ""


def test_another_unit_cannot_touch_the_task_book(client, personas):
    project = make_project(personas)
    sign_in(client, personas.applicant_b)
    url = reverse("projects:project_task_book", args=[project.pk])
    response = client.post(url, {"targets": "x", "start_on": "2025-07-01", "end_on": "2026-1-1"})
    assert response.status_code == 404
    project.refresh_from_db()
    assert project.targets == ""


def test_the_signed_task_book_is_no_longer_edited(client, personas):
    project = under_way(personas, make_project(personas))
    sign_in(client, personas.officer)
    assert client.get(reverse("projects:project_task_book", args=[project.pk])).status_code == 404


# Workflow actions.
def test_the_officer_signs_the_task_book_from_the_project_page(client, personas):
    project = make_project(personas)
    services.update_task_book(
        personas.officer,
        project,
        {"targets": "目标", "start_on": dt.date(2025, 7, 1), "end_on": dt.date(2027, 6, 30)},
    )
    sign_in(client, personas.officer)
    url = reverse("projects:project_action", args=[project.pk, "sign_task_book"])
    client.post(url, {"expected_state": "contracting"})
    project.refresh_from_db()
    assert project.state == Project.State.UNDER_WAY
    assert project.milestones.exists()


def test_postponing_needs_a_new_date_and_a_reason(client, personas):
    project = under_way(personas, make_project(personas))
    sign_in(client, personas.officer)
    url = reverse("projects:project_action", args=[project.pk, "postpone"])
    new_date = timezone.localdate() + dt.timedelta(days=120)
    response = client.post(url, {"note": "缺少检测报告", "due_on": ""}, follow=True)
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.state == Project.State.UNDER_WAY
    client.post(url, {"note": "", "due_on": new_date.isoformat()})
    project.refresh_from_db()
    assert project.state == Project.State.UNDER_WAY
    client.post(url, {"note": "缺少检测报告", "due_on": new_date.isoformat()})
    project.refresh_from_db()
    assert project.state == Project.State.POSTPONED
    assert project.acceptance_due == new_date
    acceptance = project.milestones.get(kind=Milestone.Kind.ACCEPTANCE)
    assert acceptance.due_on == new_date


def test_an_applicant_cannot_pass_its_own_acceptance(client, personas):
    project = under_way(personas, make_project(personas))
    project = PROJECT_WORKFLOW.apply(personas.applicant_a, project, "request_acceptance")
    sign_in(client, personas.applicant_a)
    url = reverse("projects:project_action", args=[project.pk, "pass_acceptance"])
    assert client.post(url).status_code == 404
    project.refresh_from_db()
    assert project.state == Project.State.ACCEPTANCE_REQUESTED


# Mid-term check and progress reports.
def test_the_officer_records_the_mid_term_check(client, personas):
    project = under_way(personas, make_project(personas))
    sign_in(client, personas.officer)
    url = reverse("projects:project_midterm", args=[project.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"result": "behind", "note": "进度滞后两个月"})
    project.refresh_from_db()
    assert project.midterm_result == "behind"
    assert project.milestones.get(kind=Milestone.Kind.MIDTERM).done_at is not None


def test_the_unit_cannot_record_its_own_mid_term_check(client, personas):
    project = under_way(personas, make_project(personas))
    sign_in(client, personas.applicant_a)
    url = reverse("projects:project_midterm", args=[project.pk])
    assert client.post(url, {"result": "good"}).status_code == 404
    project.refresh_from_db()
    assert project.midterm_result == ""


def test_the_unit_reports_progress_and_the_earliest_report_milestone_is_done(client, personas):
    project = under_way(personas, make_project(personas))
    sign_in(client, personas.applicant_a)
    url = reverse("projects:project_report", args=[project.pk])
    response = client.post(
        url,
        {"period": "2025年下半年", "progress": "完成育秧200亩", "spent": "15000", "problems": ""},
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(project=project)
    assert report.spent == Decimal("15000")
    assert report.milestone.kind == Milestone.Kind.PROGRESS_REPORT


def test_the_officer_does_not_write_the_units_progress_report(client, personas):
    project = under_way(personas, make_project(personas))
    sign_in(client, personas.officer)
    url = reverse("projects:project_report", args=[project.pk])
    response = client.post(url, {"period": "x", "progress": "y", "spent": "0"})
    assert response.status_code == 404
    assert not ProgressReport.objects.exists()


# Documents.
def test_the_unit_uploads_a_document_to_its_project(client, personas, settings, tmp_path):
    settings.KEGUAN_ATTACHMENT_DIR = tmp_path
    project = under_way(personas, make_project(personas))
    sign_in(client, personas.applicant_a)
    url = reverse("projects:project_attachment_upload", args=[project.pk])
    client.post(url, {"kind": "progress_report", "file": pdf_upload("进展报告.pdf")})
    attachment = Attachment.objects.get(project=project)
    assert attachment.original_name == "进展报告.pdf"
    response = client.get(reverse("projects:project_detail", args=[project.pk]))
    assert "进展报告.pdf" in response.text


def test_another_unit_cannot_upload_to_the_project(client, personas, settings, tmp_path):
    settings.KEGUAN_ATTACHMENT_DIR = tmp_path
    project = make_project(personas)
    sign_in(client, personas.applicant_b)
    url = reverse("projects:project_attachment_upload", args=[project.pk])
    response = client.post(url, {"kind": "other", "file": pdf_upload()})
    assert response.status_code == 404
    assert not Attachment.objects.filter(project=project).exists()


# Tranches paid.
def test_the_officer_records_a_tranche(client, personas):
    project = under_way(personas, make_project(personas, amount="80000"))
    sign_in(client, personas.officer)
    url = reverse("projects:disbursement_create", args=[project.pk])
    response = client.post(
        url,
        {"amount": "50000", "paid_on": "2025-08-01", "voucher_number": "记-0801", "note": ""},
    )
    assert response.status_code == 302
    disbursement = Disbursement.objects.get(project=project)
    assert disbursement.amount == Decimal("50000")
    assert disbursement.fund is not None  # the committed allocation's fund


def test_paying_beyond_the_approved_amount_is_refused_and_nothing_is_saved(client, personas):
    project = under_way(personas, make_project(personas, amount="80000"))
    sign_in(client, personas.officer)
    url = reverse("projects:disbursement_create", args=[project.pk])
    client.post(url, {"amount": "50000", "paid_on": "2025-08-01", "voucher_number": "记-1"})
    response = client.post(
        url, {"amount": "30000.01", "paid_on": "2025-09-01", "voucher_number": "记-2"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["amount"]
    assert "30000.00" in errors[0] and "80000.00" in errors[0]
    assert Disbursement.objects.filter(project=project).count() == 1


@pytest.mark.parametrize("persona", ["applicant_a", "leader", "inspector", "neighbour_officer"])
def test_only_the_bureaus_officer_records_tranches(client, personas, persona):
    project = under_way(personas, make_project(personas))
    sign_in(client, getattr(personas, persona))
    url = reverse("projects:disbursement_create", args=[project.pk])
    response = client.post(url, {"amount": "100", "paid_on": "2025-08-01", "voucher_number": "x"})
    assert response.status_code == 404
    assert not Disbursement.objects.exists()


def test_the_city_officer_sees_the_countys_projects_too(client, personas):
    project = make_project(personas)
    user = make_user("cara", ["inspector"], personas.bureaus.city)
    sign_in(client, user)
    assert client.get(reverse("projects:project_detail", args=[project.pk])).status_code == 200


# The workbench.
def _panel(response, kind):
    return [p for p in response.context["panels"] if p["kind"] == kind]


def test_the_officers_workbench_lists_overdue_milestones_first(client, personas):
    project = under_way(personas, make_project(personas))
    sign_in(client, personas.officer)
    response = client.get(reverse("core:home"))
    [panel] = _panel(response, "milestones")
    dates = [m.due_on for m in panel["items"]]
    assert dates and dates == sorted(dates)
    assert dates[0] < timezone.localdate()
    assert project.number in response.text
    assert _("Overdue") in response.text


def test_the_officers_workbench_lists_applications_awaiting_the_formal_check(client, personas):
    from tests.projects.factories import submitted_application

    call = make_call(personas.officer)
    first = submitted_application(personas.applicant_a, call)
    second = submitted_application(personas.applicant_b, call)
    sign_in(client, personas.officer)
    response = client.get(reverse("core:home"))
    [panel] = _panel(response, "applications")
    assert [a.pk for a in panel["items"]] == [first.pk, second.pk]


def test_the_workbench_costs_the_same_queries_for_few_and_many_milestones(client, personas):
    call = make_call(personas.officer)
    fund = county_fund(personas.officer)
    under_way(personas, make_project(personas, call=call, fund=fund))
    sign_in(client, personas.officer)
    url = reverse("core:home")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    under_way(
        personas, make_project(personas, applicant=personas.applicant_b, call=call, fund=fund)
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_leaders_workbench_lists_applications_awaiting_decision(client, personas):
    call = make_call(personas.officer)
    reviewed = reviewed_application(personas.applicant_a, personas.officer, call)
    sign_in(client, personas.leader)
    response = client.get(reverse("core:home"))
    [panel] = _panel(response, "applications")
    assert [a.pk for a in panel["items"]] == [reviewed.pk]


def test_the_applicants_workbench_shows_open_calls_applications_and_milestones(client, personas):
    open_call = make_call(personas.officer)
    closed_to_kind = make_call(personas.officer, eligible_kinds=["university"])
    project = under_way(personas, make_project(personas))
    sign_in(client, personas.applicant_a)
    response = client.get(reverse("core:home"))
    [calls] = _panel(response, "calls")
    assert open_call in calls["items"] and closed_to_kind not in calls["items"]
    [applications] = _panel(response, "own_applications")
    assert project.application in applications["items"]
    [milestones] = _panel(response, "milestones")
    assert {m.project_id for m in milestones["items"]} == {project.pk}
