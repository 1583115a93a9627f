"""Projects: the list and its export, a project's page, its task book, mid-term check,
progress reports, workflow actions, documents and the tranches paid."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts.permissions import visible_organizations
from keguan.audit import services as audit
from keguan.core.access import deny, get_visible, require
from keguan.core.actions import apply_from_form, store_from_form
from keguan.core.export import EXPORT_ROW_LIMIT, Column, in_wan, xlsx_response
from keguan.core.forms import apply_errors
from keguan.core.pagination import list_template, paginate, query_without_page
from keguan.funds import permissions as fund_permissions
from keguan.funds import services as funds
from keguan.projects import permissions, services
from keguan.projects.forms.applications import AttachmentUploadForm
from keguan.projects.forms.projects import (
    PROJECT_ATTACHMENT_KINDS,
    SORTS,
    DisbursementForm,
    MidtermForm,
    ProgressReportForm,
    ProjectActionForm,
    ProjectFilterForm,
    TaskBookForm,
)
from keguan.projects.models import Project
from keguan.projects.workflow import PROJECT_WORKFLOW

DEFAULT_SORT = "-year"


def _filtered_projects(request):
    """The user's projects narrowed by the filter form, with what was paid; and the form."""
    user = request.user
    projects = permissions.visible_projects(user)
    bureau_wide = permissions.sees_jurisdiction(user)
    organizations = visible_organizations(user).order_by("name", "pk") if bureau_wide else None
    townships = (
        organizations.exclude(township="")
        .order_by("township")
        .values_list("township", flat=True)
        .distinct()
        if bureau_wide
        else ()
    )
    years = projects.order_by("-year").values_list("year", flat=True).distinct()
    form = ProjectFilterForm(
        request.GET or None,
        years=list(years),
        organizations=organizations,
        townships=list(dict.fromkeys(townships)),
    )
    sort = DEFAULT_SORT
    if form.is_valid():
        data = form.cleaned_data
        q = data["q"].strip()
        if q:
            projects = projects.filter(
                Q(number__icontains=q) | Q(title__icontains=q) | Q(organization__name__icontains=q)
            )
        if data["year"]:
            projects = projects.filter(year=data["year"])
        if data["level"]:
            projects = projects.filter(level=data["level"])
        if data["state"]:
            projects = projects.filter(state=data["state"])
        if data.get("township"):
            projects = projects.filter(organization__township=data["township"])
        if data.get("organization"):
            projects = projects.filter(organization=data["organization"])
        sort = data["sort"] or DEFAULT_SORT
    projects = funds.with_disbursed(projects.select_related("organization"))
    return projects.order_by(*SORTS[sort]), form


@require(permissions.can_list_projects)
def project_list(request):
    projects, form = _filtered_projects(request)
    page = paginate(request, projects)
    template = list_template(request, "projects/project_list.html")
    return render(
        request,
        template,
        {"form": form, "page": page, "query": query_without_page(request)},
    )


EXPORT_COLUMNS = [
    Column(gettext_lazy("Project number"), lambda p: p.number, 18),
    Column(gettext_lazy("Title"), lambda p: p.title, 40),
    Column(gettext_lazy("Organization"), lambda p: p.organization.name, 30),
    Column(gettext_lazy("Level"), lambda p: p.get_level_display(), 10),
    Column(gettext_lazy("Year"), lambda p: p.year, 8),
    Column(gettext_lazy("Approved (10,000 yuan)"), lambda p: in_wan(p.approved_amount), 14),
    Column(gettext_lazy("Disbursed (10,000 yuan)"), lambda p: in_wan(p.disbursed), 14),
    Column(gettext_lazy("Execution rate (%)"), lambda p: p.execution_rate, 12),
    Column(gettext_lazy("Acceptance due"), lambda p: p.acceptance_due, 14),
    Column(gettext_lazy("State"), lambda p: p.get_state_display(), 16),
]


@require(permissions.can_list_projects)
def project_export(request):
    projects, _form = _filtered_projects(request)
    audit.record(
        "projects.project.export",
        object_type="projects.project",
        after={"filters": {k: v for k, v in request.GET.items() if v}},
    )
    stamp = timezone.localdate().isoformat()
    return xlsx_response(
        f"projects-{stamp}",
        _("Projects"),
        EXPORT_COLUMNS,
        projects[:EXPORT_ROW_LIMIT].iterator(chunk_size=500),
    )


def _visible_project(request, pk: int) -> Project:
    return get_visible(
        request,
        funds.with_disbursed(
            permissions.visible_projects(request.user).select_related(
                "organization", "bureau", "application__call__program"
            )
        ),
        pk,
    )


