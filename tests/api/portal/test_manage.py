"""The portal's staff API: notices prepared and published by officers, objections handled
without their objector's identity (shown to the inspector and the handling officer only,
audited), petitions handled by inspectors and hidden from the officer they name."""

import datetime as dt

import pytest

from keguan.accounts.roles import Role
from keguan.audit.models import AuditEvent
from keguan.portal import services
from keguan.portal.models import Notice, NoticeItem, Objection, Petition
from tests.api.portal.helpers import PHONE, make_notice
from tests.api.projects.helpers import get, same_queries_for_one_and_many, send
from tests.factories import make_user

pytestmark = pytest.mark.django_db

MANAGE = "/portal/manage"


def objection_to(notice, name="张三") -> Objection:
    return services.submit_objection(
        notice,
        {
            "objector": "person",
            "name": name,
            "contact": PHONE,
            "text": "材料不实。",
            "item": notice.items.first(),
        },
    )


def test_staff_endpoints_need_a_token(client, personas):
    for path in ("/notices", "/objections", "/petitions"):
        response = client.get(f"/api/v1{MANAGE}{path}")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"


def test_applicants_and_experts_get_404s_from_the_staff_endpoints(client, personas, on_tuesday):
    notice = make_notice(personas.officer)
    objection = objection_to(notice)
    petition, _code = services.file_petition(
        personas.bureaus.county, {"kind": "report", "anonymous": True, "subject": "s", "text": "t"}
    )
    for user in (personas.applicant_a, personas.expert):
        for path in (
            "/notices",
            "/objections",
            "/petitions",
            f"/notices/{notice.pk}",
            f"/objections/{objection.pk}",
            f"/petitions/{petition.pk}",
        ):
            assert get(client, f"{MANAGE}{path}", user).status_code == 404, (user, path)
        response = send(client, "post", f"{MANAGE}/objections/{objection.pk}/identity", user)
        assert response.status_code == 404
        response = send(client, "post", f"{MANAGE}/notices", user, {"kind": "other", "title": "x"})
        assert response.status_code == 404
    assert Notice.objects.count() == 1
    assert AuditEvent.objects.filter(action="access.denied").exists()


def test_an_officer_prepares_lists_and_publishes_a_notice(client, personas, on_tuesday):
    officer = personas.officer
    response = send(
        client,
        "post",
        f"{MANAGE}/notices",
        officer,
        {"kind": "award", "title": "县科技进步奖公示", "working_days": 7},
    )
    assert response.status_code == 201, response.content
    notice_id = response.json()["id"]
    assert response.json()["state"] == "draft"
    path = f"{MANAGE}/notices/{notice_id}"
    response = send(client, "patch", path, officer, {"contact": "县科技局 0797-1234567"})
    assert response.status_code == 200 and response.json()["working_days"] == 7
    items = [{"title": "一等奖", "unit": "甲企业", "person_name": "李四", "amount": 20000}]
    response = send(client, "put", f"{path}/items", officer, {"items": items})
    assert response.status_code == 200, response.content
    assert response.json()["items"][0]["amount"] == "20000.00"
    assert {a["action"] for a in response.json()["allowed_actions"]} == {"publish", "withdraw"}
    response = send(client, "post", f"{path}/actions/publish", officer)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "running" and response.json()["ends_on"]
    # Published: it no longer changes.
    response = send(client, "patch", path, officer, {"title": "改"})
    assert response.status_code == 422
    assert Notice.objects.get(pk=notice_id).title == "县科技进步奖公示"


def test_items_naming_people_on_a_kind_that_names_none_are_refused_by_field(
    client, personas, on_tuesday
):
    notice = make_notice(personas.officer, publish=False)
    items = [{"title": "项目", "unit": "甲企业", "person_name": "李四"}]
    response = send(
        client, "put", f"{MANAGE}/notices/{notice.pk}/items", personas.officer, {"items": items}
    )
    assert response.status_code == 422
    assert "items.1.person_name" in response.json()["error"]["fields"]
    response = send(
        client,
        "put",
        f"{MANAGE}/notices/{notice.pk}/items",
        personas.officer,
        {"items": [{"title": "项目", "application": 999999}]},
    )
    assert "items.1.application" in response.json()["error"]["fields"]
    assert notice.items.count() == 2


def test_leaders_read_notices_but_only_officers_change_them(client, personas, on_tuesday):
    notice = make_notice(personas.officer, publish=False)
    assert get(client, f"{MANAGE}/notices/{notice.pk}", personas.leader).status_code == 200
    response = send(
        client, "patch", f"{MANAGE}/notices/{notice.pk}", personas.leader, {"title": "改"}
    )
    assert response.status_code == 403
    response = send(
        client, "post", f"{MANAGE}/notices/{notice.pk}/actions/publish", personas.leader
    )
    assert response.status_code == 403
    # Another county's officer does not see it at all.
    response = get(client, f"{MANAGE}/notices/{notice.pk}", personas.neighbour_officer)
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.state == Notice.State.DRAFT and notice.title != "改"


def test_objections_never_carry_the_objectors_identity(client, personas, on_tuesday):
    objection_to(make_notice(personas.officer), name="张三")
    for user in (personas.officer, personas.inspector, personas.leader):
        response = get(client, f"{MANAGE}/objections", user)
        assert response.status_code == 200 and response.json()["count"] == 1
        assert "张三" not in response.content.decode() and PHONE not in response.content.decode()


