"""Storing attached documents: checked by what they contain, kept under random names.

A file is judged by its bytes, never by its name or the content type the browser sent:
a PDF starts with `%PDF-`; Word and Excel files are zip packages, inspected with `zipfile`
before any parser opens them (zip bombs, path tricks, missing parts, DTDs that would
let an XML parser fetch or expand entities); pictures are recognized by `filetype` and
taken only as photographs. Files live under `settings.KEGUAN_ATTACHMENT_DIR`, outside the
web root, at a random two-level path; the name the user gave is kept, cleaned, only to
show and to offer the download under.
"""

import hashlib
import os
import re
import secrets
import unicodedata
import zipfile
import zlib
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.core import files
from keguan.projects import permissions as can
from keguan.projects.models import Application, Attachment, AttachmentKind, Project

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
}
# What the upload field's `accept` attribute offers (a hint to the browser, not a check).
ACCEPT = ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"

# Limits on a Word or Excel package, checked before anything unpacks it.
ZIP_MAX_TOTAL = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_MEMBERS = 2000
XML_HEAD = 64 * 1024
MAIN_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}
NAME_MAX = 200
CHUNK = 64 * 1024


class _Refusal(Exception):
    """A reason to refuse the file, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _not_a_document() -> _Refusal:
    return _Refusal(_("This file is not a real PDF, Word or Excel document."))


def max_bytes() -> int:
    return settings.KEGUAN_UPLOAD_MAX_MB * 1024 * 1024


def clean_name(name: str, content_type: str) -> str:
    """The user's file name without folders or control characters, at most 200
    characters, ending in the extension its content really has."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    # Cc: control characters; Cf: format characters such as the right-to-left override
    # that makes "report\u202efdp.exe" read as "reportexe.pdf".
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    name = name.strip().strip(".").strip()
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = f".{extension.lower()}"
    if extension not in EXTENSIONS[content_type]:
        # "report.exe" holding a PDF becomes "report.exe.pdf": what it really is.
        stem, extension = name, EXTENSIONS[content_type][0]
    stem = stem.strip() or _("attachment")
    return stem[: NAME_MAX - len(extension)] + extension


def _images_allowed(kind: str, application: Application | None) -> bool:
    if kind == AttachmentKind.PHOTO:
        return True
    return application is not None and AttachmentKind.PHOTO in (
        application.call.required_attachments or []
    )


def _unsafe_member_name(name: str) -> bool:
    name = name.replace("\\", "/")
    return (
        name.startswith("/")
        or re.match(r"^[A-Za-z]:", name) is not None
        or ".." in name.split("/")
        or "\x00" in name
    )


def _looks_like_xml(name: str, head: bytes) -> bool:
    if name.lower().endswith((".xml", ".rels", ".vml")):
        return True
    # Any part a parser could take for XML, whatever it is called.
    return head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00").startswith(b"<")


def _has_dtd(head: bytes) -> bool:
    # UTF-16 XML has a NUL beside every ASCII character; dropping the NULs shows the markup.
    head = head.replace(b"\x00", b"").upper()
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


def _check_package(path: Path) -> str:
    """The content type of the Word or Excel package at PATH, or a _Refusal."""
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            if len(members) > ZIP_MAX_MEMBERS:
                raise _Refusal(_("This document has too many parts to be a Word or Excel file."))
            unpacked = sum(m.file_size for m in members)
            packed = sum(m.compress_size for m in members)
            if unpacked > ZIP_MAX_TOTAL or unpacked > ZIP_MAX_RATIO * max(packed, 1):
                raise _Refusal(
                    _(
                        "This document unpacks to far more than its size (a “zip bomb”); "
                        "it cannot be accepted."
                    )
                )
            names = {m.filename for m in members}
            if any(_unsafe_member_name(name) for name in names):
                raise _Refusal(
                    _("This document contains parts with unsafe names; it cannot be accepted.")
                )
            main = [MAIN_PARTS[name] for name in MAIN_PARTS if name in names]
            if "[Content_Types].xml" not in names or len(main) != 1:
                raise _not_a_document()
            for member in members:
                if member.is_dir():
                    continue
                with package.open(member) as part:
                    head = part.read(XML_HEAD)
                if _looks_like_xml(member.filename, head) and _has_dtd(head):
                    raise _Refusal(
                        _(
                            "This document contains XML declarations (a DTD) that Word and "
                            "Excel files do not use; save it again from Word or Excel."
                        )
                    )
            return main[0]
    except RuntimeError:
        # zipfile's way of saying a member is encrypted.
        raise _Refusal(
            _("This document is protected by a password; remove it and upload again.")
        ) from None
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, zlib.error):
        raise _not_a_document() from None


