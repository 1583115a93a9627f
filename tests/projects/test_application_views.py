"""The application pages: the list and its export, starting, editing, the detail page and
its actions, seen by each persona."""

import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from keguan.accounts import services as accounts
from keguan.audit.models import AuditEvent
from keguan.core.workflow import StaleStateError
from keguan.funds.models import Allocation
from keguan.projects import attachments
from keguan.projects.models import Application, Attachment, Level, TeamMember
from keguan.projects.views.applications import COLUMNS
from keguan.projects.workflow import APPLICATION_WORKFLOW
from tests.factories import sign_in
from tests.projects.factories import (
    make_application,
    make_call,
    make_fund,
    make_id_number,
    make_program,
    pdf_upload,
    reviewed_application,
    submitted_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def store_dir(settings, tmp_path):
    settings.KEGUAN_ATTACHMENT_DIR = tmp_path / "attachments"


@pytest.fixture
def call(personas):
    return make_call(personas.officer)


@pytest.fixture
def application(personas, call):
    return make_application(personas.applicant_a, call, title="特种水稻高产栽培技术示范")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def in_zh(text) -> str:
    with translation.override("zh-hans"):
        return str(text)


def url(name, *args):
    return reverse(f"projects:{name}", args=args)


# The list.
def list_titles(response) -> list[str]:
    return [a.title for a in response.context["page"]]


def test_the_list_filters_by_call_level_year_state_township_organization_and_field(
    client, personas, call
):
    accounts.update_organization(None, personas.org_b, {"township": "四股桥乡"})
    # A year no current-year call can have, whatever year the tests run in.
    other_year = timezone.localdate().year + 5
    provincial = make_call(
        personas.officer, make_program(personas.officer, level=Level.PROVINCIAL), year=other_year
    )
    make_application(personas.applicant_a, call, title="甲县级草稿", field="农业")
    submitted_application(personas.applicant_b, call, title="乙县级已交", field="工业")
    make_application(personas.applicant_a, provincial, title="甲省级草稿", field="农业")
    sign_in(client, personas.officer)
    cases = {
        f"call={call.pk}": {"甲县级草稿", "乙县级已交"},
        "level=provincial": {"甲省级草稿"},
        f"year={other_year}": {"甲省级草稿"},
        "state=submitted": {"乙县级已交"},
        "township=四股桥乡": {"乙县级已交"},
        f"organization={personas.org_a.pk}": {"甲县级草稿", "甲省级草稿"},
        "field=工业": {"乙县级已交"},
        "q=乙企业": {"乙县级已交"},
        "q=省级": {"甲省级草稿"},
        "": {"甲县级草稿", "乙县级已交", "甲省级草稿"},
    }
    for query, expected in cases.items():
        response = client.get(url("application_list") + "?" + query)
        assert response.status_code == 200
        assert set(list_titles(response)) == expected, query


def test_the_list_sorts_by_the_requested_total_summed_in_the_database(client, personas, call):
    small = make_application(personas.applicant_a, call, title="少")
    big = make_application(personas.applicant_b, call, title="多")
    from keguan.projects import services

    services.replace_budget(
        personas.applicant_b,
        big,
        [{"category": "equipment", "requested": Decimal("150000"), "self_raised": 0}],
    )
    sign_in(client, personas.officer)
    response = client.get(url("application_list") + "?sort=-requested")
    assert list_titles(response) == ["多", "少"]
    assert [a.requested_sum for a in response.context["page"]] == [
        Decimal("150000"),
        small.requested_total,
    ]
    assert list_titles(client.get(url("application_list") + "?sort=requested")) == ["少", "多"]


def test_an_applicant_lists_only_their_own_organization(client, personas, call):
    make_application(personas.applicant_a, call, title="甲的")
    make_application(personas.applicant_b, call, title="乙的")
    sign_in(client, personas.applicant_a)
    response = client.get(url("application_list"))
    assert list_titles(response) == ["甲的"]
    assert "organization" not in response.context["form"].fields


def test_an_officer_of_another_county_lists_nothing_of_ours(client, personas, call):
    make_application(personas.applicant_a, call)
    sign_in(client, personas.neighbour_officer)
    assert list_titles(client.get(url("application_list"))) == []


@pytest.mark.parametrize("persona", ["expert", "liaison", "sysadmin", "party_member"])
def test_people_without_applications_to_see_get_no_list(client, personas, persona):
    sign_in(client, getattr(personas, persona))
    assert client.get(url("application_list")).status_code == 404
    assert client.get(url("application_export")).status_code == 404


def test_the_list_takes_the_same_number_of_queries_for_one_or_five_rows(client, personas, call):
    sign_in(client, personas.officer)
    make_application(personas.applicant_a, call)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("application_list")).status_code == 200
        return len(queries)

    one = count()
    for n in range(4):
        make_application(personas.applicant_b, call, title=f"第{n}个")
    assert len(list_titles(client.get(url("application_list")))) == 5
    assert count() == one


