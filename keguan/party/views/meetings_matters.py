"""Major matters (三重一大): proposed by the secretary, decided only by a passed decision of
a quorate meeting, or withdrawn with a reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts.forms import TransitionForm
from keguan.audit.models import AuditEvent
from keguan.core.access import deny, get_visible, require
from keguan.core.actions import apply_from_form
from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate
from keguan.core.workflow import TransitionError
from keguan.party.models import MajorMatter
from keguan.party.permissions import meetings as can
from keguan.party.services import meetings_matters as services
from keguan.party.views.meetings_forms import DecideForm, MatterForm
from keguan.party.workflow_meetings import MAJOR_MATTER_WORKFLOW

STATE_TONES = {
    MajorMatter.State.PROPOSED: "pending",
    MajorMatter.State.DECIDED: "verified",
    MajorMatter.State.WITHDRAWN: "off",
}


def _visible(request, pk: int) -> MajorMatter:
    return get_visible(
        request,
        can.visible_matters(request.user).select_related(
            "branch__bureau", "decision__meeting", "created_by"
        ),
        pk,
    )


@require(can.can_list_meetings)
def matter_list(request):
    matters = can.visible_matters(request.user).select_related("branch", "decision__meeting")
    state = request.GET.get("state", "")
    if state in MajorMatter.State.values:
        matters = matters.filter(state=state)
    page = paginate(request, matters.order_by("-proposed_on", "-pk"))
    for matter in page:
        matter.tone = STATE_TONES[matter.state]
    return render(
        request,
        "party/meeting_matter_list.html",
        {
            "page": page,
            "states": MajorMatter.State.choices,
            "state": state,
            "can_create": can.can_create_matter(request.user),
        },
    )


@require(can.can_create_matter)
@require_http_methods(["GET", "POST"])
def matter_create(request):
    form = MatterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.create_matter(
                request.user, can.secretary_branch(request.user), form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The major matter has been proposed."))
            return redirect("party:matter_detail", pk=matter.pk)
    return render(request, "party/meeting_matter_form.html", {"form": form, "matter": None})


@require(can.can_create_matter)
@require_http_methods(["GET", "POST"])
def matter_edit(request, pk: int):
    matter = _visible(request, pk)
    if not can.can_manage_matter(request.user, matter):
        raise deny(request, "party.majormatter", matter.pk)
    form = MatterForm(request.POST or None, matter=matter)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_matter(request.user, matter, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("party:matter_detail", pk=matter.pk)
    return render(request, "party/meeting_matter_form.html", {"form": form, "matter": matter})


def _render_detail(request, matter: MajorMatter, decide_form=None):
    user = request.user
    actions = MAJOR_MATTER_WORKFLOW.allowed_actions(user, matter)
    may_decide = any(t.action == "decide" for t in actions)
    if may_decide and decide_form is None:
        decide_form = DecideForm(
            decisions=services.deciding_decisions(matter.branch),
            initial={"expected_state": matter.state},
        )
    manage = can.can_manage_matter(user, matter)
    history = (
        AuditEvent.objects.filter(object_type="party.majormatter", object_id=str(matter.pk))
        .exclude(action="access.denied")
        .order_by("-seq")[:50]
    )
    matter.tone = STATE_TONES[matter.state]
    return render(
        request,
        "party/meeting_matter_detail.html",
        {
            "matter": matter,
            "can_edit": manage and matter.state == MajorMatter.State.PROPOSED,
            "decide_form": decide_form if may_decide else None,
            "actions": [t for t in actions if t.action != "decide"],
            "history": history if manage or not can.member_of(user) else None,
        },
    )


@require(can.can_list_meetings)
def matter_detail(request, pk: int):
    return _render_detail(request, _visible(request, pk))


@require(can.can_create_matter)
@require_POST
def matter_decide(request, pk: int):
    """Mark the matter decided by the chosen meeting decision; the workflow's guard refuses
    a decision of a meeting without quorum, or one that did not pass."""
    matter = _visible(request, pk)
    form = DecideForm(request.POST, decisions=services.deciding_decisions(matter.branch))
    if not form.is_valid():
        return _render_detail(request, matter, decide_form=form)
    try:
        MAJOR_MATTER_WORKFLOW.apply(
            request.user,
            matter,
            "decide",
            {"decision": form.cleaned_data["decision"]},
            expected_state=form.cleaned_data.get("expected_state") or None,
        )
    except TransitionError as exc:
        if exc.code in {"forbidden", "unknown_action"}:
            raise deny(request, "party.majormatter", matter.pk) from None
        form.add_error("decision", exc.message)
        return _render_detail(request, matter, decide_form=form)
    messages.success(request, _("The matter is marked decided."))
    return redirect("party:matter_detail", pk=matter.pk)


@require(can.can_list_meetings)
@require_POST
def matter_action(request, pk: int):
    matter = _visible(request, pk)
    action = request.POST.get("action", "")
    if action == "decide":
        raise deny(request, "party.majormatter", matter.pk)
    apply_from_form(request, MAJOR_MATTER_WORKFLOW, matter, action, TransitionForm(request.POST))
    return redirect("party:matter_detail", pk=matter.pk)


urlpatterns = [
    path("major-matters/", matter_list, name="matter_list"),
    path("major-matters/new/", matter_create, name="matter_create"),
    path("major-matters/<int:pk>/", matter_detail, name="matter_detail"),
    path("major-matters/<int:pk>/edit/", matter_edit, name="matter_edit"),
    path("major-matters/<int:pk>/decide/", matter_decide, name="matter_decide"),
    path("major-matters/<int:pk>/action/", matter_action, name="matter_action"),
]
