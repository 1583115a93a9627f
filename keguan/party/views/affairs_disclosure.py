"""Party-affairs disclosure (党务公开): the list, an item with its next steps and history,
proposing and changing an item."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.audit.models import AuditEvent
from keguan.core.access import deny, get_visible, require
from keguan.core.actions import apply_from_form
from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate
from keguan.party.permissions import affairs as can
from keguan.party.services import affairs as services
from keguan.party.views.affairs_forms import DisclosureActionForm, DisclosureForm
from keguan.party.workflow_affairs import DISCLOSURE_WORKFLOW


def _item(request, pk: int):
    return get_visible(request, can.visible_disclosures(request.user), pk)


def history_of(obj):
    return (
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .exclude(action="access.denied")
        .order_by("-seq")[:30]
    )


@require(can.can_list_disclosures)
def disclosure_list(request):
    items = (
        can.visible_disclosures(request.user)
        .select_related("proposed_by", "notice")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "party/disclosure_list.html",
        {
            "page": paginate(request, items),
            "can_propose": can.can_propose_disclosure(request.user),
        },
    )


@require(can.can_list_disclosures)
def disclosure_detail(request, pk: int):
    item = _item(request, pk)
    return render(
        request,
        "party/disclosure_detail.html",
        {
            "item": item,
            "actions": DISCLOSURE_WORKFLOW.allowed_actions(request.user, item),
            "can_edit": can.can_edit_disclosure(request.user, item),
            "history": history_of(item),
        },
    )


@require(can.can_propose_disclosure)
@require_http_methods(["GET", "POST"])
def disclosure_create(request):
    form = DisclosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.propose_disclosure(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The item has been proposed."))
            return redirect("party:disclosure_detail", pk=item.pk)
    return render(request, "party/disclosure_form.html", {"form": form, "item": None})


@require(can.can_list_disclosures)
@require_http_methods(["GET", "POST"])
def disclosure_edit(request, pk: int):
    item = _item(request, pk)
    if not can.can_edit_disclosure(request.user, item):
        raise deny(request, "party.disclosureitem", pk)
    form = DisclosureForm(request.POST or None, instance=type(item).objects.get(pk=item.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_disclosure(request.user, item, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("party:disclosure_detail", pk=item.pk)
    return render(request, "party/disclosure_form.html", {"form": form, "item": item})


@require(can.can_list_disclosures)
@require_POST
def disclosure_action(request, pk: int, action: str):
    """One step of the workflow; the review carries the reviewer's confidentiality tick."""
    item = _item(request, pk)
    form = DisclosureActionForm(request.POST)
    extra = {"confidential": form.is_valid() and form.cleaned_data["confidential"]}
    apply_from_form(request, DISCLOSURE_WORKFLOW, item, action, form, extra)
    return redirect("party:disclosure_detail", pk=item.pk)
