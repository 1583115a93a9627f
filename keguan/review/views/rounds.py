"""Stub: to be written."""

from django.http import Http404


def round_list(request):
    raise Http404


def round_create(request):
    raise Http404


def round_detail(request, pk):
    raise Http404


def round_edit(request, pk):
    raise Http404


def round_entries(request, pk):
    raise Http404


def round_action(request, pk):
    raise Http404


def rubric_edit(request, call_pk):
    raise Http404
