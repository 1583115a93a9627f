"""A user's dated duties, for their calendar feed: calls closing, milestones, acceptance.

Each deadline is a dict: `uid` (stable across feeds, so a calendar app updates rather
than duplicates), `title`, `start` (a date for a whole-day duty, an aware datetime for a
call's close time), `url` (a path inside keguan) and `description`.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.accounts.permissions import has_role
from keguan.accounts.roles import Role
from keguan.projects import permissions
from keguan.projects.models import Call, Milestone, Project

# Officers still see a call in their calendar for a while after it closed.
CLOSED_CALLS_KEPT = dt.timedelta(days=90)


def _uid(kind: str, pk: int) -> str:
    return f"keguan-{kind}-{pk}"


def _call_deadline(call: Call) -> dict:
    return {
        "uid": _uid("call", call.pk),
        "title": _("Call closes: %(title)s") % {"title": call.title},
        "start": call.closes_at,
        "url": reverse("projects:call_detail", args=[call.pk]),
        "description": call.program.name,
    }


def _milestone_deadline(milestone: Milestone) -> dict:
    project = milestone.project
    return {
        "uid": _uid("milestone", milestone.pk),
        "title": f"{project.number} {milestone.title}",
        "start": milestone.due_on,
        "url": reverse("projects:project_detail", args=[project.pk]),
        "description": f"{project.title} · {project.organization.name}",
    }


def _acceptance_deadline(project: Project) -> dict:
    return {
        "uid": _uid("acceptance", project.pk),
        "title": _("%(number)s acceptance due") % {"number": project.number},
        "start": project.acceptance_due,
        "url": reverse("projects:project_detail", args=[project.pk]),
        "description": f"{project.title} · {project.organization.name}",
    }


def _project_deadlines(projects, with_acceptance: bool) -> list[dict]:
    """Open milestones of the open PROJECTS; with WITH_ACCEPTANCE the acceptance date comes
    from the project itself (it exists before the task book sets the milestones), so the
    acceptance milestone is left out to be listed once."""
    open_projects = projects.filter(state__in=Project.OPEN_STATES)
    milestones = Milestone.objects.filter(
        project__in=open_projects, done_at__isnull=True
    ).select_related("project__organization")
    if with_acceptance:
        milestones = milestones.exclude(kind=Milestone.Kind.ACCEPTANCE)
    items = [_milestone_deadline(m) for m in milestones]
    if with_acceptance:
        items += [
            _acceptance_deadline(p)
            for p in open_projects.filter(acceptance_due__isnull=False).select_related(
                "organization"
            )
        ]
    return items


def for_user(user) -> list[dict]:
    """The deadlines USER should have in a calendar, soonest first.

    Applicants: close times of open calls their organization may apply to, their projects'
    open milestones and acceptance due dates. Officers and leaders: open milestones of the
    projects in their jurisdiction and the close times of their jurisdiction's calls.
    """
    items: list[dict] = []
    if has_role(user, Role.APPLICANT) and user.organization_id:
        calls = permissions.open_calls_for(user).select_related("program")
        items += [_call_deadline(c) for c in calls]
        items += _project_deadlines(
            permissions.visible_projects(user).filter(organization_id=user.organization_id),
            with_acceptance=True,
        )
    if has_role(user, Role.OFFICER, Role.LEADER) and user.bureau_id:
        calls = permissions.visible_calls(user).filter(
            state=Call.State.PUBLISHED, closes_at__gte=timezone.now() - CLOSED_CALLS_KEPT
        )
        items += [_call_deadline(c) for c in calls.select_related("program")]
        items += _project_deadlines(permissions.visible_projects(user), with_acceptance=False)
    unique = {item["uid"]: item for item in items}
    today = timezone.localdate()
    for item in unique.values():
        item["overdue"] = _sort_key(item)[0] < today
    return sorted(unique.values(), key=_sort_key)


def _sort_key(item: dict):
    start = item["start"]
    if isinstance(start, dt.datetime):
        return timezone.localtime(start).date(), 1
    return start, 0
