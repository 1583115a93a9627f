"""Applications (申报书): the list and its export, starting one, the edit page, the detail
page with attachments and the workflow actions."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts.permissions import has_role, visible_organizations
from keguan.accounts.roles import BUREAU_WIDE_ROLES
from keguan.audit import services as audit
from keguan.audit.models import AuditEvent
from keguan.core.access import deny, get_visible, require, signed_in
from keguan.core.actions import apply_from_form, store_from_form
from keguan.core.export import EXPORT_ROW_LIMIT, Column, in_wan, xlsx_response
from keguan.core.forms import apply_errors
from keguan.core.pagination import list_template, paginate, query_without_page
from keguan.core.workflow import TransitionError
from keguan.projects import attachments as attachment_store
from keguan.projects import permissions, rules, services
from keguan.projects.forms.applications import (
    ApplicationActionForm,
    ApplicationFilterForm,
    ApplicationForm,
    AttachmentUploadForm,
    BudgetFormSet,
    TeamFormSet,
    budget_initial,
    kept_forms,
    team_initial,
)
from keguan.projects.models import Application, AttachmentKind, BudgetLine
from keguan.projects.workflow import APPLICATION_WORKFLOW
from keguan.review import permissions as review_permissions
from keguan.review.comments import applicant_page_context
from keguan.review.models import Meeting

SUBMIT_ACTIONS = ("submit", "resubmit")
_money = DecimalField(max_digits=16, decimal_places=2)


# The list's columns; the Excel export has the same ones, in the same order.
COLUMNS = [
    Column(gettext_lazy("Title"), lambda a: a.title, 40),
    Column(gettext_lazy("Organization"), lambda a: a.organization.name, 30),
    Column(gettext_lazy("Township"), lambda a: a.organization.township, 12),
    Column(gettext_lazy("Call"), lambda a: a.call.title, 36),
    Column(gettext_lazy("Level"), lambda a: a.call.program.get_level_display(), 10),
    Column(gettext_lazy("Year"), lambda a: a.call.year, 8),
    Column(gettext_lazy("Requested (10,000 yuan)"), lambda a: in_wan(a.requested_sum), 14),
    Column(gettext_lazy("State"), lambda a: a.get_state_display(), 16),
    Column(gettext_lazy("Submitted"), lambda a: a.submitted_at, 18),
]


def _filtered(request):
    """The filter form and the user's applications it selects, totals summed in SQL."""
    user = request.user
    visible = permissions.visible_applications(user)
    # The bureau's people choose among organizations; an applicant has only their own.
    officer_view = has_role(user, *BUREAU_WIDE_ROLES) and user.bureau_id is not None
    form = ApplicationFilterForm(
        request.GET or None,
        calls=permissions.visible_calls(user).select_related("program").order_by("-year", "title"),
        # The jurisdiction's organizations, not "those with applications": the same
        # choices without scanning every application of a province first.
        organizations=visible_organizations(user).order_by("name", "pk") if officer_view else None,
        townships=visible_organizations(user)
        .exclude(township="")
        .order_by("township")
        .values_list("township", flat=True)
        .distinct()
        if officer_view
        else (),
    )
    applications = (
        form.filter(visible)
        .select_related("organization", "call", "call__program")
        # A subquery per listed row, not a join grouped over the whole jurisdiction: the
        # page reads 25 sums instead of grouping every budget line of a province.
        .annotate(
            requested_sum=Coalesce(
                Subquery(
                    BudgetLine.objects.filter(application=OuterRef("pk"))
                    .order_by()
                    .values("application")
                    .annotate(total=Sum("requested"))
                    .values("total")[:1],
                    output_field=_money,
                ),
                Value(Decimal(0)),
                output_field=_money,
            )
        )
        .order_by(*form.ordering())
    )
    return form, applications


@require(permissions.can_list_applications)
def application_list(request):
    form, applications = _filtered(request)
    page = paginate(request, applications)
    query = query_without_page(request)
    template = list_template(request, "projects/application_list.html")
    return render(
        request,
        template,
        {"form": form, "page": page, "columns": COLUMNS, "query": query},
    )


@require(permissions.can_list_applications)
def application_export(request):
    """The filtered list as an Excel workbook with the page's columns."""
    form, applications = _filtered(request)
    audit.record(
        "projects.application.export",
        object_type="projects.application",
        after={"filters": {k: v for k, v in request.GET.items() if v}},
    )
    return xlsx_response(
        _("applications"),
        _("Applications"),
        COLUMNS,
        applications[:EXPORT_ROW_LIMIT].iterator(chunk_size=500),
    )


