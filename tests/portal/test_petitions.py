"""Petitions (信访): filed by anyone, followed by code, handled by the bureau's inspectors."""

import datetime as dt
import math

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keguan.accounts.roles import Role
from keguan.audit.models import AuditEvent
from keguan.notifications.models import Notification
from keguan.portal import services
from keguan.portal.models import Petition
from keguan.portal.services.petitions import code_hash, new_code
from keguan.portal.tasks import remind_petitions
from keguan.portal.workflow import PETITION_WORKFLOW
from tests.factories import make_user, sign_in

pytestmark = pytest.mark.django_db

CREATE = reverse("portal:petition_create")
TRACK = reverse("portal:petition_track")


def _form(**extra) -> dict:
    from keguan.accounts.models import Bureau

    data = {
        "bureau": Bureau.objects.get(region_code="361127").pk,
        "kind": "complaint",
        "name": "王小明",
        "contact": "13900001111",
        "subject": "补贴迟迟未发",
        "text": "去年申请的专利补偿至今未到账。",
        "concerns_name": "",
        "website": "",
    }
    data.update(extra)
    return data


def _file(bureau, **extra) -> tuple[Petition, str]:
    data = {
        "kind": "report",
        "anonymous": False,
        "name": "王小明",
        "contact": "13900001111",
        "subject": "某项目经费使用问题",
        "text": "经费被挪作他用。",
        "concerns_name": "",
    }
    data.update(extra)
    return services.file_petition(bureau, data)


def _filed_days_ago(bureau, days: int, **extra) -> Petition:
    with time_machine.travel(timezone.now() - dt.timedelta(days=days)):
        petition, _code = _file(bureau, **extra)
    return petition


# The code.
def test_a_tracking_code_carries_at_least_64_bits_and_only_its_hash_is_stored(personas):
    code = new_code()
    symbols = code.replace("-", "")
    assert len(symbols) * math.log2(32) >= 64
    assert len({new_code() for _ in range(200)}) == 200

    petition, code = _file(personas.bureaus.county)
    petition.refresh_from_db()
    assert petition.code_hash == code_hash(code)
    stored = [
        str(value) for value in Petition.objects.filter(pk=petition.pk).values().get().values()
    ]
    assert not any(code in value or code.replace("-", "") in value for value in stored)


# Filing.
def test_a_visitor_files_a_named_petition_and_sees_the_code_once(client, personas):
    response = client.post(CREATE, _form())
    assert response.status_code == 200
    code = response.context["code"]
    assert code in response.content.decode()
    petition = Petition.objects.get()
    assert petition.code_hash == code_hash(code)
    assert (petition.name, petition.contact, petition.bureau) == (
        "王小明",
        "13900001111",
        personas.bureaus.county,
    )
    assert AuditEvent.objects.filter(action="portal.petition.submit").count() == 1
    # A second look at the form shows no code.
    assert code not in client.get(CREATE).content.decode()


def test_an_anonymous_petition_is_accepted_and_keeps_no_name(client, personas):
    response = client.post(CREATE, _form(anonymous="on", name="王小明", contact="13900001111"))
    assert response.status_code == 200
    petition = Petition.objects.get()
    assert petition.anonymous
    assert (petition.name, petition.contact) == ("", "")


def test_a_named_petition_without_a_name_is_refused(client, personas):
    response = client.post(CREATE, _form(name="", contact=""))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert "contact" in response.context["form"].errors
    assert not Petition.objects.exists()


def test_a_filled_honeypot_is_refused(client, personas):
    response = client.post(CREATE, _form(website="http://spam.example"))
    assert response.status_code == 400
    assert not Petition.objects.exists()


def test_too_many_petitions_from_one_address_get_429(client, personas, settings):
    settings.KEGUAN_PUBLIC_FORM_LIMITS = {"petition": 2}
    assert client.post(CREATE, _form()).status_code == 200
    assert client.post(CREATE, _form()).status_code == 200
    response = client.post(CREATE, _form())
    assert response.status_code == 429
    assert Petition.objects.count() == 2


def test_the_public_form_has_a_honeypot_hidden_by_a_class(client, personas):
    html = client.get(CREATE).content.decode()
    assert 'class="kg-honeypot"' in html
    assert 'name="website"' in html
    assert "style=" not in html


