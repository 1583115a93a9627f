"""Projects: the task book, the mid-term check, progress reports, due milestones."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.core.records import update_fields as _update
from keguan.projects import permissions as can
from keguan.projects.models import (
    Milestone,
    ProgressReport,
    Project,
)

TASK_BOOK_FIELDS = ("targets", "start_on", "end_on", "acceptance_due")


# Projects.
def _check_project_dates(project: Project, before: dict) -> None:
    if project.start_on and project.end_on and project.end_on <= project.start_on:
        raise ValidationError({"end_on": _("The project must end after it starts.")})


def update_task_book(user, project: Project, data: dict) -> Project:
    """Fill in the task book while it is being agreed."""
    return _update(
        project,
        "projects.project.task_book",
        TASK_BOOK_FIELDS,
        data,
        refusal=lambda fresh: (
            None
            if can.can_edit_task_book(user, fresh)
            else _("The task book can only change before it is signed.")
        ),
        check=_check_project_dates,
    )


def record_midterm_check(user, project: Project, result: str, note: str) -> Project:
    """The officer's mid-term check on a project under way."""
    project = Project.objects.get(pk=project.pk)
    if not can.can_record_midterm(user, project):
        raise ValidationError(_("Only a project under way has a mid-term check."))
    if result not in Project.MidtermResult.values:
        raise ValidationError({"result": _("Choose the result of the check.")})
    with audit.writing():
        project.midterm_result = result
        project.midterm_note = (note or "").strip()
        project.midterm_checked_at = timezone.now()
        project.save(update_fields=["midterm_result", "midterm_note", "midterm_checked_at"])
        project.milestones.filter(kind=Milestone.Kind.MIDTERM, done_at__isnull=True).update(
            done_at=timezone.now()
        )
        audit.record(
            "projects.project.midterm", obj=project, after={"result": result, "note": note}
        )
    return project


def submit_progress_report(user, project: Project, data: dict) -> ProgressReport:
    """The unit reports progress; the earliest open progress-report milestone is done."""
    if not can.can_report_progress(user, project):
        raise ValidationError(_("Progress is reported by the unit while the project is under way."))
    report = ProgressReport(
        project=project,
        period=(data.get("period") or "").strip(),
        progress=(data.get("progress") or "").strip(),
        spent=data.get("spent") or Decimal("0"),
        problems=(data.get("problems") or "").strip(),
        submitted_by=user,
    )
    report.full_clean(exclude=["milestone"])
    with audit.writing():
        milestone = (
            # Locked: two reports sent at once take two milestones, not the same one.
            project.milestones.select_for_update()
            .filter(kind=Milestone.Kind.PROGRESS_REPORT, done_at__isnull=True)
            .order_by("due_on")
            .first()
        )
        if milestone is not None:
            milestone.done_at = timezone.now()
            milestone.save(update_fields=["done_at"])
            report.milestone = milestone
        report.save()
        audit.record(
            "projects.project.progress_report",
            obj=project,
            after={"report": report.pk, "period": report.period, "spent": str(report.spent)},
        )
    return report


def due_milestones(queryset, today: dt.date | None = None, within_days: int = 14):
    """Open milestones of the given projects that are overdue or due within WITHIN_DAYS."""
    today = today or timezone.localdate()
    return (
        Milestone.objects.filter(
            project__in=queryset.filter(state__in=Project.OPEN_STATES),
            done_at__isnull=True,
            due_on__lte=today + dt.timedelta(days=within_days),
        )
        .select_related("project", "project__organization")
        .order_by("due_on")
    )
