"""Views: attachments (being built)."""

from django.http import Http404


def attachment_download(request, **kwargs):
    raise Http404
