"""Petitions (信访): the public form and tracking by code; the inspectors' list and handling.

The public sees a petition only through its tracking code, and then only its kind, subject,
state, dates and reply. Inspectors see everything, except petitions that name them.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts.forms import TransitionForm
from keguan.audit.models import AuditEvent
from keguan.core.access import get_visible, require
from keguan.core.actions import apply_from_form
from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate, query_without_page
from keguan.portal import permissions, services
from keguan.portal.forms.petitions import (
    AssignForm,
    ExtendForm,
    PetitionFilterForm,
    PetitionForm,
    TrackForm,
)
from keguan.portal.models import Petition
from keguan.portal.workflow import PETITION_WORKFLOW

STATE_TONES = {
    Petition.State.RECEIVED: "pending",
    Petition.State.ACKNOWLEDGED: "submitted",
    Petition.State.CONCLUDED: "verified",
}
FILER_FIELDS = ("kind", "anonymous", "name", "contact", "subject", "text", "concerns_name")


def _address(request) -> str | None:
    return getattr(request, "client_address", None) or request.META.get("REMOTE_ADDR")


def overdue_filter(today) -> Q:
    """Open petitions past their time limit on TODAY."""
    return Q(state=Petition.State.RECEIVED, acknowledge_due__lt=today) | Q(
        state=Petition.State.ACKNOWLEDGED, conclude_due__lt=today
    )


def _mark(petition: Petition, today) -> Petition:
    """Set the row's tone, its next due date and whether it is overdue, for the templates."""
    petition.tone = STATE_TONES[petition.state]
    if petition.state == Petition.State.RECEIVED:
        petition.next_due = petition.acknowledge_due
    elif petition.state == Petition.State.ACKNOWLEDGED:
        petition.next_due = petition.conclude_due
    else:
        petition.next_due = None
    petition.overdue = petition.next_due is not None and petition.next_due < today
    return petition


# The public side.
@never_cache
@require_http_methods(["GET", "POST"])
def petition_create(request):
    form = PetitionForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot:
            # Said plainly: a person never sees the field, a program learns nothing new.
            form.add_error(None, _("The form could not be accepted. Please try again."))
            return render(request, "portal/petition_form.html", {"form": form}, status=400)
        if form.is_valid():
            if not services.allow("petition", _address(request)):
                return render(request, "portal/petition_form.html", {"limited": True}, status=429)
            data = {name: form.cleaned_data[name] for name in FILER_FIELDS}
            try:
                _petition, code = services.file_petition(form.cleaned_data["bureau"], data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                # Rendered, not redirected: the code is never stored, so it is shown once.
                return render(request, "portal/petition_filed.html", {"code": code})
    return render(request, "portal/petition_form.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def petition_track(request):
    """A code typed in a form (POSTed, so it stays out of logs and history) shows the
    petition's kind, subject, state, dates and reply, nothing else."""
    form = TrackForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        if not services.allow("lookup", _address(request)):
            return render(request, "portal/petition_track.html", {"limited": True}, status=429)
        petition = services.lookup(form.cleaned_data["code"])
        if petition is None:
            context["not_found"] = True
        else:
            context["petition"] = {
                "kind": petition.get_kind_display(),
                "subject": petition.subject,
                "state": petition.state,
                "state_display": petition.get_state_display(),
                "tone": STATE_TONES[petition.state],
                "submitted_at": petition.submitted_at,
                "acknowledged_at": petition.acknowledged_at,
                "concluded_at": petition.concluded_at,
                "reply": petition.reply if petition.state == Petition.State.CONCLUDED else "",
            }
            # A fresh, empty box: the code is not echoed back into the page.
            context["form"] = TrackForm()
    return render(request, "portal/petition_track.html", context)


# The inspectors' side.
def _visible(request, pk: int) -> Petition:
    return get_visible(
        request,
        permissions.visible_petitions(request.user).select_related(
            "bureau", "assigned_to", "concerns"
        ),
        pk,
    )


@require(permissions.can_list_petitions)
def petition_list(request):
    form = PetitionFilterForm(request.GET or None)
    petitions = permissions.visible_petitions(request.user).select_related("assigned_to")
    today = timezone.localdate()
    if form.is_valid():
        if form.cleaned_data["state"]:
            petitions = petitions.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["kind"]:
            petitions = petitions.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["overdue"]:
            petitions = petitions.filter(overdue_filter(today))
    page = paginate(request, petitions.order_by("-submitted_at", "-pk"))
    for petition in page:
        _mark(petition, today)
    return render(
        request,
        "portal/manage_petition_list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def _history(petition: Petition):
    return (
        AuditEvent.objects.filter(object_type="portal.petition", object_id=str(petition.pk))
        .exclude(action="access.denied")
        .order_by("-seq")[:50]
    )


def _render_detail(request, petition: Petition, assign_form=None, extend_form=None):
    user = request.user
    may_handle = permissions.can_handle_petition(user, petition)
    is_open = petition.state in Petition.OPEN_STATES
    if may_handle and is_open and assign_form is None:
        assign_form = AssignForm(petition=petition)
    if may_handle and is_open and not petition.extension_reason and extend_form is None:
        extend_form = ExtendForm()
    _mark(petition, timezone.localdate())
    return render(
        request,
        "portal/manage_petition_detail.html",
        {
            "petition": petition,
            "actions": PETITION_WORKFLOW.allowed_actions(user, petition),
            "assign_form": assign_form if may_handle and is_open else None,
            "extend_form": extend_form if may_handle and is_open else None,
            "history": _history(petition),
        },
    )


@require(permissions.can_list_petitions)
def petition_detail(request, pk: int):
    return _render_detail(request, _visible(request, pk))


@require(permissions.can_list_petitions)
@require_POST
def petition_action(request, pk: int):
    petition = _visible(request, pk)
    action = request.POST.get("action", "")
    apply_from_form(request, PETITION_WORKFLOW, petition, action, TransitionForm(request.POST))
    return redirect("portal:petition_detail", pk=petition.pk)


@require(permissions.can_list_petitions)
@require_POST
def petition_assign(request, pk: int):
    petition = _visible(request, pk)
    form = AssignForm(request.POST, petition=petition)
    if form.is_valid():
        try:
            services.assign_petition(request.user, petition, form.cleaned_data["assigned_to"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The petition has been handed over."))
            return redirect("portal:petition_detail", pk=petition.pk)
    return _render_detail(request, petition, assign_form=form)


@require(permissions.can_list_petitions)
@require_POST
def petition_extend(request, pk: int):
    petition = _visible(request, pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.extend_petition(request.user, petition, form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The time to conclude has been extended."))
            return redirect("portal:petition_detail", pk=petition.pk)
    return _render_detail(request, petition, extend_form=form)
