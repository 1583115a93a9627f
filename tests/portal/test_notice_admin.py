"""The bureau's notice and objection pages: officers prepare, publish and answer; leaders
and inspectors read; the objector's identity only for the inspector and the handling
officer; everyone else meets a 404 that changes nothing."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keguan.accounts.roles import Role
from keguan.audit.models import AuditEvent
from keguan.portal import services
from keguan.portal.models import Notice, NoticeItem, NoticeKind, Objection
from keguan.portal.workflow import NOTICE_WORKFLOW, OBJECTION_WORKFLOW
from keguan.projects.models import Application, Project
from tests.factories import make_user, sign_in
from tests.projects.factories import pdf_upload
from tests.projects.states import application_in, row

pytestmark = pytest.mark.django_db

A = Application.State
SHANGHAI = ZoneInfo("Asia/Shanghai")
OBJECTOR = {"objector": "person", "name": "王秘密", "contact": "13912345678", "text": "金额有误。"}


def make_notice(officer, kind=NoticeKind.FUNDING, items=1, **data) -> Notice:
    notice = services.create_notice(officer, {"kind": kind, "title": "资助公示", **data})
    services.replace_items(
        officer,
        notice,
        [{"title": f"项目{n}", "unit": "甲企业", "amount": Decimal("50000")} for n in range(items)],
    )
    return notice


def published(officer, **kwargs) -> Notice:
    return NOTICE_WORKFLOW.apply(officer, make_notice(officer, **kwargs), "publish")


def object_to(notice, item=None, letter=None, **data) -> Objection:
    """An objection filed on the period's first day (today may be a holiday before it)."""
    moment = dt.datetime.combine(notice.starts_on, dt.time(10), SHANGHAI)
    with time_machine.travel(max(moment, timezone.now()), tick=False):
        return services.submit_objection(notice, {**OBJECTOR, "item": item, **data}, letter)


def after_the_period(notice):
    """The clock the day after NOTICE's last day (when the hourly task ends it)."""
    moment = dt.datetime.combine(notice.ends_on + dt.timedelta(days=1), dt.time(9), SHANGHAI)
    return time_machine.travel(moment, tick=False)


def notice_in_notice_for(p):
    """A running notice listing an application the leadership approved (IN_NOTICE)."""
    application = application_in(p, A.IN_NOTICE)
    notice = services.notice_for_applications(p.officer, [application], {"title": "立项公示"})
    return NOTICE_WORKFLOW.apply(p.officer, notice, "publish"), application


def manage_urls(notice, objection) -> list[str]:
    return [
        reverse("portal:notice_admin_list"),
        reverse("portal:notice_create"),
        reverse("portal:notice_from_applications"),
        reverse("portal:notice_admin_detail", args=[notice.pk]),
        reverse("portal:notice_edit", args=[notice.pk]),
        reverse("portal:notice_items", args=[notice.pk]),
        reverse("portal:objection_list"),
        reverse("portal:objection_detail", args=[objection.pk]),
        reverse("portal:objection_letter", args=[objection.pk]),
    ]


def post_urls(notice, objection) -> list[str]:
    return [
        reverse("portal:notice_action", args=[notice.pk]),
        reverse("portal:objection_action", args=[objection.pk]),
        reverse("portal:objection_identity", args=[objection.pk]),
    ]


# Notices.
def test_an_officer_makes_a_notice_from_an_application_in_notice_and_publishes_it(client, personas):
    application = application_in(personas, A.IN_NOTICE)
    sign_in(client, personas.officer)
    page = client.get(reverse("portal:notice_from_applications"))
    assert list(page.context["applications"]) == [application]
    response = client.post(
        reverse("portal:notice_from_applications"),
        {"applications": [application.pk], "title": "2025年科技项目立项公示", "working_days": 5},
    )
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:notice_admin_detail", args=[notice.pk])
    assert notice.state == Notice.State.DRAFT and notice.kind == NoticeKind.PROJECT_APPROVAL
    assert notice.items.get().application == application
    detail = client.get(reverse("portal:notice_admin_detail", args=[notice.pk]))
    assert [t.action for t in detail.context["actions"]] == ["publish", "withdraw"]
    client.post(
        reverse("portal:notice_action", args=[notice.pk]),
        {"action": "publish", "expected_state": "draft"},
    )
    notice.refresh_from_db()
    assert notice.state == Notice.State.RUNNING
    assert notice.starts_on is not None and notice.ends_on > notice.starts_on
    assert (
        client.get(reverse("portal:notice_from_applications")).context["applications"].count() == 0
    )