@require(permissions.can_apply)
@require_POST
def application_start(request, pk: int):
    """Start a draft for the call (optionally from a reserve-pool candidate), then edit."""
    call = get_visible(request, permissions.visible_calls(request.user), pk)
    candidate = None
    chosen = request.POST.get("candidate", "")
    if chosen:
        if not chosen.isdigit():
            raise Http404
        candidate = get_visible(request, permissions.visible_candidates(request.user), chosen)
    data = {}
    if candidate is None:
        # A title to start with; the applicant changes it on the edit page.
        data["title"] = (_("Application to %(call)s") % {"call": call.title})[:200]
    try:
        application = services.start_application(request.user, call, candidate, data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("projects:call_detail", pk=call.pk)
    messages.success(request, _("A draft application has been started. Fill it in below."))
    return redirect("projects:application_edit", pk=application.pk)


def _visible(request, pk: int) -> Application:
    return get_visible(
        request,
        permissions.visible_applications(request.user)
        .select_related("call", "call__program", "organization", "bureau")
        .prefetch_related("team", "budget_lines"),
        pk,
    )


def _fresh(application: Application) -> Application:
    """The application as saved, for the checklist after a failed (rolled back) save."""
    return Application.objects.select_related("call", "organization").get(pk=application.pk)


def _apply_row_errors(exc: ValidationError, main, team_rows, budget_rows) -> dict:
    """Put each service error beside its field: `team.2.id_number` on the second kept team
    row's ID number; whole-team and whole-budget errors above their tables."""
    top = {"team": [], "budget": [], "form": []}
    for key, errors in exc.message_dict.items():
        section, _dot, rest = key.partition(".")
        rows = {"team": team_rows, "budget": budget_rows}.get(section)
        if rows is not None and rest:
            index, _dot, field = rest.partition(".")
            form = rows[int(index) - 1] if index.isdigit() and 0 < int(index) <= len(rows) else None
            if form is not None:
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
                continue
        if section in ("team", "budget"):
            top[section].extend(errors)
        elif key in main.fields or key == "__all__":
            apply_errors(main, ValidationError({key: errors}))
        else:
            top["form"].extend(errors)
    return top


def _save_all(user, application, main, team_rows, budget_rows, stored_team) -> dict | None:
    """Fields, team and budget in one transaction: all saved, or nothing and the errors."""
    failures = []
    with transaction.atomic():
        # Every step runs, so the page shows all three parts' errors at once.
        for step in (
            lambda: services.update_application(
                user, application, main.cleaned_data, main.expected_version
            ),
            lambda: services.replace_team(
                user, application, [f.member_data(stored_team) for f in team_rows]
            ),
            lambda: services.replace_budget(
                user, application, [f.line_data() for f in budget_rows]
            ),
        ):
            try:
                step()
            except ValidationError as exc:
                failures.append(exc)
        if not failures:
            return None
        transaction.set_rollback(True)
    top = {"team": [], "budget": [], "form": []}
    for exc in failures:
        for key, errors in _apply_row_errors(exc, main, team_rows, budget_rows).items():
            top[key].extend(errors)
    return top


@require(signed_in)
@require_http_methods(["GET", "POST"])
def application_edit(request, pk: int):
    application = _visible(request, pk)
    if not permissions.can_edit_application(request.user, application):
        if permissions.is_own_application(request.user, application):
            messages.info(request, _("This application is no longer a draft and cannot change."))
            return redirect("projects:application_detail", pk=pk)
        raise deny(request, "projects.application", pk)
    stored_team = {m.pk: m for m in application.team.all()}
    top_errors = {"team": [], "budget": [], "form": []}
    if request.method == "POST":
        main = ApplicationForm(request.POST, instance=Application.objects.get(pk=pk))
        team = TeamFormSet(request.POST, prefix="team")
        budget = BudgetFormSet(request.POST, prefix="budget")
        valid = [main.is_valid(), team.is_valid(), budget.is_valid()]
        if all(valid):
            team_rows, budget_rows = kept_forms(team), kept_forms(budget)
            failed = _save_all(request.user, application, main, team_rows, budget_rows, stored_team)
            if failed is None:
                messages.success(request, _("The application has been saved."))
                return redirect("projects:application_edit", pk=pk)
            top_errors = failed
            application = _fresh(application)
        messages.error(request, _("Nothing was saved; please correct the marked fields."))
    else:
        main = ApplicationForm(instance=application)
        team = TeamFormSet(prefix="team", initial=team_initial(application))
        budget = BudgetFormSet(prefix="budget", initial=budget_initial(application))
    return render(
        request,
        "projects/application_edit.html",
        {
            "application": application,
            "call": application.call,
            "form": main,
            "team": team,
            "budget": budget,
            "top_errors": top_errors,
            "problems": rules.completeness_problems(application),
            "window_refusal": rules.window_refusal(application.call),
            "requested_total": application.requested_total,
            "self_raised_total": application.self_raised_total,
            **_attachment_context(request, application, back="edit"),
            "submit_actions": [
                t
                for t in APPLICATION_WORKFLOW.allowed_actions(request.user, application)
                if t.action in SUBMIT_ACTIONS
            ],
        },
    )


def _attachment_context(request, application: Application, back: str = "") -> dict:
    """What the attachments partial needs: the files, the upload form, what is missing."""
    files = list(application.attachments.select_related("uploaded_by"))
    present = {a.kind for a in files if a.current}
    labels = dict(AttachmentKind.choices)
    may_upload = permissions.can_upload_to_application(request.user, application)
    return {
        "attachments": [a for a in files if a.current],
        "attachment_history": [a for a in files if not a.current],
        "upload_form": AttachmentUploadForm() if may_upload else None,
        "upload_url": reverse("projects:application_attachment_upload", args=[application.pk]),
        "upload_back": back,
        "missing_kinds": [
            labels.get(k, k) for k in application.call.required_attachments if k not in present
        ],
    }


def _history(application: Application):
    attachment_ids = [str(pk) for pk in application.attachments.values_list("pk", flat=True)]
    return (
        AuditEvent.objects.filter(
            Q(object_type="projects.application", object_id=str(application.pk))
            | Q(object_type="projects.attachment", object_id__in=attachment_ids)
        )
        .exclude(action="access.denied")
        .order_by("-seq")[:50]
    )


@require(signed_in)
def application_detail(request, pk: int):
    application = _visible(request, pk)
    user = request.user
    actions = APPLICATION_WORKFLOW.allowed_actions(user, application)
    requested = application.requested_total
    self_raised = application.self_raised_total
    show_hints = permissions.can_see_duplicate_hints(user, application)
    can_edit = permissions.can_edit_application(user, application)
    return render(
        request,
        "projects/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "team": application.team.all(),
            "lines": application.budget_lines.all(),
            "requested_total": requested,
            "self_raised_total": self_raised,
            "budget_total": requested + self_raised,
            "actions": actions,
            "expected_state": application.state,
            "meeting_decisions": application.meeting_decisions.filter(
                meeting__in=review_permissions.visible_meetings(user),
                meeting__state=Meeting.State.RELEASED,
            ).select_related("meeting"),
            "history": _history(application)
            if permissions.can_read_application_history(user, application)
            else [],
            "duplicate_hints": application.duplicate_hints if show_hints else [],
            "show_hints": show_hints,
            "can_edit": can_edit,
            "problems": rules.completeness_problems(application) if can_edit else [],
            "window_refusal": rules.window_refusal(application.call) if can_edit else None,
            "can_download_letter": permissions.can_download_recommendation_letter(
                user, application
            ),
            **_attachment_context(request, application),
            **applicant_page_context(user, application),
        },
    )


