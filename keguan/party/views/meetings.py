"""Branch meetings (三会一课): the list, recording a meeting with its attendance, minutes
and decisions, the yearly calendar of what was held and what is still required, and the
Excel export. Major matters (三重一大) are in meetings_matters.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from keguan.audit import services as audit
from keguan.audit.models import AuditEvent
from keguan.core.access import get_visible, require
from keguan.core.export import Column, xlsx_response
from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate, query_without_page
from keguan.party.models import BranchMeeting, MeetingAttendance, MeetingDecision, MeetingKind
from keguan.party.permissions import meetings as can
from keguan.party.permissions import member_of
from keguan.party.services import meetings as services
from keguan.party.services.meetings_calendar import calendar, span_of
from keguan.party.views import meetings_matters
from keguan.party.views.meetings_forms import AttendanceForm, DecisionForm, MeetingForm


def _visible(request, pk: int) -> BranchMeeting:
    return get_visible(
        request,
        can.visible_meetings(request.user).select_related("branch__bureau", "group", "chair"),
        pk,
    )


def _editable(request, pk: int) -> BranchMeeting:
    """The meeting, to its branch's secretary; to anyone else the audited 404."""
    return get_visible(
        request,
        BranchMeeting.objects.filter(branch=can.secretary_branch(request.user)).select_related(
            "branch__bureau", "group", "chair"
        ),
        pk,
    )


def chosen_branch(request):
    """The branch the page is about: ?branch= among those the user sees (an inspector may
    see several), else the one they keep or belong to; 404 when there is none."""
    user = request.user
    if request.GET.get("branch", "").isdigit():
        return get_visible(request, can.visible_branches(user), request.GET["branch"])
    branch = can.secretary_branch(user)
    if branch is None:
        member = member_of(user)
        branch = member.branch if member else can.visible_branches(user).order_by("pk").first()
    if branch is None:
        raise Http404()
    return branch


def _year(request) -> int:
    value = request.GET.get("year", "")
    return (
        int(value) if value.isdigit() and 1949 <= int(value) <= 2200 else timezone.localdate().year
    )


@require(can.can_list_meetings)
def meeting_list(request):
    user = request.user
    meetings = can.visible_meetings(user).select_related("branch", "group", "chair")
    kind = request.GET.get("kind", "")
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    if request.GET.get("year", "").isdigit():
        meetings = meetings.filter(held_on__year=_year(request))
    member = member_of(user)
    if member is not None:
        mine = MeetingAttendance.objects.filter(meeting=OuterRef("pk"), member=member)
        meetings = meetings.annotate(my_presence=Subquery(mine.values("present")[:1]))
        if request.GET.get("mine"):
            meetings = meetings.filter(attendance__member=member)
    meetings = meetings.annotate(decision_count=Count("decisions")).order_by("-held_on", "-pk")
    page = paginate(request, meetings)
    return render(
        request,
        "party/meeting_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "kinds": MeetingKind.choices,
            "kind": kind,
            "member": member,
            "can_create": can.can_record_meeting(user),
            "can_export": can.can_export_meetings(user),
        },
    )


