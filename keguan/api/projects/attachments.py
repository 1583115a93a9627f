"""Attached documents: listed and uploaded on an application, downloaded wherever they are
attached (an application or a project)."""

import datetime as dt

from django.db.models import Q
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Schema, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from keguan.api.errors import ApiError
from keguan.api.projects.common import ProjectsRouter, forbidden, not_editable
from keguan.core.access import get_visible
from keguan.projects import attachments as attachment_store
from keguan.projects import permissions
from keguan.projects.models import Attachment

router = ProjectsRouter()


class AttachmentOut(Schema):
    id: int
    application_id: int | None
    project_id: int | None
    kind: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    superseded_at: dt.datetime | None
    current: bool
    download_url: str

    @staticmethod
    def resolve_download_url(attachment: Attachment) -> str:
        return reverse("api:attachment_download", kwargs={"attachment_id": attachment.pk})


def _attachments(user):
    """Attachments follow what they are attached to (`can_read_attachment`, as a queryset)."""
    return Attachment.objects.filter(
        Q(application__in=permissions.visible_applications(user))
        | Q(project__in=permissions.visible_projects(user))
    )


@router.get(
    "/applications/{application_id}/attachments",
    response=list[AttachmentOut],
    summary="An application's attachments, replaced versions included",
)
@paginate(LimitOffsetPagination)
def list_application_attachments(request, application_id: int):
    application = get_visible(
        request, permissions.visible_applications(request.auth), application_id
    )
    return application.attachments.order_by("kind", "-uploaded_at", "-pk")


@router.post(
    "/applications/{application_id}/attachments",
    response={201: AttachmentOut},
    summary="Attach a document (multipart: kind, file); a new version replaces the old",
)
def upload_application_attachment(
    request, application_id: int, kind: Form[str], file: File[UploadedFile]
):
    user = request.auth
    application = get_visible(request, permissions.visible_applications(user), application_id)
    if not permissions.can_upload_to_application(user, application):
        if permissions.is_own_application(user, application):
            raise not_editable()
        raise forbidden(_("Only the applying organization attaches documents."))
    return Status(201, attachment_store.store(user, file, kind=kind, application=application))


@router.get(
    "/attachments/{attachment_id}/download",
    summary="Download an attachment",
    url_name="attachment_download",
    response={200: None},
)
def download_attachment(request, attachment_id: int):
    attachment = get_visible(request, _attachments(request.auth), attachment_id)
    try:
        handle = attachment_store.open_file(attachment)
    except FileNotFoundError:
        raise ApiError(410, "gone", _("The file of this attachment is missing.")) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
