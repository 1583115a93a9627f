"""Stub: to be written."""

from django.http import Http404


def cooperation_list(request):
    raise Http404


def cooperation_create(request):
    raise Http404


def cooperation_edit(request, pk):
    raise Http404