@require(can.can_record_meeting)
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    branch = can.secretary_branch(request.user)
    form = MeetingForm(request.POST or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(request.user, branch, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting has been recorded; now record who came."))
            return redirect("party:meeting_attendance", pk=meeting.pk)
    return render(request, "party/meeting_form.html", {"form": form, "meeting": None})


@require(can.can_record_meeting)
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    meeting = _editable(request, pk)
    form = MeetingForm(request.POST or None, branch=meeting.branch, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(request.user, meeting, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("party:meeting_detail", pk=meeting.pk)
    return render(request, "party/meeting_form.html", {"form": form, "meeting": meeting})


@require(can.can_record_meeting)
@require_http_methods(["GET", "POST"])
def meeting_attendance(request, pk: int):
    meeting = _editable(request, pk)
    form = AttendanceForm(
        request.POST or None, meeting=meeting, expected=services.expected_members(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(request.user, meeting, form.present(), form.reasons())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The attendance has been recorded."))
            return redirect("party:meeting_detail", pk=meeting.pk)
    return render(request, "party/meeting_attendance.html", {"form": form, "meeting": meeting})


def _history(meeting: BranchMeeting, decision_ids):
    return (
        AuditEvent.objects.filter(
            Q(object_type="party.branchmeeting", object_id=str(meeting.pk))
            | Q(object_type="party.meetingdecision", object_id__in=[str(p) for p in decision_ids])
        )
        .exclude(action="access.denied")
        .order_by("-seq")[:50]
    )


def _render_detail(request, meeting: BranchMeeting, decision_form=None):
    user = request.user
    may_edit = can.can_edit_meeting(user, meeting)
    decisions = list(meeting.decisions.prefetch_related("major_matters"))
    for decision in decisions:
        decision.outcome = services.outcome(decision, meeting)
    problem = services.quorum_problem(meeting) if meeting.decides else None
    # The secretary and the inspector: who stayed away and why, and the meeting's history.
    see_reasons = can.can_read_absence_reasons(user, meeting)
    if may_edit and decision_form is None and problem is None:
        decision_form = DecisionForm()
    return render(
        request,
        "party/meeting_detail.html",
        {
            "meeting": meeting,
            "attendance": meeting.attendance.select_related("member"),
            "see_reasons": see_reasons,
            "quorum_problem": problem,
            "decisions": decisions,
            "can_edit": may_edit,
            "decision_form": decision_form if may_edit else None,
            "period": span_of(meeting.kind, meeting.held_on),
            "history": _history(meeting, [d.pk for d in decisions]) if see_reasons else None,
        },
    )


@require(can.can_list_meetings)
def meeting_detail(request, pk: int):
    return _render_detail(request, _visible(request, pk))


@require(can.can_record_meeting)
@require_POST
def meeting_decision_add(request, pk: int):
    meeting = _editable(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.add_decision(request.user, meeting, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect("party:meeting_detail", pk=meeting.pk)
    return _render_detail(request, meeting, decision_form=form)


@require(can.can_record_meeting)
@require_POST
def meeting_decision_remove(request, pk: int):
    decision = get_visible(
        request,
        MeetingDecision.objects.filter(meeting__branch=can.secretary_branch(request.user)),
        pk,
    )
    try:
        services.remove_decision(request.user, decision)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The decision has been removed."))
    return redirect("party:meeting_detail", pk=decision.meeting_id)


@require(can.can_list_meetings)
def meeting_calendar(request):
    branch = chosen_branch(request)
    year = _year(request)
    return render(
        request,
        "party/meeting_calendar.html",
        {
            "branch": branch,
            "year": year,
            "rows": calendar(branch, year),
            "branches": can.visible_branches(request.user).order_by("name"),
            "can_export": can.can_export_meetings(request.user),
        },
    )


EXPORT_COLUMNS = [
    Column(gettext_lazy("Kind"), lambda r: r["kind"], 22),
    Column(gettext_lazy("Required"), lambda r: r["frequency"], 10),
    Column(gettext_lazy("Period"), lambda r: r["period"], 12),
    Column(gettext_lazy("State"), lambda r: r["state"], 12),
    Column(gettext_lazy("Held on"), lambda r: r["held_on"], 12),
    Column(gettext_lazy("Topic"), lambda r: r["topic"], 40),
    Column(gettext_lazy("Place"), lambda r: r["place"], 20),
    Column(gettext_lazy("Present / expected"), lambda r: r["presence"], 14),
    Column(gettext_lazy("Quorum"), lambda r: r["quorum"], 10),
]
STATE_LABELS = {
    "held": gettext_lazy("held"),
    "missed": gettext_lazy("missed"),
    "due": gettext_lazy("still required"),
    "future": gettext_lazy("not yet due"),
}


def _export_rows(branch, year):
    """One row a meeting held, and one for each period without a meeting: held vs
    required per kind and period. Two queries."""
    meetings = BranchMeeting.objects.filter(branch=branch, held_on__year=year).in_bulk()
    for row in calendar(branch, year):
        for cell in row.cells:
            base = {"kind": row.label, "frequency": row.period_label, "period": cell.span.label}
            state = str(STATE_LABELS[cell.state])
            if not cell.meetings:
                yield (
                    base
                    | dict.fromkeys(("held_on", "topic", "place", "presence"), "")
                    | {
                        "state": state,
                        "quorum": "",
                    }
                )
            for pk, _held_on, _topic in cell.meetings:
                m = meetings[pk]
                yield base | {
                    "state": state,
                    "held_on": m.held_on,
                    "topic": m.topic,
                    "place": m.place,
                    "presence": f"{m.present_count}/{m.expected_count}",
                    "quorum": (str(_("yes")) if m.quorate else str(_("no"))) if m.decides else "",
                }


@require(can.can_export_meetings)
def meeting_export(request):
    branch = chosen_branch(request)
    year = _year(request)
    audit.record("party.meeting.export", obj=branch, after={"year": year})
    return xlsx_response(
        f"{_('branch meetings')}-{year}",
        _("Branch meetings"),
        EXPORT_COLUMNS,
        _export_rows(branch, year),
    )


urlpatterns = [
    path("meetings/", meeting_list, name="meeting_list"),
    path("meetings/new/", meeting_create, name="meeting_create"),
    path("meetings/calendar/", meeting_calendar, name="meeting_calendar"),
    path("meetings/export/", meeting_export, name="meeting_export"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/decisions/", meeting_decision_add, name="meeting_decision_add"),
    path(
        "meeting-decisions/<int:pk>/remove/",
        meeting_decision_remove,
        name="meeting_decision_remove",
    ),
    *meetings_matters.urlpatterns,
]