def _money_figures(project: Project) -> dict:
    """Paid, left and execution rate, from the SQL figures the list shows too."""
    return {
        "paid": project.disbursed,
        "left": project.approved_amount - project.disbursed,
        "execution_rate": project.execution_rate,
    }


def _upload_form(*args) -> AttachmentUploadForm:
    return AttachmentUploadForm(*args, kinds=PROJECT_ATTACHMENT_KINDS)


@require(permissions.can_list_projects)
def project_detail(request, pk: int):
    user = request.user
    project = _visible_project(request, pk)
    milestones = list(project.milestones.all())
    disbursements = list(project.disbursements.select_related("fund"))
    documents = list(project.attachments.select_related("uploaded_by"))
    # The archive: the application's documents, every version, beside the project's own.
    application_documents = list(project.application.attachments.select_related("uploaded_by"))
    actions = PROJECT_WORKFLOW.allowed_actions(user, project)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "today": timezone.localdate(),
            "milestones": milestones,
            "reports": project.reports.select_related("submitted_by"),
            "disbursements": disbursements,
            "money": _money_figures(project),
            "attachments": [a for a in documents if a.current],
            "attachment_history": [a for a in documents if not a.current],
            "application_documents": application_documents,
            "upload_form": _upload_form()
            if permissions.can_upload_to_project(user, project)
            else None,
            "upload_url": reverse("projects:project_attachment_upload", args=[project.pk]),
            "actions": actions,
            "can_edit_task_book": permissions.can_edit_task_book(user, project),
            "can_midterm": permissions.can_record_midterm(user, project),
            "can_report": permissions.can_report_progress(user, project),
            "can_disburse": fund_permissions.can_record_disbursement(user, project),
        },
    )


@require(permissions.can_list_projects)
@require_http_methods(["GET", "POST"])
def project_task_book(request, pk: int):
    project = _visible_project(request, pk)
    if not permissions.can_edit_task_book(request.user, project):
        raise deny(request, "projects.project", pk)
    initial = {name: getattr(project, name) for name in services.TASK_BOOK_FIELDS}
    form = TaskBookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_task_book(request.user, project, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The task book has been saved."))
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/project_task_book.html", {"project": project, "form": form})


@require(permissions.can_list_projects)
@require_POST
def project_action(request, pk: int, action: str):
    project = _visible_project(request, pk)
    form = ProjectActionForm(request.POST)
    # The workflow's guard reads and judges the date (and names a bad one).
    extra = {"due_on": request.POST.get("due_on", "").strip()} if action == "postpone" else {}
    apply_from_form(request, PROJECT_WORKFLOW, project, action, form, extra)
    return redirect("projects:project_detail", pk=project.pk)


@require(permissions.can_list_projects)
@require_http_methods(["GET", "POST"])
def project_midterm(request, pk: int):
    project = _visible_project(request, pk)
    if not permissions.can_record_midterm(request.user, project):
        raise deny(request, "projects.project", pk)
    initial = {"result": project.midterm_result, "note": project.midterm_note}
    form = MidtermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_midterm_check(
                request.user, project, form.cleaned_data["result"], form.cleaned_data["note"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The mid-term check has been recorded."))
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/project_midterm.html", {"project": project, "form": form})


@require(permissions.can_list_projects)
@require_http_methods(["GET", "POST"])
def project_report(request, pk: int):
    project = _visible_project(request, pk)
    if not permissions.is_own_project(request.user, project):
        raise deny(request, "projects.project", pk)
    form = ProgressReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_progress_report(request.user, project, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your progress report has been submitted."))
            return redirect("projects:project_detail", pk=project.pk)
    return render(
        request,
        "projects/project_report.html",
        {
            "project": project,
            "form": form,
            "can_report": permissions.can_report_progress(request.user, project),
        },
    )


@require(permissions.can_list_projects)
@require_POST
def project_attachment_upload(request, pk: int):
    from keguan.projects import attachments

    project = _visible_project(request, pk)
    if not permissions.can_upload_to_project(request.user, project):
        raise deny(request, "projects.project", pk)
    store_from_form(
        request, _upload_form(request.POST, request.FILES), attachments.store, project=project
    )
    return redirect("projects:project_detail", pk=project.pk)


@require(fund_permissions.can_manage_funds)
@require_http_methods(["GET", "POST"])
def disbursement_create(request, pk: int):
    project = _visible_project(request, pk)
    if not fund_permissions.can_record_disbursement(request.user, project):
        raise deny(request, "projects.project", pk)
    form = DisbursementForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            funds.record_disbursement(request.user, project, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The tranche has been recorded."))
            return redirect("projects:project_detail", pk=project.pk)
    paid = funds.disbursed_total(project)
    return render(
        request,
        "projects/disbursement_form.html",
        {"project": project, "form": form, "paid": paid, "left": project.approved_amount - paid},
    )
