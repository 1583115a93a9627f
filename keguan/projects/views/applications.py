"""Views: applications (being built)."""

from django.http import Http404


def application_list(request, **kwargs):
    raise Http404


def application_export(request, **kwargs):
    raise Http404


def application_start(request, **kwargs):
    raise Http404


def application_detail(request, **kwargs):
    raise Http404


def application_edit(request, **kwargs):
    raise Http404


def application_action(request, **kwargs):
    raise Http404


def application_attachment_upload(request, **kwargs):
    raise Http404
