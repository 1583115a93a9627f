"""Views: integrity (being built)."""

from django.http import Http404


def integrity_list(request, **kwargs):
    raise Http404


def integrity_create(request, **kwargs):
    raise Http404
