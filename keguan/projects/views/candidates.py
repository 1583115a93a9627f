"""Views: candidates (being built)."""

from django.http import Http404


def candidate_list(request, **kwargs):
    raise Http404


def candidate_create(request, **kwargs):
    raise Http404


def candidate_detail(request, **kwargs):
    raise Http404


def candidate_edit(request, **kwargs):
    raise Http404


def candidate_action(request, **kwargs):
    raise Http404


def candidate_follow_up(request, **kwargs):
    raise Http404