def test_the_export_has_the_columns_of_the_page_and_the_filtered_rows(client, personas, call):
    make_application(personas.applicant_a, call, title="=HYPERLINK(1)")
    submitted_application(personas.applicant_b, call, title="乙已交")
    sign_in(client, personas.officer)
    page = client.get(url("application_list") + "?state=submitted")
    headers = re.findall(r'<th scope="col">([^<]*)</th>', page.text)
    response = client.get(url("application_export") + "?state=submitted")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == headers == [in_zh(c.label) for c in COLUMNS]
    assert len(rows) == 2
    assert rows[1][0] == "乙已交"
    assert rows[1][1] == personas.org_b.name
    assert Decimal(str(rows[1][6])) == Decimal("10.00")  # 100,000 yuan in 10,000 yuan
    assert AuditEvent.objects.filter(action="projects.application.export").exists()
    everything = client.get(url("application_export"))
    values = [r[0] for r in openpyxl.load_workbook(io.BytesIO(everything.content)).active.values]
    assert "'=HYPERLINK(1)" in values  # a formula-looking title stays text


# Starting.
def test_an_applicant_starts_a_draft_and_lands_on_its_edit_page(client, personas, call):
    sign_in(client, personas.applicant_a)
    response = client.post(url("application_start", call.pk))
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("application_edit", application.pk)
    assert application.organization == personas.org_a


def test_starting_from_a_candidate_of_another_organization_is_refused(client, personas, call):
    from keguan.projects import services

    candidate = services.create_candidate(
        personas.officer,
        personas.org_b,
        {"title": "乙的储备项目", "field": "农业", "target_level": Level.COUNTY},
    )
    sign_in(client, personas.applicant_a)
    response = client.post(url("application_start", call.pk), {"candidate": candidate.pk})
    assert response.status_code == 404
    assert not Application.objects.exists()


def test_an_officer_cannot_start_an_application(client, personas, call):
    sign_in(client, personas.officer)
    assert client.post(url("application_start", call.pk)).status_code == 404
    assert not Application.objects.exists()


def test_starting_after_the_call_closed_says_when_it_closed(client, personas, call):
    with time_machine.travel(call.closes_at + dt.timedelta(minutes=5)):
        sign_in(client, personas.applicant_a)
        response = client.post(url("application_start", call.pk))
    assert response.status_code == 302
    assert not Application.objects.exists()
    closed = timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")
    assert any(closed in m for m in messages_of(response))


# Editing.
def edit_data(application, team=None, budget=None, **fields) -> dict:
    data = {
        "title": application.title,
        "summary": application.summary,
        "discipline_code": application.discipline_code,
        "field": application.field,
        "start_on": application.start_on.isoformat(),
        "end_on": application.end_on.isoformat(),
        "expected_patents": 1,
        "expected_products": 1,
        "expected_revenue": "500000",
        "expected_jobs": 3,
    }
    data.update(fields)
    team = team or []
    budget = budget or []
    for prefix, rows in (("team", team), ("budget", budget)):
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = 0
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{index}-{key}"] = value
    return data


def leader(**extra):
    row = {"name": "杨玉梁", "unit": "甲企业", "role": "leader", "title": "研究员"}
    row["id_number"] = make_id_number()
    row.update(extra)
    return row


def member(**extra):
    row = {"name": "李明", "unit": "甲企业", "role": "member", "title": ""}
    row["id_number"] = make_id_number("19900202")
    row.update(extra)
    return row


def line(category="equipment", requested="50000", self_raised="10000"):
    return {"category": category, "requested": requested, "self_raised": self_raised}


