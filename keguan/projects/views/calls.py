"""Programs (计划类别) and calls (申报指南): the officers' pages and the applicants' view."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts.forms import TransitionForm
from keguan.core.access import deny, get_visible, require, signed_in
from keguan.core.actions import apply_from_form
from keguan.core.forms import apply_errors
from keguan.core.pagination import list_template, paginate, query_without_page
from keguan.projects import permissions, services
from keguan.projects.forms.calls import CallFilterForm, CallForm, ProgramForm
from keguan.projects.models import Application, Call, Program
from keguan.projects.workflow import CALL_WORKFLOW

# Call states shown with the colours app.css already has (colour plus the state's word).
STATE_TONES = {
    Call.State.DRAFT: "pending",
    Call.State.PUBLISHED: "verified",
    Call.State.CANCELLED: "off",
}


# Programs.
@require(permissions.can_list_programs)
def program_list(request):
    programs = (
        permissions.visible_programs(request.user)
        .select_related("bureau")
        .annotate(call_count=Count("calls"))
        .order_by("level", "name", "pk")
    )
    return render(
        request,
        "projects/program_list.html",
        {
            "page": paginate(request, programs),
            "query": query_without_page(request),
            "can_manage": permissions.can_manage_programs(request.user),
        },
    )


@require(permissions.can_manage_programs)
@require_http_methods(["GET", "POST"])
def program_create(request):
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_program(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The program has been saved."))
            return redirect("projects:program_list")
    return render(request, "projects/program_form.html", {"form": form, "program": None})


@require(permissions.can_manage_programs)
@require_http_methods(["GET", "POST"])
def program_edit(request, pk: int):
    program = get_visible(request, permissions.visible_programs(request.user), pk)
    form = ProgramForm(request.POST or None, instance=Program.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_program(request.user, program, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("projects:program_list")
    return render(request, "projects/program_form.html", {"form": form, "program": program})


# Calls.
@require(permissions.can_list_calls)
def call_list(request):
    user = request.user
    form = CallFilterForm(request.GET or None)
    calls = form.filter(permissions.visible_calls(user).select_related("program", "bureau"))
    page = paginate(request, calls.order_by("-year", "-opens_at", "-pk"))
    now = timezone.now()
    for call in page:
        call.tone = STATE_TONES[call.state]
        call.window = call.window_status(now)
        call.may_apply = permissions.can_start_application_to_listed(user, call)
    template = list_template(request, "projects/call_list.html")
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_create": permissions.can_create_call(user),
            "staff_view": permissions.can_list_programs(user),
        },
    )


def _application_counts(user, call: Call) -> list[dict]:
    """Applications to CALL per state, in the workflow's order (one aggregate query)."""
    rows = (
        permissions.visible_applications(user)
        .filter(call=call)
        .values("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["state"]: row["n"] for row in rows}
    return [
        {"state": state, "label": label, "count": counts[state]}
        for state, label in Application.State.choices
        if state in counts
    ]


@require(permissions.can_list_calls)
def call_detail(request, pk: int):
    user = request.user
    call = get_visible(
        request, permissions.visible_calls(user).select_related("program", "bureau"), pk
    )
    call.tone = STATE_TONES[call.state]
    manage = permissions.can_manage_call(user, call)
    return render(
        request,
        "projects/call_detail.html",
        {
            "call": call,
            "window": call.window_status(),
            "actions": CALL_WORKFLOW.allowed_actions(user, call),
            "can_edit": manage and call.state != Call.State.CANCELLED,
            "counts": _application_counts(user, call) if manage else None,
            "may_apply": permissions.can_start_application(user, call),
        },
    )


@require(permissions.can_create_call)
@require_http_methods(["GET", "POST"])
def call_create(request):
    programs = permissions.visible_programs(request.user)
    initial = {"year": timezone.localdate().year, "max_per_organization": 1}
    form = CallForm(request.POST or None, initial=initial, programs=programs)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.create_call(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The call has been saved as a draft."))
            return redirect("projects:call_detail", pk=call.pk)
    return render(request, "projects/call_form.html", {"form": form, "call": None})


@require(signed_in)
@require_http_methods(["GET", "POST"])
def call_edit(request, pk: int):
    user = request.user
    call = get_visible(request, permissions.visible_calls(user), pk)
    if not permissions.can_manage_call(user, call) or call.state == Call.State.CANCELLED:
        raise deny(request, "projects.call", pk)
    form = CallForm(
        request.POST or None,
        instance=Call.objects.get(pk=pk),
        programs=permissions.visible_programs(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            # Fields shown disabled (a published call) are not the user's to send.
            changes = {
                name: value
                for name, value in form.cleaned_data.items()
                if not form.fields[name].disabled and name != "version"
            }
            services.update_call(user, call, changes, form.expected_version)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("projects:call_detail", pk=call.pk)
    return render(request, "projects/call_form.html", {"form": form, "call": call})


@require(signed_in)
@require_POST
def call_action(request, pk: int, action: str):
    call = get_visible(request, permissions.visible_calls(request.user), pk)
    apply_from_form(request, CALL_WORKFLOW, call, action, TransitionForm(request.POST))
    return redirect("projects:call_detail", pk=call.pk)
