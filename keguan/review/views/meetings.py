"""Stub: to be written."""

from django.http import Http404


def meeting_list(request):
    raise Http404


def meeting_create(request):
    raise Http404


def meeting_detail(request, pk):
    raise Http404


def meeting_edit(request, pk):
    raise Http404


def decision_stage(request, pk):
    raise Http404


def decision_remove(request, pk):
    raise Http404


def meeting_action(request, pk):
    raise Http404