def test_the_end_of_the_notice_confirms_the_application_and_the_trail_says_so(personas):
    notice, application = notice_in_notice_for(personas)
    with after_the_period(notice):
        assert services.end_due_notices() == [notice]
    notice.refresh_from_db()
    application.refresh_from_db()
    assert notice.state == Notice.State.ENDED
    assert notice.items.get().state == NoticeItem.State.MOVED_ON
    assert application.state == A.APPROVED
    assert Project.objects.filter(application=application).exists()
    ended = AuditEvent.objects.get(action="portal.notice.end", object_id=str(notice.pk))
    assert ended.after["moved_on"] == [notice.items.get().pk]
    confirmed = AuditEvent.objects.get(
        action="projects.application.confirm", object_id=str(application.pk)
    )
    assert notice.title in confirmed.after["note"]


def test_an_item_held_by_an_open_objection_waits_and_moves_on_once_dismissed(client, personas):
    notice, application = notice_in_notice_for(personas)
    item = notice.items.get()
    objection = object_to(notice, item)
    with after_the_period(notice):
        services.end_due_notices()
    item.refresh_from_db()
    application.refresh_from_db()
    assert item.state == NoticeItem.State.HELD and application.state == A.IN_NOTICE
    sign_in(client, personas.officer)
    url = reverse("portal:objection_action", args=[objection.pk])
    client.post(url, {"action": "investigate", "expected_state": "received"})
    client.post(url, {"action": "dismiss", "note": "经核实，金额无误。"})
    objection.refresh_from_db()
    item.refresh_from_db()
    application.refresh_from_db()
    assert objection.state == Objection.State.DISMISSED and objection.reply == "经核实，金额无误。"
    assert item.state == NoticeItem.State.MOVED_ON
    assert application.state == A.APPROVED
    assert Project.objects.filter(application=application).exists()


def test_an_upheld_objection_withdraws_the_item_and_the_application_stays_in_notice(
    client, personas
):
    notice, application = notice_in_notice_for(personas)
    item = notice.items.get()
    objection = object_to(notice, item)
    sign_in(client, personas.officer)
    url = reverse("portal:objection_action", args=[objection.pk])
    client.post(url, {"action": "investigate"})
    client.post(url, {"action": "uphold", "note": "异议属实，撤销该项。"})
    with after_the_period(notice):
        services.end_due_notices()
    item.refresh_from_db()
    application.refresh_from_db()
    assert item.state == NoticeItem.State.WITHDRAWN
    assert application.state == A.IN_NOTICE
    assert not Project.objects.filter(application=application).exists()


def test_an_upheld_objection_may_revise_the_item_instead(client, personas):
    notice = published(personas.officer)
    item = notice.items.get()
    objection = object_to(notice, item)
    sign_in(client, personas.officer)
    url = reverse("portal:objection_action", args=[objection.pk])
    client.post(url, {"action": "investigate"})
    client.post(url, {"action": "uphold", "note": "金额更正。", "revise": "on"})
    item.refresh_from_db()
    assert item.state == NoticeItem.State.REVISED


def test_an_officer_writes_a_notice_and_its_items_with_errors_beside_each_row(client, personas):
    sign_in(client, personas.officer)
    response = client.post(
        reverse("portal:notice_create"),
        {"kind": "award", "title": "科技进步奖公示", "working_days": 7, "contact": "科技局办公室"},
    )
    notice = Notice.objects.get()
    assert response["Location"] == reverse("portal:notice_items", args=[notice.pk])
    assert notice.working_days == 7 and notice.created_by == personas.officer
    url = reverse("portal:notice_items", args=[notice.pk])
    rows = {
        "items-TOTAL_FORMS": 2,
        "items-INITIAL_FORMS": 0,
        "items-0-title": "富硒茶加工技术",
        "items-0-unit": "甲企业",
        "items-0-person_name": "张三",
        "items-0-amount": "20000",
        "items-1-unit": "乙企业",
        "items-1-amount": "-5",
    }
    refused = client.post(url, rows)
    assert refused.status_code == 200
    second = refused.context["formset"].forms[1]
    assert "title" in second.errors and "amount" in second.errors
    assert not refused.context["formset"].forms[0].errors
    assert notice.items.count() == 0
    rows.update({"items-1-title": "蔬菜育种", "items-1-amount": "10000"})
    assert client.post(url, rows).status_code == 302
    assert list(notice.items.values_list("title", "person_name", "amount")) == [
        ("富硒茶加工技术", "张三", Decimal("20000.00")),
        ("蔬菜育种", "", Decimal("10000.00")),
    ]


