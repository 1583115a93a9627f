"""Stub: to be written."""

from django.http import Http404


def notice_list(request):
    raise Http404


def notice_feed(request):
    raise Http404


def notice_detail(request, pk):
    raise Http404


def notice_print(request, pk):
    raise Http404


def objection_create(request, pk):
    raise Http404
