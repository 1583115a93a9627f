"""Review rounds (评审批次): officers prepare and run them; leaders and inspectors read them.

Who the experts of an application are is left to the draw log (officers and inspectors);
these pages show counts only.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts.forms import TransitionForm
from keguan.audit.models import AuditEvent
from keguan.core.access import deny, get_visible, require, signed_in
from keguan.core.actions import apply_from_form
from keguan.core.forms import apply_errors
from keguan.core.pagination import list_template, paginate, query_without_page
from keguan.projects import permissions as project_permissions
from keguan.projects.forms.applications import kept_forms
from keguan.projects.models import Application, Call
from keguan.review import permissions, services
from keguan.review.forms.rounds import (
    CriterionFormSet,
    EntriesForm,
    RoundFilterForm,
    RoundForm,
    RubricForm,
    criteria_initial,
)
from keguan.review.models import Assignment, Round, Rubric
from keguan.review.workflow import ROUND_WORKFLOW

R = Round.State

# Round states shown with the colours app.css already has (colour plus the state's word).
STATE_TONES = {
    R.DRAFT: "pending",
    R.SEALED: "pending",
    R.REVIEWING: "verified",
    R.CLOSED: "off",
    R.CANCELLED: "returned",
}


def _rubric_frozen(call: Call) -> bool:
    """Whether a round of CALL has fixed its seed (replace_rubric then refuses; this only
    decides what the page offers)."""
    return Round.objects.filter(call=call).exclude(state__in=(R.DRAFT, R.CANCELLED)).exists()


def _managed_round(request, pk: int) -> Round:
    """The round with PK if the user may run it, else an audited 404."""
    round = get_visible(
        request, permissions.visible_rounds(request.user).select_related("call"), pk
    )
    if not permissions.can_manage_round(request.user, round):
        raise deny(request, "review.round", pk)
    return round


@require(permissions.can_list_rounds)
def round_list(request):
    user = request.user
    form = RoundFilterForm(request.GET or None, calls=project_permissions.visible_calls(user))
    rounds = form.filter(
        permissions.visible_rounds(user)
        .select_related("call", "bureau")
        .annotate(entry_count=Count("entries"))
    )
    page = paginate(request, rounds.order_by("-created_at", "-pk"))
    for round in page:
        round.tone = STATE_TONES[round.state]
    return render(
        request,
        list_template(request, "review/round_list.html"),
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_create": permissions.can_create_round(user),
        },
    )


def _entries(round: Round):
    """The round's applications, each with its live assignments and submitted sheets
    counted in the database."""
    in_round = Q(application__assignments__round=round)
    return (
        round.entries.select_related("application__organization")
        .annotate(
            live=Count(
                "application__assignments",
                filter=in_round & Q(application__assignments__state__in=Assignment.LIVE_STATES),
            ),
            submitted=Count(
                "application__assignments",
                filter=in_round & Q(application__assignments__state=Assignment.State.SUBMITTED),
            ),
        )
        .order_by("pk")
    )


@require(permissions.can_list_rounds)
def round_detail(request, pk: int):
    user = request.user
    round = get_visible(
        request,
        permissions.visible_rounds(user).select_related("call__program", "bureau", "created_by"),
        pk,
    )
    round.tone = STATE_TONES[round.state]
    manage = permissions.can_manage_round(user, round)
    rubric = Rubric.objects.filter(call=round.call).prefetch_related("criteria").first()
    criteria = list(rubric.criteria.all()) if rubric else []
    history = (
        AuditEvent.objects.filter(object_type="review.round", object_id=str(round.pk))
        .exclude(action="access.denied")
        .order_by("-seq")[:30]
    )
    return render(
        request,
        "review/round_detail.html",
        {
            "round": round,
            "entries": _entries(round),
            "rubric": rubric,
            "criteria": criteria,
            "weight_total": sum(c.weight for c in criteria),
            "actions": ROUND_WORKFLOW.allowed_actions(user, round),
            "history": history,
            "can_edit": manage and round.state == R.DRAFT,
            "can_edit_rubric": manage and not _rubric_frozen(round.call),
            "can_draw": manage and round.state == R.SEALED,
            "can_read_draws": permissions.can_read_draws(user, round) and round.state != R.DRAFT,
            "can_read_ranking": permissions.can_read_ranking(user, round)
            and round.state in (R.REVIEWING, R.CLOSED),
        },
    )


@require(permissions.can_create_round)
@require_http_methods(["GET", "POST"])
def round_create(request):
    calls = project_permissions.visible_calls(request.user).exclude(state=Call.State.CANCELLED)
    form = RoundForm(request.POST or None, calls=calls)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.create_round(
                request.user, form.cleaned_data["call"], form.round_data()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The round has been saved; now choose its applications."))
            return redirect("review:round_entries", pk=round.pk)
    return render(request, "review/round_form.html", {"form": form, "round": None})


@require(permissions.can_create_round)
@require_http_methods(["GET", "POST"])
def round_edit(request, pk: int):
    round = _managed_round(request, pk)
    form = RoundForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(request.user, round, form.round_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("review:round_detail", pk=round.pk)
    return render(request, "review/round_form.html", {"form": form, "round": round})


@require(permissions.can_create_round)
@require_http_methods(["GET", "POST"])
def round_entries(request, pk: int):
    round = _managed_round(request, pk)
    # What may be chosen: what the round may take now, and what it holds already.
    choosable = Application.objects.filter(
        Q(pk__in=services.eligible_applications(round).values("pk"))
        | Q(pk__in=round.entries.values("application_id"))
    ).select_related("organization")
    form = EntriesForm(request.POST or None, choosable=choosable)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_entries(request.user, round, form.cleaned_data["applications"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The applications of the round have been saved."))
                return redirect("review:round_detail", pk=round.pk)
        chosen = {str(pk) for pk in request.POST.getlist("applications")}
    else:
        chosen = {str(pk) for pk in round.entries.values_list("application_id", flat=True)}
    return render(
        request,
        "review/round_entries.html",
        {
            "round": round,
            "form": form,
            "applications": choosable.order_by("organization__name", "pk"),
            "chosen": chosen,
            "editable": round.state == R.DRAFT,
        },
    )


@require(signed_in)
@require_POST
def round_action(request, pk: int):
    round = get_visible(request, permissions.visible_rounds(request.user), pk)
    action = request.POST.get("action", "")
    apply_from_form(request, ROUND_WORKFLOW, round, action, TransitionForm(request.POST))
    return redirect("review:round_detail", pk=round.pk)


def _weight_total(formset) -> int:
    """The weights typed in the rows not ticked for removal (what the page shows as the
    sum before the script takes over)."""
    total = 0
    for row in formset:
        if row["DELETE"].value():
            continue
        try:
            total += int(row["weight"].value() or 0)
        except (TypeError, ValueError):
            continue
    return total


def _rubric_errors(exc: ValidationError, form, rows) -> list[str]:
    """Put replace_rubric's errors where they belong: `criteria.N` on the Nth kept row,
    thresholds beside their fields; the rest is returned for the top of the criteria."""
    top = []
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    for key, messages_ in exc.message_dict.items():
        if key.startswith("criteria."):
            index = int(key.split(".", 1)[1]) - 1
            for message in messages_:
                if 0 <= index < len(rows):
                    rows[index].add_error(None, message)
                else:
                    top.append(message)
        elif key in form.fields:
            for message in messages_:
                form.add_error(key, message)
        else:
            top.extend(messages_)
    return top


@require(permissions.can_create_round)
@require_http_methods(["GET", "POST"])
def rubric_edit(request, call_pk: int):
    user = request.user
    call = get_visible(
        request, project_permissions.visible_calls(user).select_related("program"), call_pk
    )
    rubric = Rubric.objects.filter(call=call).prefetch_related("criteria").first()
    # A round to go back to, when the officer came from one.
    back = (
        permissions.visible_rounds(user)
        .filter(
            call=call,
            pk=request.GET.get("round") if request.GET.get("round", "").isdigit() else None,
        )
        .first()
    )
    top_errors: list[str] = []
    if request.method == "POST":
        form = RubricForm(request.POST, instance=Rubric.objects.filter(call=call).first())
        criteria = CriterionFormSet(request.POST, prefix="criteria")
        if form.is_valid() and criteria.is_valid():
            rows = kept_forms(criteria)
            try:
                services.replace_rubric(
                    user,
                    call,
                    {name: form.cleaned_data[name] for name in services.RUBRIC_FIELDS},
                    [row.criterion_data() for row in rows],
                )
            except ValidationError as exc:
                top_errors = _rubric_errors(exc, form, rows)
            else:
                messages.success(request, _("The rubric has been saved."))
                if back is not None:
                    return redirect("review:round_detail", pk=back.pk)
                return redirect("projects:call_detail", pk=call.pk)
        messages.error(request, _("Nothing was saved; please correct the marked fields."))
    else:
        form = RubricForm(instance=rubric)
        criteria = CriterionFormSet(prefix="criteria", initial=criteria_initial(rubric))
    return render(
        request,
        "review/rubric_form.html",
        {
            "call": call,
            "form": form,
            "criteria": criteria,
            "top_errors": top_errors,
            "weight_total": _weight_total(criteria),
            "frozen": _rubric_frozen(call),
            "back": back,
        },
    )