def test_items_of_other_kinds_ask_no_person_and_keep_their_application(client, personas):
    application = application_in(personas, A.IN_NOTICE)
    notice = services.notice_for_applications(personas.officer, [application], {"title": "公示"})
    item = notice.items.get()
    sign_in(client, personas.officer)
    url = reverse("portal:notice_items", args=[notice.pk])
    page = client.get(url)
    assert "person_name" not in page.context["formset"].forms[0].fields
    client.post(
        url,
        {
            "items-TOTAL_FORMS": 1,
            "items-INITIAL_FORMS": 0,
            "items-0-item": item.pk,
            "items-0-title": "改过的标题",
            "items-0-unit": "甲企业",
            "items-0-person_name": "不应出现",
            "items-0-amount": "50000",
        },
    )
    saved = notice.items.get()
    assert saved.title == "改过的标题" and saved.person_name == ""
    assert saved.application == application


def test_a_published_notice_cannot_be_edited(client, personas):
    notice = published(personas.officer, title="已发布")
    before = row(notice)
    sign_in(client, personas.officer)
    for name in ("portal:notice_edit", "portal:notice_items"):
        response = client.post(reverse(name, args=[notice.pk]), {"title": "改", "kind": "other"})
        assert response.status_code == 302
        assert response["Location"] == reverse("portal:notice_admin_detail", args=[notice.pk])
    assert row(notice) == before
    assert notice.items.count() == 1


def test_the_notice_list_filters_and_reads_the_same_queries_for_one_or_many(client, personas):
    make_notice(personas.officer, title="草稿")
    sign_in(client, personas.leader)
    url = reverse("portal:notice_admin_list")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    for _ in range(3):
        published(personas.officer, items=2)
    assert count() == one
    response = client.get(url, {"state": "draft"})
    assert [n.title for n in response.context["page"]] == ["草稿"]
    assert client.get(url, {"kind": "award"}).context["page"].paginator.count == 0


def test_leaders_and_inspectors_read_notices_but_have_no_buttons(client, personas):
    notice = make_notice(personas.officer)
    for reader in (personas.leader, personas.inspector):
        sign_in(client, reader)
        response = client.get(reverse("portal:notice_admin_detail", args=[notice.pk]))
        assert response.status_code == 200
        assert response.context["actions"] == [] and not response.context["can_edit"]


# Objections.
def test_the_objection_list_names_no_objector_and_keeps_its_queries_constant(client, personas):
    notice = published(personas.officer, items=3)
    items = list(notice.items.all())
    object_to(notice, items[0])
    sign_in(client, personas.inspector)
    url = reverse("portal:objection_list")
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert "王秘密" not in response.content.decode()
    assert "13912345678" not in response.content.decode()
    object_to(notice, items[1])
    object_to(notice, items[2], name="李四")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(one)
    assert response.context["page"].paginator.count == 3
    body = response.content.decode()
    assert "王秘密" not in body and "李四" not in body
    filtered = client.get(url, {"notice": notice.pk, "state": "upheld"})
    assert filtered.context["page"].paginator.count == 0


def test_the_objection_page_shows_the_text_but_not_who_objected(client, personas):
    notice = published(personas.officer)
    objection = object_to(notice, notice.items.get())
    sign_in(client, personas.officer)
    response = client.get(reverse("portal:objection_detail", args=[objection.pk]))
    body = response.content.decode()
    assert "金额有误。" in body
    assert "王秘密" not in body and "13912345678" not in body
    assert not response.context["can_see_objector"]


def test_the_inspector_and_the_handling_officer_see_who_objected_each_time_recorded(
    client, personas
):
    notice = published(personas.officer)
    objection = object_to(notice, notice.items.get())
    OBJECTION_WORKFLOW.apply(personas.officer, objection, "investigate")
    url = reverse("portal:objection_identity", args=[objection.pk])
    for viewer in (personas.inspector, personas.officer):
        sign_in(client, viewer)
        page = client.get(reverse("portal:objection_detail", args=[objection.pk]))
        assert "王秘密" not in page.content.decode() and page.context["can_see_objector"]
        response = client.post(url)
        assert response.status_code == 200
        assert "王秘密" in response.content.decode() and "13912345678" in response.content.decode()
    viewers = AuditEvent.objects.filter(
        action="portal.objection.identity_viewed", object_id=str(objection.pk)
    ).values_list("actor_username", flat=True)
    assert sorted(viewers) == ["ian", "olivia"]