def test_the_edit_page_saves_fields_team_and_budget_together(client, personas, application):
    sign_in(client, personas.applicant_a)
    data = edit_data(
        application,
        team=[leader(), member(name="王芳")],
        budget=[line(), line("travel", "5000", "0"), {"category": "", "requested": ""}],
        title="新题目",
    )
    response = client.post(url("application_edit", application.pk), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title == "新题目"
    assert [m.name for m in application.team.all()] == ["杨玉梁", "王芳"]
    assert application.requested_total == Decimal("55000")


def test_a_bad_id_number_is_shown_on_its_row_and_nothing_is_saved(client, personas, application):
    sign_in(client, personas.applicant_a)
    team_before = list(application.team.values_list("name", flat=True))
    data = edit_data(
        application,
        team=[leader(), member(id_number="361127199002021234")],
        budget=[line()],
        title="不该保存的新题目",
    )
    response = client.post(url("application_edit", application.pk), data)
    assert response.status_code == 200
    rows = response.context["team"].forms
    assert rows[1].errors["id_number"]
    assert "361127199002021234" in rows[1].errors["id_number"][0]
    assert not rows[0].errors
    assert 'id="id_team-1-id_number-errors"' in response.text
    application.refresh_from_db()
    assert application.title == "特种水稻高产栽培技术示范"
    assert list(application.team.values_list("name", flat=True)) == team_before
    assert application.requested_total == Decimal("100000")


def test_budget_row_errors_and_the_ceiling_are_shown_where_they_belong(
    client, personas, application
):
    sign_in(client, personas.applicant_a)
    data = edit_data(
        application,
        team=[leader()],
        budget=[line("equipment", "150000"), line("equipment", "60000")],
    )
    response = client.post(url("application_edit", application.pk), data)
    assert response.status_code == 200
    rows = response.context["budget"].forms
    assert rows[1].errors["category"]
    assert not rows[0].errors
    data = edit_data(application, team=[leader()], budget=[line("equipment", "250000")])
    response = client.post(url("application_edit", application.pk), data)
    assert response.context["top_errors"]["budget"]
    assert application.budget_lines.count() == 2


def test_the_team_comes_back_masked_and_an_unchanged_mask_keeps_the_number(
    client, personas, application
):
    sign_in(client, personas.applicant_a)
    stored = [m.id_number for m in application.team.all()]
    page = client.get(url("application_edit", application.pk))
    assert page.status_code == 200
    for number in stored:
        assert number not in page.text
    initial = page.context["team"].initial
    data = edit_data(application, team=initial, budget=[line()])
    data["team-INITIAL_FORMS"] = len(initial)
    assert client.post(url("application_edit", application.pk), data).status_code == 302
    assert [m.id_number for m in application.team.all()] == stored


def test_the_edit_page_shows_the_deadline_and_what_is_missing(client, personas, call):
    call_needing = make_call(personas.officer, required_attachments=["business_license"])
    application = make_application(personas.applicant_a, call_needing, complete=False)
    sign_in(client, personas.applicant_a)
    response = client.get(url("application_edit", application.pk))
    assert timezone.localtime(call_needing.closes_at).strftime("%Y-%m-%d %H:%M") in response.text
    problems = response.context["problems"]
    assert any("team" in p or "团队" in p or "負責人" in p or "负责人" in p for p in problems)
    assert len(problems) >= 3
    for problem in problems:
        assert str(problem) in response.text.replace("&ldquo;", "“").replace("&rdquo;", "”")


def test_a_submitted_application_can_no_longer_be_edited(client, personas, call):
    application = submitted_application(personas.applicant_a, call)
    sign_in(client, personas.applicant_a)
    response = client.post(url("application_edit", application.pk), {"title": "改"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title != "改"


# Detail.
def test_the_detail_masks_id_numbers_for_everyone(client, personas, application):
    numbers = [m.id_number for m in application.team.all()]
    for persona in ("applicant_a", "officer", "leader", "inspector"):
        client.logout()
        sign_in(client, getattr(personas, persona))
        response = client.get(url("application_detail", application.pk))
        assert response.status_code == 200
        for number in numbers:
            assert number not in response.text
            assert number[:3] + "*" * 11 + number[-4:] in response.text


def test_history_and_duplicate_hints_are_for_the_bureau_only(client, personas, call):
    earlier = make_call(personas.officer, year=2020)
    first = submitted_application(personas.applicant_a, earlier, title="特种水稻高产栽培技术示范")
    second = submitted_application(personas.applicant_a, call, title="特种水稻高产栽培技术示范")
    sign_in(client, personas.officer)
    response = client.get(url("application_detail", second.pk))
    assert response.context["duplicate_hints"][0]["application"] == first.pk
    assert url("application_detail", first.pk) in response.text
    assert any(e.action == "projects.application.submit" for e in response.context["history"])
    client.logout()
    sign_in(client, personas.applicant_a)
    response = client.get(url("application_detail", second.pk))
    assert response.context["duplicate_hints"] == []
    assert list(response.context["history"]) == []
    assert url("application_detail", first.pk) not in response.text


def test_the_detail_offers_only_the_kinds_of_documents_and_lists_the_missing(
    client, personas, english
):
    call = make_call(personas.officer, required_attachments=["business_license", "photo"])
    application = make_application(personas.applicant_a, call)
    attachments.store(
        personas.applicant_a, pdf_upload(), kind="business_license", application=application
    )
    sign_in(client, personas.applicant_a)
    response = client.get(url("application_detail", application.pk))
    assert [str(label) for label in response.context["missing_kinds"]] == [in_zh("Photograph")]
    kinds = dict(response.context["upload_form"].fields["kind"].choices)
    assert set(kinds) == set(attachments.AttachmentKind.values)


# Actions.
def act(client, application, action, **data):
    data.setdefault("expected_state", application.state)
    return client.post(url("application_action", application.pk, action), data)


def test_a_double_click_on_submit_submits_once(client, personas, application, english):
    sign_in(client, personas.applicant_a)
    first = act(client, application, "submit")
    second = act(client, application, "submit")
    assert first.status_code == second.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    assert AuditEvent.objects.filter(action="projects.application.submit").count() == 1
    assert messages_of(second)[-1] == in_zh("The application has already been submitted.")


def test_submitting_after_the_close_time_shows_the_close_time(client, personas, application):
    call = application.call
    with time_machine.travel(call.closes_at + dt.timedelta(hours=1)):
        sign_in(client, personas.applicant_a)  # sessions expire: sign in at the new time
        response = act(client, application, "submit")
        page = client.get(response["Location"])
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT
    closed = timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")
    alerts = re.findall(r'<div class="alert alert-danger">([^<]*)</div>', page.text)
    assert len(alerts) == 1
    assert closed in alerts[0]
    assert not AuditEvent.objects.filter(action="projects.application.submit").exists()


def test_an_officer_acting_on_a_stale_page_is_told_someone_else_acted(client, personas, call):
    application = submitted_application(personas.applicant_a, call)
    sign_in(client, personas.officer)
    assert act(client, application, "pass_check").status_code == 302
    response = act(client, application, "return", note="补材料")
    application.refresh_from_db()
    assert application.state == Application.State.CHECKED
    assert messages_of(response)[-1] == in_zh(StaleStateError().message)


def test_an_officer_cannot_record_a_review_score_by_hand(client, personas, call):
    """The score comes from the closed review round, not from the application page."""
    application = submitted_application(personas.applicant_a, call)
    application = APPLICATION_WORKFLOW.apply(personas.officer, application, "pass_check")
    sign_in(client, personas.officer)
    page = client.get(url("application_detail", application.pk))
    assert "record_review" not in {t.action for t in page.context["actions"]}
    response = act(client, application, "record_review", score="88.5", note="技术路线清楚")
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == Application.State.CHECKED
    assert (application.review_score, application.review_comment) == (None, "")
    assert not AuditEvent.objects.filter(action="projects.application.record_review").exists()


def test_a_leader_cannot_decide_funding_from_the_application_page(client, personas, call):
    """Funding is decided at a meeting of the leadership group, released as a whole."""
    fund = make_fund(personas.officer)
    application = reviewed_application(personas.applicant_a, personas.officer, call)
    sign_in(client, personas.leader)
    page = client.get(url("application_detail", application.pk))
    assert page.context["actions"] == []
    for action, data in (
        ("decide_approve", {"amount": "80000", "fund": str(fund.pk)}),
        ("decide_reject", {"note": "不予支持"}),
    ):
        assert act(client, application, action, **data).status_code == 404
    application.refresh_from_db()
    assert application.state == Application.State.REVIEWED
    assert application.granted_amount is None
    assert not Allocation.objects.exists()


def test_an_applicant_cannot_take_an_officers_action(client, personas, call):
    application = submitted_application(personas.applicant_a, call)
    sign_in(client, personas.applicant_a)
    assert act(client, application, "pass_check").status_code == 404
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED


# Another organization's applicant.
def test_the_applicant_of_another_organization_gets_404_and_changes_nothing(
    client, personas, application
):
    sign_in(client, personas.applicant_b)
    before = (application.title, application.state, application.team.count())
    pages = [
        client.get(url("application_detail", application.pk)),
        client.get(url("application_edit", application.pk)),
        client.post(url("application_edit", application.pk), edit_data(application, title="X")),
        act(client, application, "submit"),
        act(client, application, "withdraw"),
        client.post(
            url("application_attachment_upload", application.pk),
            {"kind": "other", "file": pdf_upload()},
        ),
    ]
    assert [p.status_code for p in pages] == [404] * len(pages)
    application.refresh_from_db()
    assert (application.title, application.state, application.team.count()) == before
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.filter(
        action="access.denied", object_type="projects.application", actor_id=personas.applicant_b.pk
    ).count() == len(pages)
    assert not TeamMember.objects.filter(name="X").exists()
