"""Views: projects (being built)."""

from django.http import Http404


def project_list(request, **kwargs):
    raise Http404


def project_export(request, **kwargs):
    raise Http404


def project_detail(request, **kwargs):
    raise Http404


def project_task_book(request, **kwargs):
    raise Http404


def project_action(request, **kwargs):
    raise Http404


def project_midterm(request, **kwargs):
    raise Http404


def project_report(request, **kwargs):
    raise Http404


def project_attachment_upload(request, **kwargs):
    raise Http404


def disbursement_create(request, **kwargs):
    raise Http404
