"""Views: notifications and calendar (being built)."""

from django.http import Http404


def notification_list(request, **kwargs):
    raise Http404


def notification_read(request, **kwargs):
    raise Http404


def calendar(request, **kwargs):
    raise Http404


def calendar_feed(request, **kwargs):
    raise Http404
