"""Stub: to be written."""

from django.http import Http404


def round_draw(request, pk):
    raise Http404


def draw_log(request, pk):
    raise Http404


def redraw(request, pk, application_pk):
    raise Http404


def supplement(request, pk, application_pk):
    raise Http404


def assignment_withdraw(request, pk):
    raise Http404


def ranking(request, pk):
    raise Http404


def ranking_export(request, pk):
    raise Http404


def round_verify(request, pk):
    raise Http404


def approach_reports(request):
    raise Http404
