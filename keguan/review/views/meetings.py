"""Decision meetings (集体决策, 局务会): the list, recording a meeting, staging its decisions
and releasing them together."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts.forms import TransitionForm
from keguan.audit.models import AuditEvent
from keguan.core.access import deny, get_visible, require
from keguan.core.actions import apply_from_form
from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate, query_without_page
from keguan.review import permissions, services
from keguan.review.forms.meetings import DecisionForm, MeetingForm
from keguan.review.models import Decision, Meeting
from keguan.review.workflow import MEETING_WORKFLOW, quorum_problem

STATE_TONES = {Meeting.State.DRAFT: "pending", Meeting.State.RELEASED: "verified"}


def _visible(request, pk: int) -> Meeting:
    return get_visible(
        request,
        permissions.visible_meetings(request.user).select_related("bureau", "recorded_by"),
        pk,
    )


def _refuse_change(request, meeting: Meeting):
    """Let a change to MEETING through, or say why not: a released meeting's own recorders
    are told it is final (nothing changed); anyone else gets the audited 404."""
    user = request.user
    if permissions.can_edit_meeting(user, meeting):
        return None
    if permissions.can_record_meeting(user) and meeting.bureau_id == user.bureau_id:
        messages.error(request, _("The decisions are released; a change needs a new meeting."))
        return redirect("review:meeting_detail", pk=meeting.pk)
    raise deny(request, "review.meeting", meeting.pk)


@require(permissions.can_list_meetings)
def meeting_list(request):
    meetings = (
        permissions.visible_meetings(request.user)
        .annotate(
            decision_count=Count("decisions", distinct=True),
            present=Count("attendance", distinct=True),
        )
        .order_by("-held_on", "-pk")
    )
    page = paginate(request, meetings)
    for meeting in page:
        meeting.tone = STATE_TONES[meeting.state]
        meeting.quorate = meeting.present * 2 > meeting.leadership_size > 0
    return render(
        request,
        "review/meeting_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "can_create": permissions.can_record_meeting(request.user),
        },
    )


@require(permissions.can_record_meeting)
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    form = MeetingForm(request.POST or None, bureau=request.user.bureau)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting has been recorded."))
            return redirect("review:meeting_detail", pk=meeting.pk)
    return render(request, "review/meeting_form.html", {"form": form, "meeting": None})


@require(permissions.can_record_meeting)
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    meeting = _visible(request, pk)
    refused = _refuse_change(request, meeting)
    if refused:
        return refused
    form = MeetingForm(request.POST or None, bureau=meeting.bureau, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(request.user, meeting, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("review:meeting_detail", pk=meeting.pk)
    return render(request, "review/meeting_form.html", {"form": form, "meeting": meeting})


def _history(meeting: Meeting, decision_ids):
    return (
        AuditEvent.objects.filter(
            Q(object_type="review.meeting", object_id=str(meeting.pk))
            | Q(object_type="review.decision", object_id__in=[str(pk) for pk in decision_ids])
        )
        .exclude(action="access.denied")
        .order_by("-seq")[:50]
    )


def _render_detail(request, meeting: Meeting, stage_form: DecisionForm | None = None):
    user = request.user
    draft = meeting.state == Meeting.State.DRAFT
    may_edit = permissions.can_edit_meeting(user, meeting)
    problem = quorum_problem(meeting) if draft else None
    decisions = list(
        meeting.decisions.select_related("application__organization", "application__call", "fund")
    )
    if may_edit and stage_form is None and problem is None:
        stage_form = DecisionForm(meeting=meeting)
    meeting.tone = STATE_TONES[meeting.state]
    return render(
        request,
        "review/meeting_detail.html",
        {
            "meeting": meeting,
            "attendees": [a.user for a in meeting.attendance.select_related("user")],
            "quorum_problem": problem,
            "rounds": meeting.rounds.select_related("call"),
            "decisions": decisions,
            "can_edit": may_edit,
            "stage_form": stage_form if may_edit else None,
            "actions": MEETING_WORKFLOW.allowed_actions(user, meeting),
            "history": _history(meeting, [d.pk for d in decisions]),
        },
    )


@require(permissions.can_list_meetings)
def meeting_detail(request, pk: int):
    return _render_detail(request, _visible(request, pk))


@require(permissions.can_record_meeting)
@require_POST
def decision_stage(request, pk: int):
    meeting = _visible(request, pk)
    refused = _refuse_change(request, meeting)
    if refused:
        return refused
    form = DecisionForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.stage_decision(request.user, meeting, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The decision has been staged."))
            return redirect("review:meeting_detail", pk=meeting.pk)
    return _render_detail(request, meeting, stage_form=form)


@require(permissions.can_record_meeting)
@require_POST
def decision_remove(request, pk: int):
    decision = get_visible(
        request,
        Decision.objects.filter(
            meeting__in=permissions.visible_meetings(request.user)
        ).select_related("meeting"),
        pk,
    )
    meeting = decision.meeting
    refused = _refuse_change(request, meeting)
    if refused:
        return refused
    try:
        services.remove_decision(request.user, decision)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The staged decision has been removed."))
    return redirect("review:meeting_detail", pk=meeting.pk)


@require(permissions.can_list_meetings)
@require_POST
def meeting_action(request, pk: int):
    meeting = _visible(request, pk)
    action = request.POST.get("action", "")
    apply_from_form(request, MEETING_WORKFLOW, meeting, action, TransitionForm(request.POST))
    return redirect("review:meeting_detail", pk=meeting.pk)
