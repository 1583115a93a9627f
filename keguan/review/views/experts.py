"""Stub: to be written."""

from django.http import Http404


def expert_list(request):
    raise Http404


def expert_create(request):
    raise Http404


def expert_detail(request, pk):
    raise Http404


def expert_edit(request, pk):
    raise Http404


def expert_fields(request, pk):
    raise Http404


def expert_relations(request, pk):
    raise Http404


def expert_penalty(request, pk):
    raise Http404


def expert_action(request, pk):
    raise Http404
