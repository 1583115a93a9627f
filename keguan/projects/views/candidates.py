"""The reserve pool (项目储备库): candidates prepared with a guiding officer before a call."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts import permissions as accounts
from keguan.accounts.forms import TransitionForm
from keguan.core.access import deny, get_visible, require, signed_in
from keguan.core.actions import apply_from_form
from keguan.core.forms import apply_errors
from keguan.core.pagination import list_template, paginate, query_without_page
from keguan.projects import permissions, services
from keguan.projects.forms.candidates import (
    CandidateFilterForm,
    CandidateForm,
    FollowUpForm,
    officers_of,
)
from keguan.projects.models import Candidate
from keguan.projects.workflow import CANDIDATE_WORKFLOW

STATE_TONES = {
    Candidate.State.WATCHING: "pending",
    Candidate.State.READY: "verified",
    Candidate.State.APPLIED: "verified",
    Candidate.State.DROPPED: "off",
}


@require(permissions.can_list_candidates)
def candidate_list(request):
    user = request.user
    staff = permissions.can_list_programs(user)
    form = CandidateFilterForm(
        request.GET or None,
        officers=officers_of(user.bureau, below=True) if staff else None,
        organizations=accounts.visible_organizations(user) if staff else None,
    )
    candidates = form.filter(
        permissions.visible_candidates(user).select_related("organization", "guiding_officer")
    )
    page = paginate(request, candidates.order_by("-updated_at", "-pk"))
    for candidate in page:
        candidate.tone = STATE_TONES[candidate.state]
    template = list_template(request, "projects/candidate_list.html")
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "staff_view": staff,
            "can_create": permissions.can_create_candidate(user),
        },
    )


@require(permissions.can_create_candidate)
@require_http_methods(["GET", "POST"])
def candidate_create(request):
    user = request.user
    if permissions.is_officer(user):
        # An officer records a unit of the jurisdiction and may pair an officer with it.
        form = CandidateForm(
            request.POST or None,
            organizations=accounts.visible_organizations(user),
            officers=officers_of(user.bureau),
        )
    else:
        form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data.get("organization") or user.organization
        try:
            candidate = services.create_candidate(user, organization, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The candidate has been added to the reserve pool."))
            return redirect("projects:candidate_detail", pk=candidate.pk)
    return render(request, "projects/candidate_form.html", {"form": form, "candidate": None})


@require(signed_in)
@require_http_methods(["GET", "POST"])
def candidate_edit(request, pk: int):
    user = request.user
    candidate = get_visible(
        request, permissions.visible_candidates(user).select_related("organization"), pk
    )
    if not permissions.can_edit_candidate(user, candidate):
        raise deny(request, "projects.candidate", pk)
    officers = officers_of(candidate.bureau) if permissions.is_officer(user) else None
    form = CandidateForm(
        request.POST or None,
        instance=Candidate.objects.select_related("organization__bureau").get(pk=pk),
        officers=officers,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_candidate(user, candidate, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("projects:candidate_detail", pk=candidate.pk)
    return render(request, "projects/candidate_form.html", {"form": form, "candidate": candidate})


def _render_detail(request, candidate: Candidate, follow_up_form=None, status: int = 200):
    user = request.user
    may_guide = permissions.can_guide_candidate(user, candidate)
    open_calls = []
    if candidate.state in Candidate.OPEN_STATES and user.organization_id == (
        candidate.organization_id
    ):
        open_calls = [
            call
            for call in services.open_calls_for(candidate, permissions.visible_calls(user))
            if permissions.can_start_application_to_listed(user, call)
        ]
    candidate.tone = STATE_TONES[candidate.state]
    return render(
        request,
        "projects/candidate_detail.html",
        {
            "candidate": candidate,
            "follow_ups": candidate.follow_ups.select_related("author"),
            "follow_up_form": follow_up_form
            or (FollowUpForm(initial={"on": timezone.localdate()}) if may_guide else None),
            "actions": CANDIDATE_WORKFLOW.allowed_actions(user, candidate),
            "can_edit": permissions.can_edit_candidate(user, candidate),
            "open_calls": open_calls,
        },
        status=status,
    )


def _visible_candidate(request, pk: int) -> Candidate:
    queryset = permissions.visible_candidates(request.user).select_related(
        "organization__bureau", "bureau", "guiding_officer", "created_by"
    )
    return get_visible(request, queryset, pk)


@require(permissions.can_list_candidates)
def candidate_detail(request, pk: int):
    return _render_detail(request, _visible_candidate(request, pk))


@require(signed_in)
@require_POST
def candidate_follow_up(request, pk: int):
    candidate = _visible_candidate(request, pk)
    if not permissions.can_guide_candidate(request.user, candidate):
        raise deny(request, "projects.candidate", pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.add_follow_up(request.user, candidate, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The follow-up note has been recorded."))
            return redirect("projects:candidate_detail", pk=candidate.pk)
    return _render_detail(request, candidate, follow_up_form=form)


@require(signed_in)
@require_POST
def candidate_action(request, pk: int, action: str):
    candidate = _visible_candidate(request, pk)
    apply_from_form(request, CANDIDATE_WORKFLOW, candidate, action, TransitionForm(request.POST))
    return redirect("projects:candidate_detail", pk=candidate.pk)
