"""The audit trail for inspectors and the audit administrator: browse, filter, export, verify."""

import datetime as dt

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from keguan.accounts import permissions
from keguan.audit import chain
from keguan.audit import services as audit
from keguan.audit.models import AuditEvent, Result
from keguan.core.access import require
from keguan.core.pagination import paginate, query_without_page

EXPORT_ROW_LIMIT = 100_000


class EventFilterForm(forms.Form):
    action = forms.CharField(label=gettext_lazy("Action"), required=False)
    actor = forms.CharField(label=gettext_lazy("Actor"), required=False)
    object_type = forms.CharField(label=gettext_lazy("Object type"), required=False)
    result = forms.ChoiceField(
        label=gettext_lazy("Result"),
        required=False,
        choices=[("", gettext_lazy("All results"))] + Result.choices,
    )
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def filtered_events(form: EventFilterForm):
    events = AuditEvent.objects.all()
    if not form.is_valid():
        return events
    data = form.cleaned_data
    if data["action"]:
        events = events.filter(action__startswith=data["action"].strip())
    if data["actor"]:
        events = events.filter(actor_username=data["actor"].strip())
    if data["object_type"]:
        events = events.filter(object_type=data["object_type"].strip())
    if data["result"]:
        events = events.filter(result=data["result"])
    tz = timezone.get_current_timezone()
    if data["since"]:
        events = events.filter(at__gte=dt.datetime.combine(data["since"], dt.time(), tz))
    if data["until"]:
        events = events.filter(
            at__lt=dt.datetime.combine(data["until"] + dt.timedelta(days=1), dt.time(), tz)
        )
    return events


@require(permissions.can_read_audit)
def event_list(request):
    form = EventFilterForm(request.GET or None)
    page = paginate(request, filtered_events(form).order_by("-seq"), per_page=50)
    query = query_without_page(request)
    return render(request, "audit/event_list.html", {"form": form, "page": page, "query": query})


@require(permissions.can_read_audit)
def event_export(request):
    """The filtered events as an Excel workbook, newest first, at most EXPORT_ROW_LIMIT rows."""
    form = EventFilterForm(request.GET or None)
    events = filtered_events(form).order_by("-seq")[:EXPORT_ROW_LIMIT]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit trail"))
    sheet.append(
        [
            _("Sequence"),
            _("Time"),
            _("Actor"),
            _("Roles"),
            _("Client address"),
            _("Action"),
            _("Object type"),
            _("Object id"),
            _("Result"),
            _("Before"),
            _("After"),
            _("Hash"),
        ]
    )
    tz = timezone.get_current_timezone()
    for event in events.iterator(chunk_size=2000):
        sheet.append(
            [
                event.seq,
                event.at.astimezone(tz).replace(tzinfo=None),
                event.actor_username,
                event.roles,
                event.client_address,
                event.action,
                event.object_type,
                event.object_id,
                event.get_result_display(),
                str(event.before) if event.before is not None else "",
                str(event.after) if event.after is not None else "",
                event.hash,
            ]
        )
    audit.record(
        "audit.export",
        object_type="audit.auditevent",
        after={"filters": {k: v for k, v in request.GET.items() if v}},
    )
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
    workbook.save(response)
    return response


@require(permissions.can_read_audit)
@require_http_methods(["GET", "POST"])
def chain_verify(request):
    result = chain.verify() if request.method == "POST" else None
    if result is not None:
        audit.record(
            "audit.verify",
            object_type="audit.auditevent",
            result=Result.OK if result.ok else Result.FAILED,
            after={"count": result.count, "broken_seq": result.broken_seq},
        )
    return render(request, "audit/verify.html", {"result": result})
