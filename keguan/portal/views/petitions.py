"""Stub: to be written."""

from django.http import Http404


def petition_create(request):
    raise Http404


def petition_track(request):
    raise Http404


def petition_list(request):
    raise Http404


def petition_detail(request, pk):
    raise Http404


def petition_action(request, pk):
    raise Http404


def petition_assign(request, pk):
    raise Http404


def petition_extend(request, pk):
    raise Http404