@require(signed_in)
@require_POST
def application_action(request, pk: int, action: str):
    application = _visible(request, pk)
    form = ApplicationActionForm(request.POST)
    if action not in SUBMIT_ACTIONS:
        apply_from_form(request, APPLICATION_WORKFLOW, application, action, form, form.payload())
        return redirect("projects:application_detail", pk=pk)
    try:
        _submit(request, application)
    except TransitionError as exc:
        if exc.code in {"forbidden", "unknown_action"}:
            raise deny(request, "projects.application", pk) from None
        messages.error(request, exc.message)
    return redirect("projects:application_detail", pk=pk)


def _submit(request, application: Application) -> None:
    """Submit or resubmit; a second click finds it submitted and says so, calmly."""
    application, submitted_now = services.submit_application(request.user, application)
    if submitted_now:
        messages.success(request, _("The application has been submitted."))
    else:
        messages.info(request, _("The application has already been submitted."))


@require(signed_in)
@require_POST
def application_attachment_upload(request, pk: int):
    application = _visible(request, pk)
    if not permissions.can_upload_to_application(request.user, application):
        if permissions.is_own_application(request.user, application):
            messages.error(request, _("This application is no longer a draft and cannot change."))
            return redirect("projects:application_detail", pk=pk)
        raise deny(request, "projects.application", pk)
    form = AttachmentUploadForm(request.POST, request.FILES)
    store_from_form(request, form, attachment_store.store, application=application)
    if request.POST.get("back") == "edit":
        return redirect("projects:application_edit", pk=pk)
    return redirect("projects:application_detail", pk=pk)