def test_another_officer_of_the_bureau_and_the_leader_may_not_see_who_objected(client, personas):
    notice = published(personas.officer)
    objection = object_to(
        notice,
        notice.items.get(),
        letter=pdf_upload("盖章函.pdf"),
        objector="organization",
        organization_name="丙公司",
        legal_representative="赵法人",
    )
    OBJECTION_WORKFLOW.apply(personas.officer, objection, "investigate")
    colleague = make_user("oscar", [Role.OFFICER], personas.bureaus.county)
    for outsider in (colleague, personas.leader):
        sign_in(client, outsider)
        assert (
            client.get(reverse("portal:objection_detail", args=[objection.pk])).status_code == 200
        )
        assert (
            client.post(reverse("portal:objection_identity", args=[objection.pk])).status_code
            == 404
        )
        assert (
            client.get(reverse("portal:objection_letter", args=[objection.pk])).status_code == 404
        )
    assert not AuditEvent.objects.filter(action="portal.objection.identity_viewed").exists()
    sign_in(client, personas.inspector)
    letter = client.get(reverse("portal:objection_letter", args=[objection.pk]))
    assert letter.status_code == 200 and letter["Content-Disposition"].startswith("attachment")
    assert (
        AuditEvent.objects.filter(
            action="portal.objection.identity_viewed", actor_username="ian"
        ).count()
        == 1
    )


# Refusals.
def test_applicants_and_experts_meet_a_404_on_every_manage_page(client, personas):
    notice = published(personas.officer)
    objection = object_to(notice, notice.items.get())
    before = (row(notice), row(objection))
    for outsider in (personas.applicant_a, personas.expert):
        sign_in(client, outsider)
        for url in manage_urls(notice, objection):
            assert client.get(url).status_code == 404, url
        for url in post_urls(notice, objection):
            response = client.post(url, {"action": "withdraw", "note": "撤回"})
            assert response.status_code == 404, url
    assert (row(notice), row(objection)) == before


def test_forbidden_posts_change_nothing(client, personas):
    notice = make_notice(personas.officer)
    running = published(personas.officer)
    objection = object_to(running, running.items.get())
    OBJECTION_WORKFLOW.apply(personas.officer, objection, "investigate")
    before = (row(notice), row(running), row(objection), row(running.items.get()))
    colleague = make_user("oscar", [Role.OFFICER], personas.bureaus.county)
    sign_in(client, personas.leader)
    assert (
        client.post(reverse("portal:notice_action", args=[notice.pk]), {"action": "publish"})
    ).status_code == 404
    assert (
        client.post(
            reverse("portal:notice_edit", args=[notice.pk]), {"title": "改", "kind": "other"}
        ).status_code
        == 404
    )
    sign_in(client, colleague)
    assert (
        client.post(
            reverse("portal:objection_action", args=[objection.pk]),
            {"action": "uphold", "note": "抢先处理"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("portal:notice_action", args=[running.pk]), {"action": "end"}
        ).status_code
        == 404
    )
    sign_in(client, personas.neighbour_officer)
    assert client.get(reverse("portal:notice_admin_detail", args=[notice.pk])).status_code == 404
    assert (
        client.post(
            reverse("portal:notice_action", args=[notice.pk]),
            {"action": "withdraw", "note": "越权"},
        ).status_code
        == 404
    )
    assert (row(notice), row(running), row(objection), row(running.items.get())) == before


def test_the_menu_offers_public_notices_to_bureau_staff_only(client, personas):
    url = reverse("portal:notice_admin_list")
    for user, shown in ((personas.officer, True), (personas.applicant_a, False)):
        sign_in(client, user)
        items = client.get(reverse("core:home")).context["nav_items"]
        assert any(i["url"] == url for i in items) is shown


def test_every_manage_page_opens_for_the_officer(client, personas):
    draft = make_notice(personas.officer)
    running = published(personas.officer)
    objection = object_to(running, running.items.get())
    sign_in(client, personas.officer)
    for url in manage_urls(draft, objection)[:-1]:
        assert client.get(url).status_code == 200, url
    for name in ("portal:notice_admin_list", "portal:objection_list"):
        partial = client.get(reverse(name), headers={"HX-Request": "true"})
        assert partial.status_code == 200 and b"<html" not in partial.content
    edit = client.get(reverse("portal:notice_edit", args=[running.pk]))
    assert edit.status_code == 302
