"""Generated documents: the recommendation letter as Word."""

from urllib.parse import quote

from django.http import HttpResponse

from keguan.core.access import deny, get_visible, require, signed_in
from keguan.projects import documents, permissions

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require(signed_in)
def recommendation_letter(request, pk: int):
    """The bureau's letter for an application it recommended upward (officers only)."""
    application = get_visible(
        request,
        permissions.visible_applications(request.user).select_related(
            "call__program", "organization", "bureau"
        ),
        pk,
    )
    if not permissions.can_download_recommendation_letter(request.user, application):
        raise deny(request, "projects.application.letter", pk)
    name = f"推荐函-{application.pk}.docx"
    response = HttpResponse(documents.recommendation_letter(application), content_type=DOCX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"letter-{application.pk}.docx\"; filename*=UTF-8''{quote(name)}"
    )
    return response
