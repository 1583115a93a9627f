"""Stub: to be written."""

from django.http import Http404


def disclosure_index(request):
    raise Http404


def disclosure_year(request, year):
    raise Http404
