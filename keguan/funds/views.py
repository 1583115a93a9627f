"""Views: funds (being built)."""

from django.http import Http404


def fund_list(request, **kwargs):
    raise Http404


def fund_create(request, **kwargs):
    raise Http404


def fund_detail(request, **kwargs):
    raise Http404
