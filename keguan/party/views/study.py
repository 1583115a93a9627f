"""Pages of the party branch's study area: a member's own study record, the yearly plans,
hours per member (and their export), the quarterly assessment; sessions are in
`study_sessions`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.core.access import deny, get_visible, require
from keguan.core.export import Column, xlsx_response
from keguan.core.forms import apply_errors
from keguan.party.forms_study import PlanForm
from keguan.party.models import StudyPlan, StudySession
from keguan.party.permissions import branch_of, member_of
from keguan.party.permissions import study as can
from keguan.party.services import study as services
from keguan.party.services import study_assessment as assessment
from keguan.party.views import study_sessions as sessions


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _overseen_branch(request):
    """The branch an overseer looks at: ?branch= among theirs, else their own or the first."""
    branches = can.overseen_branches(request.user).select_related("bureau")
    if request.GET.get("branch", "").isdigit():
        return get_visible(request, branches, int(request.GET["branch"]))
    own = branch_of(request.user)
    chosen = branches.filter(pk=own.pk).first() if own is not None else None
    return chosen or branches.first()


@require(can.can_use_study)
def study_index(request):
    """A member's own record this year; overseers also get the way to the branch's pages."""
    user, year = request.user, _year(request)
    member = member_of(user)
    context = {"year": year, "member": member, "oversees": can.can_oversee_any(user)}
    if member is not None:
        context["attendance"] = list(
            can.visible_attendance(user)
            .filter(member=member, session__date__year=year)
            .select_related("session")
            .order_by("-session__date")
        )
        context["hours"] = sum((a.hours for a in context["attendance"]), 0)
        plan = StudyPlan.objects.filter(branch_id=member.branch_id, year=year).first()
        context["plan"] = plan
        context["owed"] = assessment.required_hours_by(plan, timezone.localdate()) if plan else None
        context["assessments"] = list(
            can.visible_assessments(user)
            .filter(member=member)
            .select_related("close")
            .order_by("-close__year", "-close__quarter")
        )
        context["upcoming"] = list(
            StudySession.objects.filter(
                branch_id=member.branch_id, date__gte=timezone.localdate()
            ).order_by("date", "starts_at")[:5]
        )
    return render(request, "party/study_home.html", context)


@require(can.can_use_study)
def plan_list(request):
    plans = can.visible_plans(request.user).select_related("branch").order_by("-year", "pk")
    return render(
        request,
        "party/study_plan_list.html",
        {
            "plans": plans,
            "can_create": can.can_manage_study(request.user),
            "oversees": can.can_oversee_any(request.user),
        },
    )


@require(can.can_use_study)
def plan_detail(request, pk: int):
    plan = get_visible(request, can.visible_plans(request.user).select_related("branch"), pk)
    return render(
        request,
        "party/study_plan_detail.html",
        {
            "plan": plan,
            "topics": plan.topics.all(),
            "can_edit": can.can_manage_study(request.user, plan.branch),
        },
    )


@require(can.can_manage_study)
@require_http_methods(["GET", "POST"])
def plan_create(request):
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(request.user, branch_of(request.user), form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The study plan has been saved."))
            return redirect("party:plan_detail", pk=plan.pk)
    return render(request, "party/study_plan_form.html", {"form": form, "plan": None})


@require(can.can_manage_study)
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    plan = get_visible(request, can.visible_plans(request.user).select_related("branch"), pk)
    if not can.can_manage_study(request.user, plan.branch):
        raise deny(request, "party.studyplan", pk)
    form = PlanForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(request.user, plan, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("party:plan_detail", pk=plan.pk)
    return render(request, "party/study_plan_form.html", {"form": form, "plan": plan})


def _require_branch(request):
    branch = _overseen_branch(request)
    if branch is None:
        raise deny(request, "party.branch")
    return branch


@require(can.can_oversee_any)
def study_hours(request):
    branch, year = _require_branch(request), _year(request)
    plan = StudyPlan.objects.filter(branch=branch, year=year).first()
    return render(
        request,
        "party/study_hours.html",
        {
            "branch": branch,
            "year": year,
            "plan": plan,
            "members": services.hours_by_member(branch, year),
            "branches": can.overseen_branches(request.user),
        },
    )


@require(can.can_oversee_any)
def study_hours_export(request):
    branch, year = _require_branch(request), _year(request)
    rows = list(services.hours_by_member(branch, year))
    services.record_export(request.user, branch, year, len(rows))
    columns = [
        Column(_("Member"), lambda m: m.name, 16),
        Column(_("Sessions"), lambda m: m.sessions, 10),
        Column(_("Hours"), lambda m: m.hours, 10),
        Column(_("Notes handed in"), lambda m: m.notes_handed_in, 14),
    ]
    title = _("Study hours %(year)d") % {"year": year}
    return xlsx_response(f"{title} {branch.name}", title, columns, rows)


def _quarter(request) -> int:
    value = request.GET.get("quarter", "")
    if value in ("1", "2", "3", "4"):
        return int(value)
    return assessment.quarter_of(timezone.localdate())


@require(can.can_use_study)
def assessment_list(request):
    """Overseers: the branch ranked for a quarter (stored once closed, provisional before).
    A member: their own assessments only."""
    user, year, quarter = request.user, _year(request), _quarter(request)
    if not can.can_oversee_any(user):
        return redirect("party:study_index")
    branch = _require_branch(request)
    close = assessment.closed(branch, year, quarter)
    if close is not None:
        rows = list(close.assessments.select_related("member").order_by("rank", "member__name"))
    else:
        try:
            rows = assessment.compute(branch, year, quarter)
        except ValidationError as exc:
            rows = []
            messages.info(request, " ".join(exc.messages))
    first, last = assessment.quarter_bounds(year, quarter)
    return render(
        request,
        "party/study_assessment_list.html",
        {
            "branch": branch,
            "year": year,
            "quarter": quarter,
            "quarters": (1, 2, 3, 4),
            "close": close,
            "rows": rows,
            "may_close": close is None
            and timezone.localdate() > last
            and can.can_manage_study(user, branch),
        },
    )


@require(can.can_manage_study)
@require_POST
def assessment_close(request):
    branch = branch_of(request.user)
    try:
        year, quarter = int(request.POST.get("year", "")), int(request.POST.get("quarter", ""))
        assessment.close_quarter(request.user, branch, year, quarter)
    except ValueError:
        messages.error(request, _("Choose a quarter from 1 to 4."))
        return redirect("party:assessment_list")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The quarter is closed; its scores are final."))
    return redirect(f"{reverse('party:assessment_list')}?year={year}&quarter={quarter}")


urlpatterns = [
    path("study/", study_index, name="study_index"),
    path("study/plans/", plan_list, name="plan_list"),
    path("study/plans/new/", plan_create, name="plan_create"),
    path("study/plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("study/plans/<int:pk>/edit/", plan_edit, name="plan_edit"),
    path("study/hours/", study_hours, name="study_hours"),
    path("study/hours/export/", study_hours_export, name="study_hours_export"),
    path("study/assessments/", assessment_list, name="assessment_list"),
    path("study/assessments/close/", assessment_close, name="assessment_close"),
    path("study/sessions/", sessions.session_list, name="session_list"),
    path("study/sessions/new/", sessions.session_create, name="session_create"),
    path("study/sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("study/sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path(
        "study/sessions/<int:pk>/sign-in/<str:token>/",
        sessions.session_sign_in,
        name="session_sign_in",
    ),
    path(
        "study/sessions/<int:pk>/sign-member/",
        sessions.session_sign_member,
        name="session_sign_member",
    ),
    path("study/sessions/<int:pk>/materials/", sessions.material_upload, name="material_upload"),
    path("study/sessions/<int:pk>/leave/", sessions.leave_create, name="leave_create"),
    path("study/sessions/<int:pk>/make-up/", sessions.makeup_create, name="makeup_create"),
    path("study/sessions/<int:pk>/notes/", sessions.note_submit, name="note_submit"),
    path("study/materials/<int:pk>/", sessions.material_download, name="material_download"),
    path("study/notes/<int:pk>/", sessions.note_download, name="note_download"),
    path("study/leave/", sessions.leave_list, name="leave_list"),
    path("study/leave/<int:pk>/action/", sessions.leave_action, name="leave_action"),
]
