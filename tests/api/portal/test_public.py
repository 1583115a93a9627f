"""The portal's public API: no token, no personal data, objections only in the period and
under a real name, petitions tracked by a code shown once, every form rate-limited."""

import pytest
import time_machine

from keguan.audit.models import AuditEvent
from keguan.portal.models import NoticeItem, Objection, Petition, PublicSubmission
from tests.api.portal.helpers import (
    AFTER_THE_PERIOD,
    ID_NUMBER,
    PHONE,
    TUESDAY,
    make_notice,
    objection_body,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/portal"


def post(client, path: str, body: dict, **extra):
    return client.post(f"{API}{path}", body, content_type="application/json", **extra)


def test_anyone_reads_published_notices_without_a_token_and_never_drafts(
    client, personas, on_tuesday
):
    running = make_notice(personas.officer)
    draft = make_notice(personas.officer, publish=False, title="草稿公示")
    response = client.get(f"{API}/notices")
    assert response.status_code == 200
    body = response.json()
    assert [n["id"] for n in body["items"]] == [running.pk]
    assert body["items"][0]["accepts_objections"] is True
    assert body["items"][0]["items_count"] == 2
    detail = client.get(f"{API}/notices/{running.pk}")
    assert detail.status_code == 200
    assert [i["amount"] for i in detail.json()["items"]] == ["80000.00", "50000.00"]
    assert detail.json()["objection_refusal"] is None
    assert client.get(f"{API}/notices/{draft.pk}").status_code == 404


def test_person_names_appear_only_on_award_notices(client, personas, on_tuesday):
    award = make_notice(
        personas.officer,
        kind="award",
        items=[{"title": "县科技进步一等奖", "unit": "甲企业", "person_name": "李四"}],
        title="科技进步奖公示",
    )
    approval = make_notice(personas.officer)
    assert client.get(f"{API}/notices/{award.pk}").json()["items"][0]["person_name"] == "李四"
    listed = client.get(f"{API}/notices/{approval.pk}").json()["items"]
    assert {i["person_name"] for i in listed} == {""}


def test_a_named_person_objects_in_the_period_and_the_item_is_held(client, personas, on_tuesday):
    notice = make_notice(personas.officer)
    item = notice.items.first()
    response = post(client, f"/notices/{notice.pk}/objections", objection_body(notice))
    assert response.status_code == 201, response.content
    receipt = response.json()
    assert receipt == {
        "notice_id": notice.pk,
        "item_id": item.pk,
        "state": "received",
        "state_label": receipt["state_label"],
        "submitted_at": receipt["submitted_at"],
    }
    objection = Objection.objects.get()
    assert objection.name == "张三" and objection.contact == PHONE
    item.refresh_from_db()
    assert item.state == NoticeItem.State.HELD
    assert AuditEvent.objects.filter(action="portal.objection.submit").exists()
    # The public pages never show who objected, nor what they wrote.
    for path in ("/notices", f"/notices/{notice.pk}"):
        page = client.get(f"{API}{path}").content.decode()
        assert "张三" not in page and PHONE not in page and ID_NUMBER not in page


@pytest.mark.parametrize(
    "changes",
    [{"name": ""}, {"contact": ""}, {"name": " ", "contact": " "}],
    ids=["no name", "no contact", "blank"],
)
def test_an_anonymous_objection_is_refused_and_nothing_is_saved(
    client, personas, on_tuesday, changes
):
    notice = make_notice(personas.officer)
    response = post(client, f"/notices/{notice.pk}/objections", objection_body(notice, **changes))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert "name" in response.json()["error"]["fields"]
    assert not Objection.objects.exists()
    assert set(notice.items.values_list("state", flat=True)) == {NoticeItem.State.LISTED}


def test_a_late_objection_is_refused_with_the_reason_and_nothing_is_saved(client, personas):
    with time_machine.travel(TUESDAY):
        notice = make_notice(personas.officer)
    with time_machine.travel(AFTER_THE_PERIOD):
        response = post(client, f"/notices/{notice.pk}/objections", objection_body(notice))
        listed = client.get(f"{API}/notices/{notice.pk}").json()
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    assert response.json()["error"]["message"]
    assert listed["accepts_objections"] is False and listed["objection_refusal"]
    assert not Objection.objects.exists()


def test_an_organization_is_sent_to_the_web_form_for_its_sealed_letter(
    client, personas, on_tuesday
):
    notice = make_notice(personas.officer)
    body = objection_body(
        notice, objector="organization", organization_name="丙公司", legal_representative="赵六"
    )
    response = post(client, f"/notices/{notice.pk}/objections", body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "letter_required" and "letter" in error["fields"]
    assert not Objection.objects.exists()


def test_an_item_of_another_notice_is_refused(client, personas, on_tuesday):
    notice = make_notice(personas.officer)
    other = make_notice(personas.officer, title="另一公示")
    body = objection_body(notice, item=other.items.first().pk)
    response = post(client, f"/notices/{notice.pk}/objections", body)
    assert response.status_code == 422 and "item" in response.json()["error"]["fields"]
    assert not Objection.objects.exists()


def test_a_petition_gets_its_code_once_and_the_code_tracks_it(client, personas):
    body = {
        "kind": "report",
        "name": "钱七",
        "contact": PHONE,
        "subject": "项目验收走过场",
        "text": "某项目验收时未到现场。",
    }
    response = post(client, "/petitions", body)
    assert response.status_code == 201, response.content
    filed = response.json()
    code = filed["code"]
    assert len(code.replace("-", "")) >= 16  # 80 bits of base32
    petition = Petition.objects.get()
    assert petition.bureau == personas.bureaus.county
    assert code not in petition.code_hash
    tracked = post(client, "/petitions/track", {"code": code.lower()})
    assert tracked.status_code == 200
    shown = tracked.json()
    assert set(shown) == {
        "kind",
        "kind_label",
        "subject",
        "state",
        "state_label",
        "submitted_at",
        "acknowledge_due",
        "conclude_due",
        "acknowledged_at",
        "concluded_at",
        "reply",
    }
    assert shown["subject"] == "项目验收走过场" and shown["state"] == "received"
    assert "钱七" not in tracked.content.decode() and PHONE not in tracked.content.decode()


def test_an_unknown_tracking_code_is_a_404(client, personas):
    post(
        client,
        "/petitions",
        {"kind": "suggestion", "anonymous": True, "subject": "建议", "text": "多公开"},
    )
    for code in ("AAAA-BBBB-CCCC-DDDD", "", "x" * 100):
        response = post(client, "/petitions/track", {"code": code})
        assert response.status_code in (404, 422)
    response = post(client, "/petitions/track", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_an_anonymous_petition_keeps_no_name_and_a_named_one_needs_one(client, personas):
    body = {"kind": "complaint", "anonymous": True, "name": "某人", "subject": "投诉", "text": "…"}
    assert post(client, "/petitions", body).status_code == 201
    assert Petition.objects.get().name == ""
    response = post(client, "/petitions", {**body, "anonymous": False, "name": ""})
    assert response.status_code == 422 and "name" in response.json()["error"]["fields"]
    response = post(client, "/petitions", {**body, "kind": "gossip"})
    assert response.status_code == 422 and "kind" in response.json()["error"]["fields"]
    assert Petition.objects.count() == 1


def test_every_public_form_is_rate_limited_per_address(client, personas, settings, on_tuesday):
    settings.KEGUAN_PUBLIC_FORM_LIMITS = {"objection": 1, "petition": 1, "lookup": 2}
    notice = make_notice(personas.officer)
    path = f"/notices/{notice.pk}/objections"
    assert post(client, path, objection_body(notice)).status_code == 201
    refused = post(client, path, objection_body(notice, name="李四"))
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert Objection.objects.count() == 1
    petition = {"kind": "suggestion", "anonymous": True, "subject": "建议", "text": "多公开"}
    assert post(client, "/petitions", petition).status_code == 201
    assert post(client, "/petitions", petition).status_code == 429
    assert Petition.objects.count() == 1
    for expected in (404, 404, 429):
        assert post(client, "/petitions/track", {"code": "AAAA"}).status_code == expected
    # Another address has its own allowance.
    other = post(client, "/petitions/track", {"code": "AAAA"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 404
    assert PublicSubmission.objects.filter(form="lookup").count() == 3


def test_the_openapi_document_marks_the_public_operations_as_needing_no_token(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "security" not in paths["/api/v1/portal/notices"]["get"]
    assert "security" not in paths["/api/v1/portal/petitions/track"]["post"]
    assert paths["/api/v1/portal/manage/petitions"]["get"]["security"]
