"""Attachments: judged by their bytes, stored at random names, read only by who may."""

import hashlib
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from keguan.audit.models import AuditEvent
from keguan.projects import attachments
from keguan.projects.models import Attachment, AttachmentKind
from tests.factories import sign_in
from tests.projects.factories import (
    PDF_BYTES,
    make_application,
    make_call,
    pdf_upload,
    submitted_application,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
DOCUMENT = b'<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body/></w:document>'


@pytest.fixture(autouse=True)
def store_dir(settings, tmp_path):
    settings.KEGUAN_ATTACHMENT_DIR = tmp_path / "attachments"
    return settings.KEGUAN_ATTACHMENT_DIR


@pytest.fixture
def application(personas):
    call = make_call(personas.officer)
    return make_application(personas.applicant_a, call)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("可行性报告")
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "预算"
    workbook.save(buffer)
    return buffer.getvalue()


def package(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def zip_bomb() -> bytes:
    return package(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": DOCUMENT,
            "word/media/padding.bin": b"\0" * (20 * 1024 * 1024),
        }
    )


def docx_with_dtd() -> bytes:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<w:document xmlns:w="urn:w"><w:body>&xxe;</w:body></w:document>'
    )
    return package({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": evil})


def docx_with_utf16_dtd() -> bytes:
    evil = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w [<!ENTITY a "b">]><w/>'
    return package(
        {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": evil.encode("utf-16")}
    )


def docx_with_traversal() -> bytes:
    return package(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": DOCUMENT,
            "../../../../tmp/evil.xml": b"<x/>",
        }
    )


# Each attack, and a word of the message that tells the user what is wrong.
ATTACKS = {
    "an executable renamed to .pdf": (
        lambda: upload("报告.pdf", b"MZ\x90\x00\x03" + b"\0" * 500),
        "not a real PDF",
    ),
    "a zip bomb dressed as Word": (
        lambda: upload("bomb.docx", zip_bomb(), "application/msword"),
        "zip bomb",
    ),
    "a Word file with a DTD": (lambda: upload("xxe.docx", docx_with_dtd()), "DTD"),
    "a Word file with a UTF-16 DTD": (lambda: upload("xxe16.docx", docx_with_utf16_dtd()), "DTD"),
    "a Word file with a path-traversal part name": (
        lambda: upload("slip.docx", docx_with_traversal()),
        "unsafe names",
    ),
    "a zip that is neither Word nor Excel": (
        lambda: upload("data.docx", package({"readme.txt": b"hello"})),
        "not a real PDF",
    ),
    "a PNG when the kind is not a photograph": (
        lambda: upload("licence.png", PNG_BYTES, "image/png"),
        "only as photographs",
    ),
    "an empty file": (lambda: upload("empty.pdf", b""), "empty"),
}


@pytest.mark.parametrize("attack", list(ATTACKS), ids=list(ATTACKS))
def test_a_dangerous_or_fake_file_is_refused_and_nothing_is_kept(
    attack, personas, application, store_dir
):
    make_upload, reason = ATTACKS[attack]
    with pytest.raises(ValidationError) as refused:
        attachments.store(
            personas.applicant_a,
            make_upload(),
            kind=AttachmentKind.FEASIBILITY_REPORT,
            application=application,
        )
    assert set(refused.value.message_dict) == {"file"}
    assert reason in refused.value.message_dict["file"][0]
    assert not Attachment.objects.exists()
    assert stored_files(store_dir) == []
    assert not AuditEvent.objects.filter(action="projects.attachment.upload").exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_kept(
    personas, application, store_dir, settings
):
    settings.KEGUAN_UPLOAD_MAX_MB = 1
    big = upload("big.pdf", PDF_BYTES + b"\0" * (1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        attachments.store(personas.applicant_a, big, kind="other", application=application)
    assert "1 MB" in refused.value.message_dict["file"][0]
    assert not Attachment.objects.exists()
    assert stored_files(store_dir) == []


def test_a_file_that_lies_about_its_size_is_stopped_while_it_is_copied(
    personas, application, store_dir, settings
):
    settings.KEGUAN_UPLOAD_MAX_MB = 1
    liar = upload("liar.pdf", PDF_BYTES + b"\0" * (1024 * 1024))
    liar.size = 100
    with pytest.raises(ValidationError):
        attachments.store(personas.applicant_a, liar, kind="other", application=application)
    assert not Attachment.objects.exists()
    assert stored_files(store_dir) == []


def test_a_fake_word_file_gets_the_plain_message(personas, application):
    with pytest.raises(ValidationError) as refused:
        attachments.store(
            personas.applicant_a,
            upload("x.pdf", b"MZ" + b"\0" * 100),
            kind="other",
            application=application,
        )
    assert refused.value.message_dict["file"] == [
        "This file is not a real PDF, Word or Excel document."
    ]


def test_a_photograph_may_be_a_png(personas, application):
    attachment = attachments.store(
        personas.applicant_a,
        upload("现场.png", PNG_BYTES, "application/octet-stream"),
        kind=AttachmentKind.PHOTO,
        application=application,
    )
    assert attachment.content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("可行性报告.pdf", PDF_BYTES, "application/pdf"),
        ("可行性报告.docx", None, attachments.DOCX),
        ("预算表.xlsx", None, attachments.XLSX),
    ],
    ids=["pdf", "docx", "xlsx"],
)
def test_a_real_document_is_stored_at_a_random_name_with_its_hash(
    name, data, content_type, personas, application, store_dir
):
    data = data or (docx_bytes() if name.endswith("docx") else xlsx_bytes())
    # The browser's content type is ignored: the bytes decide.
    attachment = attachments.store(
        personas.applicant_a,
        upload(name, data, "text/plain"),
        kind=AttachmentKind.FEASIBILITY_REPORT,
        application=application,
    )
    assert attachment.content_type == content_type
    assert attachment.original_name == name
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}", attachment.stored_name)
    assert stored_files(store_dir) == [store_dir / attachment.stored_name]
    with attachments.open_file(attachment) as handle:
        assert handle.read() == data
    event = AuditEvent.objects.get(action="projects.attachment.upload")
    assert event.object_id == str(attachment.pk)
    assert event.after["sha256"] == attachment.sha256


def test_the_file_name_cannot_steer_where_the_file_goes_and_is_kept_clean(
    personas, application, store_dir
):
    attachment = attachments.store(
        personas.applicant_a,
        upload("..\\..\\windows\\re\u202eport.exe", PDF_BYTES),
        kind="other",
        application=application,
    )
    assert attachment.original_name == "report.exe.pdf"
    path = (store_dir / attachment.stored_name).resolve()
    assert path.is_relative_to(store_dir.resolve())
    assert stored_files(store_dir) == [path]


def test_a_long_name_is_cut_to_two_hundred_characters_keeping_the_extension(personas, application):
    attachment = attachments.store(
        personas.applicant_a,
        upload("长" * 300 + ".pdf", PDF_BYTES),
        kind="other",
        application=application,
    )
    assert len(attachment.original_name) == 200
    assert attachment.original_name.endswith(".pdf")


def test_uploading_the_same_kind_again_keeps_the_old_version_as_history(personas, application):
    first = attachments.store(
        personas.applicant_a,
        pdf_upload("一稿.pdf"),
        kind="feasibility_report",
        application=application,
    )
    second = attachments.store(
        personas.applicant_a,
        pdf_upload("二稿.pdf"),
        kind="feasibility_report",
        application=application,
    )
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert second.superseded_at is None
    assert list(application.attachments.filter(superseded_at__isnull=True)) == [second]
    assert application.attachments.count() == 2
    event = AuditEvent.objects.get(action="projects.attachment.upload", object_id=str(second.pk))
    assert event.after["supersedes"] == [first.pk]


def test_the_service_refuses_an_application_the_user_may_not_change(
    personas, application, store_dir
):
    submitted = submitted_application(personas.applicant_a, make_call(personas.officer))
    for user, target in [(personas.applicant_b, application), (personas.applicant_a, submitted)]:
        with pytest.raises(ValidationError):
            attachments.store(user, pdf_upload(), kind="other", application=target)
    assert not Attachment.objects.exists()
    assert stored_files(store_dir) == []


# Downloads.
def download(client, user, attachment):
    client.logout()
    if user is not None:
        sign_in(client, user)
    return client.get(reverse("projects:attachment_download", args=[attachment.pk]))


def test_a_document_downloads_as_an_attachment_under_its_name_and_type(
    client, personas, application
):
    data = docx_bytes()
    attachment = attachments.store(
        personas.applicant_a, upload("申报书.docx", data), kind="other", application=application
    )
    response = download(client, personas.applicant_a, attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == attachments.DOCX
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E7%94%B3%E6%8A%A5%E4%B9%A6.docx" in disposition


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("applicant_a", 200),
        ("officer", 200),
        ("leader", 200),
        ("inspector", 200),
        ("city_officer", 200),
        ("applicant_b", 404),
        ("neighbour_officer", 404),
        ("expert", 404),
        ("liaison", 404),
        ("sysadmin", 404),
    ],
)
def test_only_those_who_see_the_application_may_download(
    client, personas, application, persona, status
):
    attachment = attachments.store(
        personas.applicant_a, pdf_upload(), kind="other", application=application
    )
    response = download(client, getattr(personas, persona), attachment)
    assert response.status_code == status
    if status == 404:
        assert AuditEvent.objects.filter(
            action="access.denied", object_type="projects.attachment", object_id=attachment.pk
        ).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, personas, application):
    attachment = attachments.store(
        personas.applicant_a, pdf_upload(), kind="other", application=application
    )
    assert download(client, None, attachment).status_code == 302


