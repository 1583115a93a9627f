"""Stub: to be written."""

from django.http import Http404


def notice_admin_list(request):
    raise Http404


def notice_create(request):
    raise Http404


def notice_from_applications(request):
    raise Http404


def notice_admin_detail(request, pk):
    raise Http404


def notice_edit(request, pk):
    raise Http404


def notice_items(request, pk):
    raise Http404


def notice_action(request, pk):
    raise Http404


def objection_list(request):
    raise Http404


def objection_detail(request, pk):
    raise Http404


def objection_action(request, pk):
    raise Http404


def objection_identity(request, pk):
    raise Http404


def objection_letter(request, pk):
    raise Http404