# Tracking.
def test_tracking_shows_the_state_and_the_reply_and_nothing_else(client, personas):
    inspector = personas.inspector
    petition, code = _file(personas.bureaus.county, concerns_name="某某")
    PETITION_WORKFLOW.apply(inspector, petition, "acknowledge", {})
    petition.refresh_from_db()
    PETITION_WORKFLOW.apply(inspector, petition, "conclude", {"note": "经核查,经费已追回。"})

    response = client.post(TRACK, {"code": code.lower()})
    html = response.content.decode()
    assert response.status_code == 200
    assert "经核查,经费已追回。" in html
    assert "某项目经费使用问题" in html
    assert "kg-state-verified" in html
    for secret in ("王小明", "13900001111", "经费被挪作他用", "某某", inspector.username, code):
        assert secret not in html
    assert set(response.context["petition"]) == {
        "kind",
        "subject",
        "state",
        "state_display",
        "tone",
        "submitted_at",
        "acknowledged_at",
        "concluded_at",
        "reply",
    }


def test_a_wrong_code_shows_nothing_but_a_neutral_message(client, personas):
    _file(personas.bureaus.county)
    response = client.post(TRACK, {"code": new_code()})
    assert response.status_code == 200
    assert response.context["not_found"]
    assert "petition" not in response.context
    assert "某项目经费使用问题" not in response.content.decode()


def test_too_many_lookups_get_429(client, personas, settings):
    settings.KEGUAN_PUBLIC_FORM_LIMITS = {"lookup": 1}
    assert client.post(TRACK, {"code": new_code()}).status_code == 200
    assert client.post(TRACK, {"code": new_code()}).status_code == 429


# The inspectors.
def test_a_petition_about_an_inspector_is_hidden_from_them(client, personas):
    county = personas.bureaus.county
    named = make_user("ivan", [Role.INSPECTOR], county, full_name="李四")
    petition, _code = _file(county, concerns_name="李四")
    assert petition.concerns == named

    sign_in(client, named)
    assert petition.subject not in client.get(reverse("portal:petition_list")).content.decode()
    detail = reverse("portal:petition_detail", args=[petition.pk])
    assert client.get(detail).status_code == 404
    action = reverse("portal:petition_action", args=[petition.pk])
    response = client.post(action, {"action": "acknowledge", "expected_state": "received"})
    assert response.status_code == 404
    petition.refresh_from_db()
    assert petition.state == Petition.State.RECEIVED

    sign_in(client, personas.inspector)
    assert client.get(detail).status_code == 200


def test_other_roles_cannot_open_the_petition_pages(client, personas):
    petition, _code = _file(personas.bureaus.county)
    for user in (personas.officer, personas.leader, personas.applicant_a):
        sign_in(client, user)
        assert client.get(reverse("portal:petition_list")).status_code == 404
        detail = reverse("portal:petition_detail", args=[petition.pk])
        assert client.get(detail).status_code == 404


def test_the_detail_shows_the_filer_unless_anonymous(client, personas):
    county = personas.bureaus.county
    named, _code = _file(county)
    anonymous, _code = _file(county, anonymous=True, name="张三", contact="x")
    sign_in(client, personas.inspector)
    html = client.get(reverse("portal:petition_detail", args=[named.pk])).content.decode()
    assert "王小明" in html and "13900001111" in html
    html = client.get(reverse("portal:petition_detail", args=[anonymous.pk])).content.decode()
    assert "张三" not in html


