"""Programs and calls through the web: who sees which, who may change them, the forms."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from keguan.accounts.models import Bureau
from keguan.audit.models import AuditEvent
from keguan.notifications.models import Notification
from keguan.projects.models import Call, Program
from tests.factories import make_user, sign_in
from tests.projects.factories import make_call, make_program, submitted_application

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def call_form_data(program, **changes):
    data = {
        "program": program.pk,
        "year": "2030",
        "title": "2030年度县级科技计划项目申报指南",
        "guide": "申报要求见附件。",
        "opens_at": "2030-03-01T09:00",
        "closes_at": "2030-03-31T17:30",
        "eligible_kinds": ["enterprise", "cooperative"],
        "max_per_organization": "2",
        "required_attachments": ["business_license", "feasibility_report"],
        "budget_ceiling": "300000",
        "public_notice": "on",
    }
    data.update(changes)
    return data


# Programs.
@pytest.mark.parametrize("persona", ["officer", "leader", "inspector"])
def test_bureau_staff_list_the_programs_of_their_jurisdiction(client, personas, persona):
    program = make_program(personas.officer, "星火计划")
    far = make_program(personas.neighbour_officer, "邻县计划")
    sign_in(client, getattr(personas, persona))
    response = client.get(reverse("projects:program_list"))
    assert response.status_code == 200
    shown = list(response.context["page"])
    assert program in shown and far not in shown


@pytest.mark.parametrize("persona", ["applicant_a", "expert", "liaison", "sysadmin"])
def test_others_are_refused_the_program_list(client, personas, persona):
    sign_in(client, getattr(personas, persona))
    assert client.get(reverse("projects:program_list")).status_code == 404


def test_officer_creates_a_program_for_the_bureau(client, personas):
    sign_in(client, personas.officer)
    response = client.post(
        reverse("projects:program_create"),
        {"name": "星火计划", "level": "county", "body": "县科技局", "active": "on"},
    )
    assert response.status_code == 302
    assert Program.objects.get(name="星火计划").bureau == personas.bureaus.county


def test_a_leader_cannot_create_a_program(client, personas):
    sign_in(client, personas.leader)
    response = client.post(
        reverse("projects:program_create"), {"name": "星火计划", "level": "county", "body": "x"}
    )
    assert response.status_code == 404
    assert not Program.objects.filter(name="星火计划").exists()


def test_the_neighbour_countys_officer_cannot_edit_our_program(client, personas):
    program = make_program(personas.officer, "星火计划")
    sign_in(client, personas.neighbour_officer)
    url = reverse("projects:program_edit", kwargs={"pk": program.pk})
    response = client.post(url, {"name": "改名", "level": "county", "body": "x"})
    assert response.status_code == 404
    program.refresh_from_db()
    assert program.name == "星火计划"


def test_a_program_name_twice_in_one_bureau_is_refused_beside_the_form(client, personas):
    make_program(personas.officer, "星火计划")
    sign_in(client, personas.officer)
    response = client.post(
        reverse("projects:program_create"), {"name": "星火计划", "level": "county", "body": "x"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Program.objects.filter(name="星火计划").count() == 1


# The call list.
def test_applicants_see_published_calls_of_their_bureau_and_above_only(client, personas):
    ours = make_call(personas.officer)
    draft = make_call(personas.officer, publish=False)
    city = make_call(
        personas.city_officer, make_program(personas.city_officer, level=Bureau.Level.MUNICIPAL)
    )
    far = make_call(personas.neighbour_officer)
    sign_in(client, personas.applicant_a)
    response = client.get(reverse("projects:call_list"))
    shown = set(response.context["page"])
    assert {ours, city} <= shown
    assert draft not in shown and far not in shown


def test_officers_see_their_jurisdictions_calls_but_not_the_neighbours(client, personas):
    ours = make_call(personas.officer, publish=False)
    far = make_call(personas.neighbour_officer)
    sign_in(client, personas.officer)
    shown = set(client.get(reverse("projects:call_list")).context["page"])
    assert ours in shown and far not in shown


@pytest.mark.parametrize("persona", ["expert", "liaison", "party_member", "auditadmin"])
def test_roles_without_calls_are_refused_the_list(client, personas, persona):
    sign_in(client, getattr(personas, persona))
    assert client.get(reverse("projects:call_list")).status_code == 404


def test_the_list_filters_by_year_level_state_and_title(client, personas):
    county = make_call(personas.officer, title="县级水稻指南")
    provincial = make_call(
        personas.officer,
        make_program(personas.officer, level=Bureau.Level.PROVINCIAL),
        title="省级茶叶指南",
        year=timezone.localdate().year + 5,  # never the current year's calls' year
    )
    draft = make_call(personas.officer, publish=False, title="县级草稿")
    sign_in(client, personas.officer)
    url = reverse("projects:call_list")
    assert set(client.get(url, {"year": provincial.year}).context["page"]) == {provincial}
    assert set(client.get(url, {"level": "provincial"}).context["page"]) == {provincial}
    assert set(client.get(url, {"state": "draft"}).context["page"]) == {draft}
    assert set(client.get(url, {"q": "水稻"}).context["page"]) == {county}


def test_each_row_says_whether_the_call_is_open_upcoming_or_closed(client, personas):
    now = timezone.now()
    open_call = make_call(personas.officer)
    upcoming = make_call(
        personas.officer,
        opens_at=now + dt.timedelta(days=3),
        closes_at=now + dt.timedelta(days=9),
    )
    sign_in(client, personas.applicant_a)
    response = client.get(reverse("projects:call_list"))
    windows = {call.pk: call.window for call in response.context["page"]}
    assert windows == {open_call.pk: "open", upcoming.pk: "upcoming"}
    assert open_call.window_status(now + dt.timedelta(days=31)) == "closed"


def test_the_apply_button_posts_to_the_application_start_only_while_open(client, personas):
    now = timezone.now()
    open_call = make_call(personas.officer)
    upcoming = make_call(
        personas.officer, opens_at=now + dt.timedelta(days=3), closes_at=now + dt.timedelta(days=9)
    )
    barred = make_call(personas.officer, eligible_kinds=["university"])
    sign_in(client, personas.applicant_a)
    body = client.get(reverse("projects:call_list")).content.decode()
    assert reverse("projects:application_start", kwargs={"pk": open_call.pk}) in body
    assert reverse("projects:application_start", kwargs={"pk": upcoming.pk}) not in body
    assert reverse("projects:application_start", kwargs={"pk": barred.pk}) not in body


@pytest.mark.parametrize("persona", ["officer", "applicant_a"])
def test_call_list_queries_do_not_grow_with_rows(
    client, personas, persona, django_assert_max_num_queries
):
    program = make_program(personas.officer)
    make_call(personas.officer, program)
    sign_in(client, getattr(personas, persona))
    url = reverse("projects:call_list")
    client.get(url)
    with django_assert_max_num_queries(15) as one:
        client.get(url)
    for _ in range(4):
        make_call(personas.officer, make_program(personas.officer))
    with django_assert_max_num_queries(len(one.captured_queries)) as five:
        response = client.get(url)
    assert len(response.context["page"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


# The call page.
def test_an_applicant_reads_a_published_call_and_never_a_draft(client, personas):
    published = make_call(personas.officer, eligible_kinds=["enterprise"])
    draft = make_call(personas.officer, publish=False)
    sign_in(client, personas.applicant_a)
    response = client.get(reverse("projects:call_detail", kwargs={"pk": published.pk}))
    assert response.status_code == 200
    assert response.context["may_apply"] and response.context["counts"] is None
    assert client.get(reverse("projects:call_detail", kwargs={"pk": draft.pk})).status_code == 404


def test_the_neighbour_countys_officer_never_sees_our_call(client, personas):
    call = make_call(personas.officer)
    sign_in(client, personas.neighbour_officer)
    response = client.get(reverse("projects:call_detail", kwargs={"pk": call.pk}))
    assert response.status_code == 404
    event = AuditEvent.objects.filter(action="access.denied").latest("seq")
    assert event.actor_username == "nina" and event.object_id == str(call.pk)


def test_the_call_page_shows_the_window_in_beijing_time_and_the_ceiling_in_wan(client, personas):
    opens = dt.datetime(2030, 3, 1, 9, 0, tzinfo=SHANGHAI)
    call = make_call(
        personas.officer,
        publish=False,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=30),
        budget_ceiling="300000",
    )
    sign_in(client, personas.officer)
    body = client.get(reverse("projects:call_detail", kwargs={"pk": call.pk})).content.decode()
    assert "2030-03-01 09:00" in body
    assert "30.00" in body


def test_officers_see_how_many_applications_each_state_holds(client, personas):
    call = make_call(personas.officer)
    submitted_application(personas.applicant_a, call)
    submitted_application(personas.applicant_b, call)
    sign_in(client, personas.officer)
    response = client.get(reverse("projects:call_detail", kwargs={"pk": call.pk}))
    assert [(row["state"], row["count"]) for row in response.context["counts"]] == [
        ("submitted", 2)
    ]


# Creating and changing calls.
def test_officer_creates_a_draft_call_with_local_times_and_checkboxes(client, personas):
    program = make_program(personas.officer)
    sign_in(client, personas.officer)
    response = client.post(reverse("projects:call_create"), call_form_data(program))
    call = Call.objects.get(title="2030年度县级科技计划项目申报指南")
    assert response.status_code == 302
    assert call.state == Call.State.DRAFT and call.bureau == personas.bureaus.county
    assert call.opens_at == dt.datetime(2030, 3, 1, 9, 0, tzinfo=SHANGHAI)
    assert call.eligible_kinds == ["enterprise", "cooperative"]
    assert call.required_attachments == ["business_license", "feasibility_report"]
    assert str(call.budget_ceiling) == "300000.00"


def test_a_call_closing_before_it_opens_is_refused_beside_the_close_time(client, personas):
    program = make_program(personas.officer)
    sign_in(client, personas.officer)
    response = client.post(
        reverse("projects:call_create"),
        call_form_data(program, closes_at="2030-02-01T09:00"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["closes_at"]
    assert str(form["closes_at"].label) in response.content.decode()
    assert not Call.objects.exists()


def test_the_program_must_be_one_of_the_officers_jurisdiction(client, personas):
    far = make_program(personas.neighbour_officer)
    sign_in(client, personas.officer)
    response = client.post(reverse("projects:call_create"), call_form_data(far))
    assert response.context["form"].errors["program"]
    assert not Call.objects.exists()


@pytest.mark.parametrize("persona", ["applicant_a", "leader", "inspector"])
def test_only_officers_create_calls(client, personas, persona):
    program = make_program(personas.officer)
    sign_in(client, getattr(personas, persona))
    response = client.post(reverse("projects:call_create"), call_form_data(program))
    assert response.status_code == 404
    assert not Call.objects.exists()


def test_a_published_call_changes_only_its_guide_and_close_time(client, personas):
    call = make_call(personas.officer)
    sign_in(client, personas.officer)
    closes = (timezone.localtime(call.closes_at) + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    data = call_form_data(call.program, title="被改了", guide="新的指南", closes_at=closes)
    response = client.post(reverse("projects:call_edit", kwargs={"pk": call.pk}), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.guide == "新的指南" and call.title != "被改了"
    assert timezone.localtime(call.closes_at).strftime("%Y-%m-%dT%H:%M") == closes


def test_the_neighbour_countys_officer_cannot_edit_our_call(client, personas):
    call = make_call(personas.officer, publish=False)
    sign_in(client, personas.neighbour_officer)
    url = reverse("projects:call_edit", kwargs={"pk": call.pk})
    response = client.post(url, call_form_data(call.program, title="被改了"))
    assert response.status_code == 404
    call.refresh_from_db()
    assert call.title != "被改了"


def test_a_cancelled_call_cannot_be_edited(client, personas):
    call = make_call(personas.officer)
    from keguan.projects.workflow import CALL_WORKFLOW

    CALL_WORKFLOW.apply(personas.officer, call, "cancel", {"note": "重发"})
    sign_in(client, personas.officer)
    assert client.get(reverse("projects:call_edit", kwargs={"pk": call.pk})).status_code == 404


# Workflow actions.
def test_publishing_a_call_tells_the_applicants_who_may_apply(
    client, personas, django_capture_on_commit_callbacks
):
    from keguan.accounts.workflow import ORGANIZATION_WORKFLOW

    ORGANIZATION_WORKFLOW.apply(personas.officer, personas.org_a, "verify")
    call = make_call(personas.officer, publish=False)
    sign_in(client, personas.officer)
    url = reverse("projects:call_action", kwargs={"pk": call.pk, "action": "publish"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"expected_state": "draft"})
    call.refresh_from_db()
    assert call.state == Call.State.PUBLISHED and call.published_at
    assert Notification.objects.filter(user=personas.applicant_a).exists()


def test_cancelling_needs_a_reason_and_changes_nothing_without_one(client, personas):
    call = make_call(personas.officer)
    sign_in(client, personas.officer)
    url = reverse("projects:call_action", kwargs={"pk": call.pk, "action": "cancel"})
    response = client.post(url, {"note": ""}, follow=True)
    assert response.status_code == 200 and list(response.context["messages"])
    call.refresh_from_db()
    assert call.state == Call.State.PUBLISHED
    client.post(url, {"note": "指南有误，重新发布"})
    call.refresh_from_db()
    assert call.state == Call.State.CANCELLED and call.state_note == "指南有误，重新发布"


@pytest.mark.parametrize("persona", ["applicant_a", "leader", "neighbour_officer"])
def test_others_cannot_publish_a_call(client, personas, persona):
    call = make_call(personas.officer, publish=False)
    sign_in(client, getattr(personas, persona))
    url = reverse("projects:call_action", kwargs={"pk": call.pk, "action": "publish"})
    assert client.post(url).status_code == 404
    call.refresh_from_db()
    assert call.state == Call.State.DRAFT


def test_a_second_officer_of_the_bureau_may_act_on_the_call(client, personas):
    call = make_call(personas.officer, publish=False)
    colleague = make_user("oscar", ["officer"], personas.bureaus.county)
    sign_in(client, colleague)
    url = reverse("projects:call_action", kwargs={"pk": call.pk, "action": "publish"})
    client.post(url, {"expected_state": "draft"})
    call.refresh_from_db()
    assert call.state == Call.State.PUBLISHED


def test_the_filter_answers_htmx_with_the_results_table_only(client, personas):
    call = make_call(personas.officer)
    sign_in(client, personas.officer)
    response = client.get(reverse("projects:call_list"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert call.title in body and "<html" not in body
