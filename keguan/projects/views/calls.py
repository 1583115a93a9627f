"""Views: calls (being built)."""

from django.http import Http404


def program_list(request, **kwargs):
    raise Http404


def program_create(request, **kwargs):
    raise Http404


def program_edit(request, **kwargs):
    raise Http404


def call_list(request, **kwargs):
    raise Http404


def call_create(request, **kwargs):
    raise Http404


def call_detail(request, **kwargs):
    raise Http404


def call_edit(request, **kwargs):
    raise Http404


def call_action(request, **kwargs):
    raise Http404