def test_a_replaced_version_stays_downloadable(client, personas, application):
    old = attachments.store(
        personas.applicant_a, pdf_upload("旧.pdf"), kind="other", application=application
    )
    attachments.store(
        personas.applicant_a, pdf_upload("新.pdf"), kind="other", application=application
    )
    assert download(client, personas.officer, old).status_code == 200


# Through the page.
def test_the_upload_page_attaches_a_document_and_shows_it(client, personas, application):
    sign_in(client, personas.applicant_a)
    response = client.post(
        reverse("projects:application_attachment_upload", args=[application.pk]),
        {"kind": "feasibility_report", "file": pdf_upload("可行性报告.pdf")},
        follow=True,
    )
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert attachment.uploaded_by == personas.applicant_a
    assert reverse("projects:attachment_download", args=[attachment.pk]) in response.text


def test_the_upload_page_says_why_a_fake_file_was_refused(client, personas, application, store_dir):
    sign_in(client, personas.applicant_a)
    response = client.post(
        reverse("projects:application_attachment_upload", args=[application.pk]),
        {"kind": "other", "file": upload("virus.pdf", b"MZ" + b"\0" * 100)},
        follow=True,
    )
    assert "This file is not a real PDF, Word or Excel document." in response.text
    assert not Attachment.objects.exists()
    assert stored_files(store_dir) == []


def test_another_organization_cannot_upload_to_the_application(
    client, personas, application, store_dir
):
    sign_in(client, personas.applicant_b)
    response = client.post(
        reverse("projects:application_attachment_upload", args=[application.pk]),
        {"kind": "other", "file": pdf_upload()},
    )
    assert response.status_code == 404
    assert not Attachment.objects.exists()
    assert stored_files(store_dir) == []
