"""The disk fills up in the middle of an upload: the user is told plainly, nothing is kept,
the operators are told in the log."""

import errno
import logging
import os
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keguan.audit.models import AuditEvent
from keguan.portal.models import Objection
from keguan.projects.models import Attachment, AttachmentKind
from tests.factories import sign_in
from tests.portal.test_public_notices import PUBLISHED, make_notice, object_url, objection_data
from tests.projects.factories import PDF_BYTES, make_application, make_call

pytestmark = pytest.mark.django_db

ROOM = 10_000


class FullDisk:
    """A file whose disk has ROOM bytes left: writes go to the real file until then, and
    the write that passes it raises ENOSPC having written what fitted, as the kernel does."""

    def __init__(self, handle, room: int, log: list):
        self.handle, self.room, self.log = handle, room, log

    def write(self, data):
        fits = data[: max(self.room, 0)]
        self.handle.write(fits)
        self.handle.flush()
        self.room -= len(fits)
        self.log.append(len(fits))
        if len(fits) < len(data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return len(data)

    def __getattr__(self, name):
        return getattr(self.handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()


@pytest.fixture
def full_disk(monkeypatch):
    """Every file opened for writing by descriptor (how keguan's uploads and Django's file
    storage write) fills the disk after ROOM bytes. Returns the bytes each write wrote."""
    written = []
    real_fdopen = os.fdopen

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        return FullDisk(handle, ROOM, written) if "w" in mode else handle

    monkeypatch.setattr(os, "fdopen", fdopen)
    return written


def big_pdf(name="可行性报告.pdf") -> SimpleUploadedFile:
    """About 200 KB: several chunks, most of which do not fit."""
    body = PDF_BYTES + b"%" + b"0" * (200 * 1024) + b"\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def files_under(folder) -> list[Path]:
    return [path for path in Path(folder).rglob("*") if path.is_file()]


def test_a_full_disk_refuses_an_attachment_plainly_and_keeps_nothing(
    client, personas, english, settings, tmp_path, full_disk, caplog
):
    settings.KEGUAN_ATTACHMENT_DIR = tmp_path / "attachments"
    application = make_application(personas.applicant_a, make_call(personas.officer))
    sign_in(client, personas.applicant_a)
    events = AuditEvent.objects.count()
    with caplog.at_level(logging.ERROR, logger="keguan.core.files"):
        response = client.post(
            reverse("projects:application_attachment_upload", args=[application.pk]),
            {"kind": AttachmentKind.FEASIBILITY_REPORT, "file": big_pdf()},
            follow=True,
        )
    assert response.status_code == 200
    assert "The server has no room for this file now; nothing was saved" in (
        response.content.decode()
    )
    assert sum(full_disk) == ROOM, "the upload wrote part of the file before the disk filled"
    assert not Attachment.objects.exists()
    assert files_under(settings.KEGUAN_ATTACHMENT_DIR) == []
    assert AuditEvent.objects.count() == events
    assert any("no room" in record.getMessage() for record in caplog.records)


def test_a_quota_exceeded_is_refused_the_same_way(personas, settings, tmp_path, monkeypatch):
    from django.core.exceptions import ValidationError

    from keguan.projects import attachments

    settings.KEGUAN_ATTACHMENT_DIR = tmp_path
    application = make_application(personas.applicant_a, make_call(personas.officer))

    def over_quota(upload, path, limit):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-")
        raise OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))

    monkeypatch.setattr(attachments, "_write", over_quota)
    with pytest.raises(ValidationError) as refused:
        attachments.store(
            personas.applicant_a,
            big_pdf(),
            kind=AttachmentKind.FEASIBILITY_REPORT,
            application=application,
        )
    assert "file" in refused.value.message_dict
    assert files_under(tmp_path) == [] and not Attachment.objects.exists()


def test_another_write_error_still_fails_loudly_and_leaves_no_file(
    personas, settings, tmp_path, monkeypatch
):
    from keguan.projects import attachments

    settings.KEGUAN_ATTACHMENT_DIR = tmp_path
    application = make_application(personas.applicant_a, make_call(personas.officer))

    def broken(upload, path, limit):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-")
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(attachments, "_write", broken)
    with pytest.raises(OSError):
        attachments.store(
            personas.applicant_a,
            big_pdf(),
            kind=AttachmentKind.FEASIBILITY_REPORT,
            application=application,
        )
    assert files_under(tmp_path) == []


def test_a_full_disk_refuses_an_objection_letter_plainly_and_keeps_nothing(
    client, personas, english, tmp_path, monkeypatch, full_disk, caplog
):
    storage = Objection._meta.get_field("letter").storage
    # The letters' storage took its folder when the models loaded: point it at this test's.
    monkeypatch.setattr(storage, "location", str(tmp_path))
    monkeypatch.setattr(storage, "base_location", str(tmp_path))
    with time_machine.travel(PUBLISHED, tick=True):
        notice = make_notice(personas.officer)
        data = objection_data(
            notice,
            objector="organization",
            organization_name="乙企业",
            legal_representative="赵法人",
        )
        data["letter"] = big_pdf("异议函.pdf")
        events = AuditEvent.objects.count()
        with caplog.at_level(logging.ERROR, logger="keguan.core.files"):
            response = client.post(object_url(notice), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The server has no room for this file now; nothing was saved" in page
    assert sum(full_disk) == ROOM
    assert not Objection.objects.exists()
    assert files_under(tmp_path) == []
    assert AuditEvent.objects.count() == events
    assert any("no room" in record.getMessage() for record in caplog.records)