def _sniff(path: Path, kind: str, application: Application | None) -> str:
    """The content type of the file at PATH judged by its bytes, or a _Refusal."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _check_package(path)
    guess = filetype.guess(head)
    if guess is not None and guess.mime in (PNG, JPEG):
        if _images_allowed(kind, application):
            return guess.mime
        raise _Refusal(
            _(
                "Pictures (PNG or JPEG) are accepted only as photographs; "
                "upload this as a PDF, Word or Excel document."
            )
        )
    raise _not_a_document()


def _root() -> Path:
    return Path(settings.KEGUAN_ATTACHMENT_DIR)


def _new_location() -> tuple[str, Path]:
    token = secrets.token_hex(16)
    stored_name = f"{token[:2]}/{token[2:4]}/{token}"
    return stored_name, _root() / stored_name


def _write(upload, path: Path, limit: int) -> tuple[int, str]:
    """Copy UPLOAD to a new file at PATH; return its size and SHA-256. Stops (a _Refusal)
    as soon as more than LIMIT bytes arrived, whatever the upload claimed its size was."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    digest, size = hashlib.sha256(), 0
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in upload.chunks(CHUNK):
            size += len(chunk)
            if size > limit:
                raise _too_big()
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def _too_big() -> _Refusal:
    return _Refusal(
        _("The file is larger than the %(limit)d MB allowed.")
        % {"limit": settings.KEGUAN_UPLOAD_MAX_MB}
    )


def _check_owner(user, application: Application | None, project: Project | None) -> None:
    if (application is None) == (project is None):
        raise ValueError("attach to exactly one of an application or a project")
    # Views check the same predicates first; this is the second line of defence.
    if application is not None and not can.can_upload_to_application(user, application):
        raise ValidationError(
            {"file": _("Only a draft or returned application of your own takes attachments.")}
        )
    if project is not None and not can.can_upload_to_project(user, project):
        raise ValidationError({"file": _("You may not add documents to this project.")})


def store(
    user,
    upload,
    *,
    kind: str,
    application: Application | None = None,
    project: Project | None = None,
) -> Attachment:
    """Check UPLOAD by its content and keep it as the current document of KIND.

    Side effects, all or nothing: the file is written under a random name in the
    attachment folder; an Attachment row records the cleaned original name, the content
    type found, the size and the SHA-256; the previous current attachment of the same
    kind (if any) is marked superseded and kept as history; one audit event
    `projects.attachment.upload`. If anything fails, no row is saved and the file is
    removed. Raises ValidationError({"file": ...}) in words the user can act on, a full disk
    included (logged for the operators).
    """
    _check_owner(user, application, project)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Choose what kind of document this is.")})
    meta = keep_file(upload, kind, application)
    path = _root() / meta["stored_name"]
    content_type, size, sha256 = meta["content_type"], meta["size"], meta["sha256"]
    try:
        attachment = Attachment(
            application=application,
            project=project,
            kind=kind,
            uploaded_by=user,
            **meta,
        )
        with audit.writing():
            # The owner's row, locked and read afresh: an application submitted in another
            # tab since the page loaded takes no more documents.
            owner_model = Application if application else Project
            fresh_owner = owner_model.objects.select_for_update().get(
                pk=(application or project).pk
            )
            _check_owner(
                user,
                fresh_owner if application else None,
                fresh_owner if project else None,
            )
            owner = {"application": application} if application else {"project": project}
            # Locked so two uploads of the same kind at once leave one current version.
            previous = list(
                Attachment.objects.select_for_update()
                .filter(kind=kind, superseded_at__isnull=True, **owner)
                .values_list("pk", flat=True)
            )
            if previous:
                Attachment.objects.filter(pk__in=previous).update(superseded_at=timezone.now())
            attachment.save()
            audit.record(
                "projects.attachment.upload",
                obj=attachment,
                after={
                    "application": application.pk if application else None,
                    "project": project.pk if project else None,
                    "kind": kind,
                    "name": attachment.original_name,
                    "content_type": content_type,
                    "size": size,
                    "sha256": sha256,
                    "supersedes": previous,
                },
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return attachment


def keep_file(upload, kind: str, application: Application | None = None) -> dict:
    """Check UPLOAD by its size and content (as a document of KIND) and keep it under a new
    random name in the attachment folder; return the metadata a row records about it
    (original_name, stored_name, content_type, size, sha256).

    The caller saves its row and deletes the file (`_root() / stored_name`) if that fails.
    Raises ValidationError({"file": ...}) in words the user can act on, a full disk included
    (logged for the operators); no file is left behind then.
    """
    limit = max_bytes()
    if upload is None or not upload.size:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > limit:
        raise ValidationError({"file": _too_big().message})
    stored_name, path = _new_location()
    try:
        size, sha256 = _write(upload, path, limit)
        if size == 0:
            raise _Refusal(_("The file is empty."))
        content_type = _sniff(path, kind, application)
    except _Refusal as refusal:
        path.unlink(missing_ok=True)
        raise ValidationError({"file": refusal.message}) from None
    except OSError as exc:
        path.unlink(missing_ok=True)
        if not files.is_no_room(exc):
            raise
        files.log_no_room("an upload", path, exc)
        raise ValidationError({"file": files.no_room_message()}) from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return {
        "original_name": clean_name(upload.name, content_type),
        "stored_name": stored_name,
        "content_type": content_type,
        "size": size,
        "sha256": sha256,
    }


def forget_file(stored_name: str) -> None:
    """Delete a kept file whose row was not saved."""
    (_root() / stored_name).unlink(missing_ok=True)


def path_of(attachment: Attachment) -> Path:
    """Where the attachment's file is; never outside the attachment folder."""
    root = _root().resolve()
    path = (root / attachment.stored_name).resolve()
    if not path.is_relative_to(root):
        raise FileNotFoundError(attachment.stored_name)
    return path


def open_file(attachment: Attachment):
    """The stored file, opened for reading in binary (the caller closes it)."""
    return path_of(attachment).open("rb")
