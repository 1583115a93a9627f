"""The public notices: anyone reads the published ones, nobody reads drafts, no page shows
personal data; the objection form takes named objections in the period and refuses the rest."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from defusedxml import ElementTree as ET
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keguan.audit import services as audit
from keguan.audit.models import AuditEvent
from keguan.portal import services
from keguan.portal.models import Notice, NoticeItem, NoticeKind, Objection
from keguan.portal.workflow import NOTICE_WORKFLOW
from tests.factories import sign_in
from tests.projects.factories import make_id_number, pdf_upload

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ATOM = "{http://www.w3.org/2005/Atom}"
# A Tuesday of a year the holiday calendar knows: a notice published then runs at once.
PUBLISHED = dt.datetime(2024, 5, 14, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _working_tuesday():
    with time_machine.travel(PUBLISHED, tick=True):
        yield


def make_notice(officer, kind=NoticeKind.PROJECT_APPROVAL, items=None, publish=True, **data):
    notice = services.create_notice(
        officer,
        {"kind": kind, "title": "2024年度县级科技计划立项公示", "body": "现予公示。", **data},
    )
    services.replace_items(
        officer,
        notice,
        items or [{"title": "富硒茶深加工", "unit": "甲企业", "amount": Decimal("150000")}],
    )
    if publish:
        NOTICE_WORKFLOW.apply(officer, notice, "publish")
    notice.refresh_from_db()
    return notice


def objection_data(notice, **extra):
    data = {
        "objector": "person",
        "name": "张举报",
        "contact": PHONE,
        "item": notice.items.first().pk,
        "text": "该项目申报材料与实际不符。",
        "website": "",
    }
    data.update(extra)
    return data


def object_url(notice):
    return reverse("portal:objection_create", kwargs={"pk": notice.pk})


def public_pages(client, notice) -> dict[str, str]:
    urls = {
        "list": reverse("portal:notice_list"),
        "detail": reverse("portal:notice_detail", kwargs={"pk": notice.pk}),
        "print": reverse("portal:notice_print", kwargs={"pk": notice.pk}),
        "feed": reverse("portal:notice_feed"),
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    return pages


def test_anonymous_visitors_read_the_list_detail_print_and_feed(client, personas):
    notice = make_notice(personas.officer, contact="县科技局办公室")
    pages = public_pages(client, notice)
    for name, body in pages.items():
        assert notice.title in body, name
    assert "富硒茶深加工" in pages["detail"] and "15.00" in pages["detail"]
    assert "县科技局办公室" in pages["detail"] and "县科技局办公室" in pages["print"]
    assert 'class="kg-header' not in pages["print"]


def test_the_list_shows_every_bureaus_public_notices_and_filters_them(client, personas):
    ours = make_notice(personas.officer, title="本县公示")
    far = make_notice(personas.neighbour_officer, kind=NoticeKind.FUNDING, title="邻县公示")
    url = reverse("portal:notice_list")
    assert set(client.get(url).context["page"]) == {ours, far}
    assert list(client.get(url, {"kind": "funding"}).context["page"]) == [far]
    assert set(client.get(url, {"period": "running"}).context["page"]) == {ours, far}
    assert list(client.get(url, {"period": "ended"}).context["page"]) == []
    with time_machine.travel(ours.ends_on + dt.timedelta(days=3)):
        assert services.end_due_notices()
        assert set(client.get(url, {"period": "ended"}).context["page"]) == {ours, far}
        body = client.get(url).content.decode()
    assert "badge text-bg-secondary" in body


def test_drafts_and_withdrawn_notices_do_not_exist_in_public(client, personas):
    draft = make_notice(personas.officer, publish=False, title="草稿公示")
    withdrawn = make_notice(personas.officer, title="撤回公示")
    NOTICE_WORKFLOW.apply(personas.officer, withdrawn, "withdraw", {"note": "重发"})
    body = client.get(reverse("portal:notice_list")).content.decode()
    assert "草稿公示" not in body and "撤回公示" not in body
    feed = client.get(reverse("portal:notice_feed")).content.decode()
    assert "草稿公示" not in feed and "撤回公示" not in feed
    for notice in (draft, withdrawn):
        for name in ("notice_detail", "notice_print", "objection_create"):
            assert (
                client.get(reverse(f"portal:{name}", kwargs={"pk": notice.pk})).status_code == 404
            )


def test_no_phone_id_number_or_name_reaches_public_pages_of_a_non_award_notice(client, personas):
    id_number = make_id_number()
    notice = make_notice(
        personas.officer,
        items=[
            {
                "title": "富硒茶深加工",
                "unit": "甲企业",
                "amount": Decimal("150000"),
            }
        ],
    )
    with audit.writing():
        # A name and numbers slipped in by hand (the service refuses them): never shown.
        NoticeItem.objects.filter(notice=notice).update(
            person_name="李负责", detail=f"负责人电话 {PHONE} 身份证 {id_number}"
        )
        audit.record("test.person_name", obj=notice)
    client.post(object_url(notice), objection_data(notice, contact=f"{PHONE} {id_number}"))
    assert Objection.objects.filter(notice=notice).count() == 1
    for name, body in public_pages(client, notice).items():
        for secret in (PHONE, id_number, "李负责", "张举报"):
            assert secret not in body, (name, secret)


def test_an_award_notice_names_its_people_but_no_phone(client, personas):
    notice = make_notice(
        personas.officer,
        kind=NoticeKind.AWARD,
        title="科技进步奖公示",
        items=[
            {"title": "茶树良种选育", "unit": "甲企业", "person_name": "王获奖", "detail": "一等奖"}
        ],
    )
    pages = public_pages(client, notice)
    assert "王获奖" in pages["detail"] and "王获奖" in pages["print"]
    assert "王获奖" not in pages["feed"]
    for body in pages.values():
        assert PHONE not in body


def test_an_estimated_calendar_is_said_on_the_notice(client, personas, english):
    notice = make_notice(personas.officer)
    with audit.writing():
        Notice.objects.filter(pk=notice.pk).update(calendar_estimated=True)
        audit.record("test.calendar_estimated", obj=notice)
    body = client.get(reverse("portal:notice_detail", kwargs={"pk": notice.pk})).content.decode()
    assert "the end date counts Monday to Friday" in body


def test_the_feed_is_atom_newest_first(client, personas):
    first = make_notice(personas.officer, title="第一份公示")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)):
        second = make_notice(personas.officer, title="第二份公示")
    response = client.get(reverse("portal:notice_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert titles == [second.title, first.title]


def test_the_list_queries_do_not_grow_with_rows(client, personas):
    make_notice(personas.officer)
    url = reverse("portal:notice_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index in range(4):
        make_notice(personas.neighbour_officer, title=f"公示{index}")
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert len(response.context["page"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


def test_a_valid_objection_holds_its_item_and_is_audited_without_the_name(client, personas):
    notice = make_notice(personas.officer)
    item = notice.items.get()
    response = client.post(object_url(notice), objection_data(notice))
    assert response.status_code == 200
    body = response.content.decode()
    assert "张举报" not in body and PHONE not in body
    assert response.templates[0].name == "portal/objection_done.html"
    objection = Objection.objects.get(notice=notice)
    assert objection.name == "张举报" and objection.item == item
    item.refresh_from_db()
    assert item.state == NoticeItem.State.HELD
    event = AuditEvent.objects.get(action="portal.objection.submit", object_id=str(objection.pk))
    assert "张举报" not in str(event.after) and PHONE not in str(event.after)
    assert "张举报" not in str(event.before)
    detail = client.get(reverse("portal:notice_detail", kwargs={"pk": notice.pk}))
    assert "text-bg-warning" in detail.content.decode()


def test_the_form_offers_the_notices_items_and_a_hidden_honeypot(client, personas):
    notice = make_notice(personas.officer)
    response = client.get(object_url(notice))
    assert response.status_code == 200
    body = response.content.decode()
    assert "富硒茶深加工" in body
    assert 'class="kg-honeypot"' in body and 'name="website"' in body
    assert "style=" not in body


def test_a_late_objection_is_refused_and_nothing_is_saved(client, personas, english):
    notice = make_notice(personas.officer)
    with time_machine.travel(notice.ends_on + dt.timedelta(days=1)):
        assert 'name="text"' not in client.get(object_url(notice)).content.decode()
        detail = client.get(reverse("portal:notice_detail", kwargs={"pk": notice.pk}))
        assert object_url(notice) not in detail.content.decode()
        response = client.post(object_url(notice), objection_data(notice))
    assert response.status_code == 200
    assert "objections are no longer taken" in response.content.decode()
    assert not Objection.objects.exists()
    assert notice.items.get().state == NoticeItem.State.LISTED


@pytest.mark.parametrize("blank", ["name", "contact"])
def test_an_anonymous_objection_is_refused(client, personas, english, blank):
    notice = make_notice(personas.officer)
    response = client.post(object_url(notice), objection_data(notice, **{blank: ""}))
    assert response.status_code == 200
    assert "anonymous objections are not accepted" in response.content.decode()
    assert not Objection.objects.exists()
    assert notice.items.get().state == NoticeItem.State.LISTED


def test_an_organization_without_its_sealed_letter_is_refused(client, personas, english):
    notice = make_notice(personas.officer)
    data = objection_data(
        notice, objector="organization", organization_name="乙企业", legal_representative="赵法人"
    )
    response = client.post(object_url(notice), data)
    assert "Attach a scan of the letter" in response.content.decode()
    assert not Objection.objects.exists()


def test_an_organization_with_its_letter_is_received(client, personas, settings, tmp_path):
    settings.KEGUAN_ATTACHMENT_DIR = str(tmp_path)
    notice = make_notice(personas.officer)
    data = objection_data(
        notice, objector="organization", organization_name="乙企业", legal_representative="赵法人"
    )
    data["letter"] = pdf_upload("乙企业 赵法人 异议函.pdf")
    response = client.post(object_url(notice), data)
    assert response.templates[0].name == "portal/objection_done.html"
    objection = Objection.objects.get()
    assert objection.letter.name.endswith(".pdf") and "赵法人" not in objection.letter.name


def test_a_letter_that_is_not_a_pdf_or_picture_is_refused(client, personas, english):
    notice = make_notice(personas.officer)
    data = objection_data(
        notice, objector="organization", organization_name="乙企业", legal_representative="赵法人"
    )
    data["letter"] = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(object_url(notice), data)
    assert "Upload the letter as a PDF" in response.content.decode()
    assert not Objection.objects.exists()


def test_a_letter_over_the_size_limit_is_refused(client, personas, settings, english):
    settings.KEGUAN_UPLOAD_MAX_MB = 1
    notice = make_notice(personas.officer)
    data = objection_data(
        notice, objector="organization", organization_name="乙企业", legal_representative="赵法人"
    )
    data["letter"] = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    response = client.post(object_url(notice), data)
    assert "larger than the 1 MB allowed" in response.content.decode()
    assert not Objection.objects.exists()


def test_a_filled_honeypot_is_refused_and_nothing_is_saved(client, personas):
    notice = make_notice(personas.officer)
    response = client.post(object_url(notice), objection_data(notice, website="http://spam"))
    assert response.status_code == 200
    assert response.templates[0].name == "portal/objection_form.html"
    assert not Objection.objects.exists()
    assert notice.items.get().state == NoticeItem.State.LISTED


def test_the_rate_limit_answers_429_past_the_limit(client, personas, settings):
    settings.KEGUAN_PUBLIC_FORM_LIMITS = {"objection": 2}
    notice = make_notice(personas.officer)
    for _ in range(2):
        assert client.post(object_url(notice), objection_data(notice)).status_code == 200
    response = client.post(object_url(notice), objection_data(notice))
    assert response.status_code == 429
    assert response.templates[0].name == "portal/rate_limited.html"
    assert Objection.objects.count() == 2


def test_an_item_of_another_notice_is_not_accepted(client, personas):
    notice = make_notice(personas.officer)
    other = make_notice(personas.officer, title="另一份公示")
    data = objection_data(notice, item=other.items.get().pk)
    response = client.post(object_url(notice), data)
    assert response.templates[0].name == "portal/objection_form.html"
    assert not Objection.objects.exists()


def test_signed_in_users_read_the_notices_too(client, personas):
    notice = make_notice(personas.officer)
    sign_in(client, personas.applicant_a)
    url = reverse("portal:notice_detail", kwargs={"pk": notice.pk})
    assert client.get(url).status_code == 200


def test_a_notice_published_on_a_weekend_takes_objections_at_once(client, personas, english):
    """The period is counted from the next working day, but the notice is public from its
    publication: an objection filed on the weekend is taken."""
    with time_machine.travel(dt.datetime(2024, 5, 18, 10, 0, tzinfo=PUBLISHED.tzinfo)):
        notice = make_notice(personas.officer)
        assert notice.starts_on == dt.date(2024, 5, 20)
        response = client.post(object_url(notice), objection_data(notice))
    assert response.status_code == 200
    assert Objection.objects.filter(notice=notice).count() == 1


def test_an_id_or_mobile_number_in_a_notice_is_refused_before_it_is_public(personas):
    from django.core.exceptions import ValidationError

    from keguan.portal import services

    notice = services.create_notice(personas.officer, {"kind": "other", "title": "公示"})
    with pytest.raises(ValidationError) as refused:
        services.replace_items(
            personas.officer, notice, [{"title": "项目", "detail": f"联系 {PHONE}"}]
        )
    assert "items.1.detail" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.create_notice(
            personas.officer, {"kind": "other", "title": f"公示 {make_id_number()}"}
        )
