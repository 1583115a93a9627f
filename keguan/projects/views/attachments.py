"""Downloading attached documents, only by those who may read what they are attached to."""

import logging

from django.http import FileResponse, Http404

from keguan.core.access import deny, require, signed_in
from keguan.projects import attachments, permissions
from keguan.projects.models import Attachment

log = logging.getLogger(__name__)


@require(signed_in)
def attachment_download(request, pk: int):
    """The file as a download under its (cleaned) original name, never shown inline."""
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise Http404()
    if not permissions.can_read_attachment(request.user, attachment):
        raise deny(request, "projects.attachment", pk)
    return file_response(attachment)


def file_response(attachment: Attachment) -> FileResponse:
    """ATTACHMENT's file as a download (for any view that has checked the reader may)."""
    try:
        handle = attachments.open_file(attachment)
    except FileNotFoundError:
        log.error("attachment %s: stored file %s is missing", attachment.pk, attachment.stored_name)
        raise Http404() from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