def test_the_list_keeps_a_constant_query_count_and_marks_overdue(client, personas):
    county = personas.bureaus.county
    sign_in(client, personas.inspector)
    url = reverse("portal:petition_list")
    _filed_days_ago(county, 20, subject="早已逾期")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert "table-danger" in response.content.decode()
    for n in range(4):
        _file(county, subject=f"信访{n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(one)
    assert len(response.context["page"]) == 5


def test_the_list_filters_by_state_and_kind(client, personas):
    county = personas.bureaus.county
    _file(county, kind="suggestion", subject="建议一")
    _file(county, kind="complaint", subject="投诉一")
    sign_in(client, personas.inspector)
    response = client.get(reverse("portal:petition_list"), {"kind": "suggestion"})
    assert [p.subject for p in response.context["page"]] == ["建议一"]
    response = client.get(reverse("portal:petition_list"), {"state": "concluded"})
    assert list(response.context["page"]) == []


def test_an_inspector_acknowledges_and_concludes_with_a_reply(client, personas):
    petition, code = _file(personas.bureaus.county)
    sign_in(client, personas.inspector)
    action = reverse("portal:petition_action", args=[petition.pk])
    client.post(action, {"action": "acknowledge", "expected_state": "received"})
    petition.refresh_from_db()
    assert petition.state == Petition.State.ACKNOWLEDGED
    assert petition.assigned_to == personas.inspector
    detail = client.get(reverse("portal:petition_detail", args=[petition.pk]))
    assert 'value="conclude"' in detail.content.decode()

    # Concluding needs the reply.
    client.post(action, {"action": "conclude", "expected_state": "acknowledged", "note": ""})
    petition.refresh_from_db()
    assert petition.state == Petition.State.ACKNOWLEDGED

    client.post(action, {"action": "conclude", "expected_state": "acknowledged", "note": "已办结"})
    petition.refresh_from_db()
    assert (petition.state, petition.reply) == (Petition.State.CONCLUDED, "已办结")
    actions = set(
        AuditEvent.objects.filter(object_type="portal.petition").values_list("action", flat=True)
    )
    assert {"portal.petition.acknowledge", "portal.petition.conclude"} <= actions
    assert "已办结" in client.post(TRACK, {"code": code}).content.decode()


def test_the_time_to_conclude_is_extended_once_by_30_days(client, personas):
    petition, _code = _file(personas.bureaus.county)
    due = petition.conclude_due
    sign_in(client, personas.inspector)
    extend = reverse("portal:petition_extend", args=[petition.pk])
    response = client.post(extend, {"reason": "需要外调取证"})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.conclude_due == due + dt.timedelta(days=30)
    assert petition.extension_reason == "需要外调取证"
    assert AuditEvent.objects.filter(action="portal.petition.extend").count() == 1

    response = client.post(extend, {"reason": "再次延期"})
    assert response.status_code == 200
    petition.refresh_from_db()
    assert petition.conclude_due == due + dt.timedelta(days=30)
    assert petition.extension_reason == "需要外调取证"
    assert AuditEvent.objects.filter(action="portal.petition.extend").count() == 1


def test_an_inspector_hands_a_petition_to_a_colleague(client, personas):
    county = personas.bureaus.county
    colleague = make_user("iris", [Role.INSPECTOR], county, full_name="赵六")
    petition, _code = _file(county)
    sign_in(client, personas.inspector)
    assign = reverse("portal:petition_assign", args=[petition.pk])
    response = client.post(assign, {"assigned_to": colleague.pk})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.assigned_to == colleague
    assert AuditEvent.objects.filter(action="portal.petition.assign").count() == 1

    # Nobody outside the bureau's inspectors can be chosen.
    client.post(assign, {"assigned_to": personas.officer.pk})
    petition.refresh_from_db()
    assert petition.assigned_to == colleague


# Time limits.
def test_remind_petitions_notifies_the_inspectors_once(
    personas, django_capture_on_commit_callbacks
):
    petition = _filed_days_ago(personas.bureaus.county, 14)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_petitions.call() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_petitions.call() == 0
    notes = Notification.objects.filter(user=personas.inspector)
    assert notes.count() == 1
    assert petition.subject in notes.get().subject
    assert not Notification.objects.filter(user=personas.officer).exists()


def test_overdue_petitions_stand_out_on_the_inspectors_home(client, personas):
    county = personas.bureaus.county
    _filed_days_ago(county, 20, subject="早已逾期的信访")
    _file(county, subject="刚收到的信访")
    sign_in(client, personas.inspector)
    html = client.get(reverse("core:home")).content.decode()
    assert "早已逾期的信访" in html
    assert "刚收到的信访" not in html
    panel = html[html.index("早已逾期的信访") :]
    assert "badge text-bg-danger" in panel[:600]