def test_the_identity_is_shown_to_the_handling_officer_and_the_inspector_only(
    client, personas, on_tuesday
):
    notice = make_notice(personas.officer)
    objection = objection_to(notice)
    colleague = make_user("oscar", [Role.OFFICER], personas.bureaus.county)
    path = f"{MANAGE}/objections/{objection.pk}"
    # Nobody handles it yet: no officer sees who objected.
    assert send(client, "post", f"{path}/identity", personas.officer).status_code == 404
    response = send(client, "post", f"{path}/actions/investigate", personas.officer)
    assert response.status_code == 200 and response.json()["handled_by_id"] == personas.officer.pk
    response = send(client, "post", f"{path}/identity", personas.officer)
    assert response.status_code == 200
    assert response.json()["name"] == "张三" and response.json()["contact"] == PHONE
    before = AuditEvent.objects.filter(action="portal.objection.identity_viewed").count()
    response = send(client, "post", f"{path}/identity", colleague)
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(objection.pk)).exists()
    response = send(client, "post", f"{path}/identity", personas.inspector)
    assert response.status_code == 200 and response.json()["name"] == "张三"
    viewed = AuditEvent.objects.filter(action="portal.objection.identity_viewed")
    assert viewed.count() == before + 1
    assert viewed.latest("seq").actor_username == personas.inspector.username
    # The colleague cannot take over the handling either.
    response = send(client, "post", f"{path}/actions/dismiss", colleague, {"note": "不成立"})
    assert response.status_code == 403
    assert Objection.objects.get(pk=objection.pk).state == Objection.State.INVESTIGATING


def test_the_handling_officer_upholds_and_the_item_is_withdrawn(client, personas, on_tuesday):
    notice = make_notice(personas.officer)
    objection = objection_to(notice)
    path = f"{MANAGE}/objections/{objection.pk}/actions"
    send(client, "post", f"{path}/investigate", personas.officer)
    response = send(client, "post", f"{path}/uphold", personas.officer)
    assert response.status_code == 409  # the reply is required
    response = send(client, "post", f"{path}/uphold", personas.officer, {"note": "经核实属实。"})
    assert response.status_code == 200 and response.json()["state"] == "upheld"
    assert response.json()["reply"] == "经核实属实。"
    assert notice.items.first().state == NoticeItem.State.WITHDRAWN


def petition(personas, **data) -> Petition:
    filed, _code = services.file_petition(
        personas.bureaus.county,
        {"kind": "report", "anonymous": True, "subject": "验收走过场", "text": "…", **data},
    )
    return filed


def test_inspectors_acknowledge_assign_extend_and_conclude_petitions(client, personas):
    filed = petition(personas)
    other = make_user("iris", [Role.INSPECTOR], personas.bureaus.county)
    path = f"{MANAGE}/petitions/{filed.pk}"
    listed = get(client, f"{MANAGE}/petitions", personas.inspector).json()
    assert [p["id"] for p in listed["items"]] == [filed.pk]
    response = send(client, "post", f"{path}/actions/acknowledge", personas.inspector)
    assert response.status_code == 200 and response.json()["state"] == "acknowledged"
    response = send(client, "post", f"{path}/assign", personas.inspector, {"assigned_to": other.pk})
    assert response.status_code == 200 and response.json()["assigned_to_id"] == other.pk
    response = send(
        client, "post", f"{path}/assign", personas.inspector, {"assigned_to": personas.officer.pk}
    )
    assert response.status_code == 422 and "assigned_to" in response.json()["error"]["fields"]
    due = filed.conclude_due
    response = send(client, "post", f"{path}/extend", other, {"reason": ""})
    assert response.status_code == 422 and "reason" in response.json()["error"]["fields"]
    response = send(client, "post", f"{path}/extend", other, {"reason": "需调取外地材料"})
    assert response.status_code == 200
    assert response.json()["conclude_due"] == str(due + dt.timedelta(days=30))
    response = send(client, "post", f"{path}/extend", other, {"reason": "再延"})
    assert response.status_code == 422
    response = send(client, "post", f"{path}/actions/conclude", other, {"note": "已责令整改。"})
    assert response.status_code == 200 and response.json()["reply"] == "已责令整改。"


def test_petitions_are_for_inspectors_and_hidden_from_the_one_they_name(client, personas):
    # The report names the inspector as the bureau's accounts know him: linked to him.
    about_ian = petition(personas, concerns_name=personas.inspector.full_name)
    assert about_ian.concerns == personas.inspector
    plain = petition(personas)
    listed = get(client, f"{MANAGE}/petitions", personas.inspector).json()
    assert [p["id"] for p in listed["items"]] == [plain.pk]
    response = get(client, f"{MANAGE}/petitions/{about_ian.pk}", personas.inspector)
    assert response.status_code == 404
    response = send(
        client, "post", f"{MANAGE}/petitions/{about_ian.pk}/actions/acknowledge", personas.inspector
    )
    assert response.status_code == 404
    for user in (personas.officer, personas.leader):
        assert get(client, f"{MANAGE}/petitions/{plain.pk}", user).status_code == 404
    assert Petition.objects.get(pk=about_ian.pk).state == Petition.State.RECEIVED


def test_staff_lists_take_the_same_queries_for_one_row_and_many(client, personas, on_tuesday):
    notice = make_notice(personas.officer)
    objection_to(notice)
    petition(personas)
    same_queries_for_one_and_many(
        client, personas.officer, f"{MANAGE}/notices", lambda: make_notice(personas.officer)
    )
    same_queries_for_one_and_many(
        client, personas.officer, f"{MANAGE}/objections", lambda: objection_to(notice, "李四")
    )
    same_queries_for_one_and_many(
        client, personas.inspector, f"{MANAGE}/petitions", lambda: petition(personas)
    )
