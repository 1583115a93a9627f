"""Stub: to be written."""

from django.http import Http404


def my_reviews(request):
    raise Http404


def assignment_detail(request, pk):
    raise Http404


def assignment_action(request, pk):
    raise Http404


def assignment_scores(request, pk):
    raise Http404


def assignment_approach(request, pk):
    raise Http404


def assignment_attachment(request, pk, attachment_pk):
    raise Http404


def avoidances(request, pk):
    raise Http404
