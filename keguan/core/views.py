"""The workbench: each role's home page, listing the user's real to-do items."""

import datetime as dt

from django.conf import settings
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from keguan.accounts import permissions
from keguan.accounts.models import LoginAttempt, Organization
from keguan.accounts.roles import Role
from keguan.audit.models import AuditEvent, Result
from keguan.core.access import require, signed_in


def _officer_panel(user):
    pending = (
        permissions.visible_organizations(user)
        .filter(state=Organization.State.PENDING)
        .order_by("created_at")[:10]
    )
    return {
        "title": _("Organizations awaiting verification"),
        "kind": "organizations",
        "items": list(pending),
        "empty": _(
            "No organization is waiting. New registrations and changed profiles "
            "appear here for you to verify."
        ),
    }


def _applicant_panel(user):
    org = user.organization
    return {
        "title": _("Your organization"),
        "kind": "own_organization",
        "org": org,
        "empty": _("Your account is not bound to an organization yet."),
    }


def _leader_panel(user):
    counts = dict(
        permissions.visible_organizations(user)
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "title": _("Jurisdiction at a glance"),
        "kind": "counts",
        "rows": [(label, counts.get(value, 0)) for value, label in Organization.State.choices],
        "empty": _("Decisions awaiting the leadership meeting will appear here."),
    }


def _audit_panel(user):
    since = timezone.now() - dt.timedelta(days=7)
    denied = (
        AuditEvent.objects.filter(at__gte=since).exclude(result=Result.OK).order_by("-seq")[:10]
    )
    return {
        "title": _("Refused and failed actions, last 7 days"),
        "kind": "events",
        "items": list(denied),
        "empty": _("Nothing was refused or failed in the last 7 days."),
    }


def _sysadmin_panel(user):
    users = permissions.visible_users(user)
    since = timezone.now() - dt.timedelta(minutes=settings.KEGUAN_LOGIN_LOCKOUT_MINUTES)
    locked = (
        LoginAttempt.objects.filter(at__gte=since, succeeded=False)
        .values("username")
        .annotate(n=Count("pk"))
        .filter(n__gte=settings.KEGUAN_LOGIN_MAX_FAILURES)
        .order_by("username")
    )
    disabled = users.filter(is_active=False).order_by("username")[:10]
    return {
        "title": _("Accounts needing attention"),
        "kind": "accounts",
        "locked": list(locked),
        "disabled": list(disabled),
        "empty": _("No account is locked or disabled."),
    }


def _secadmin_panel(user):
    no_roles = (
        permissions.visible_users(user).filter(role_grants__isnull=True).order_by("username")[:10]
    )
    return {
        "title": _("Accounts without a role"),
        "kind": "users",
        "items": list(no_roles),
        "empty": _(
            "Every account holds a role. New accounts appear here until you grant them one."
        ),
    }


def _due_milestones_panel(user):
    from keguan.projects import permissions as projects
    from keguan.projects.services import due_milestones

    # Ordered by due date, so the overdue come first; one query with the projects joined.
    items = due_milestones(projects.visible_projects(user))[:10]
    return {
        "title": _("Overdue and due soon"),
        "kind": "milestones",
        "show_organization": True,
        "items": list(items),
        "today": timezone.localdate(),
        "empty": _("No milestone of your jurisdiction's projects is overdue or due soon."),
    }


def _formal_check_panel(user):
    from keguan.projects import permissions as projects
    from keguan.projects.models import Application

    waiting = (
        projects.visible_applications(user)
        .filter(state=Application.State.SUBMITTED)
        .select_related("organization")
        .order_by("submitted_at", "pk")[:10]
    )
    return {
        "title": _("Applications awaiting the formal check"),
        "kind": "applications",
        "items": list(waiting),
        "empty": _("No submitted application is waiting for the formal check."),
    }


def _decision_panel(user):
    from keguan.projects import permissions as projects

    waiting = (
        projects.awaiting_decision(user)
        .select_related("organization")
        .order_by("call_id", "-review_score", "pk")[:10]
    )
    return {
        "title": _("Applications awaiting decision"),
        "kind": "applications",
        "items": list(waiting),
        "score": True,
        "empty": _("No reviewed application is waiting for the leadership's decision."),
    }


def _open_calls_panel(user):
    from keguan.projects import permissions as projects

    if user.organization_id is None:
        return _later_panel(_("Open calls"), _("Your account is not bound to an organization yet."))
    calls = projects.open_calls_for(user).select_related("program").order_by("closes_at")
    return {
        "title": _("Open calls you can apply to"),
        "kind": "calls",
        "items": list(calls[:10]),
        "empty": _("No call is open for your organization now; you are told when one opens."),
    }


def _own_applications_panel(user):
    from keguan.projects import permissions as projects

    applications = (
        projects.visible_applications(user).select_related("call").order_by("-created_at")[:10]
    )
    return {
        "title": _("Your applications"),
        "kind": "own_applications",
        "items": list(applications),
        "empty": _("No application yet. Start one from an open call."),
    }


def _next_milestones_panel(user):
    from keguan.projects import permissions as projects
    from keguan.projects.models import Milestone, Project

    milestones = (
        Milestone.objects.filter(
            project__in=projects.visible_projects(user).filter(state__in=Project.OPEN_STATES),
            done_at__isnull=True,
        )
        .select_related("project")
        .order_by("due_on", "pk")[:10]
    )
    return {
        "title": _("Your projects' next milestones"),
        "kind": "milestones",
        "items": list(milestones),
        "today": timezone.localdate(),
        "empty": _("No open milestone: your projects' reports and checks appear here."),
    }


def _review_assignments_panel(user):
    from keguan.review import permissions as review
    from keguan.review.models import Assignment

    assignments = (
        review.my_assignments(user)
        .filter(state__in=(Assignment.State.INVITED, Assignment.State.REVIEWING))
        .select_related("round", "application")
        .order_by("round__review_deadline", "pk")[:10]
    )
    return {
        "title": _("Your review assignments"),
        "kind": "assignments",
        "items": list(assignments),
        "now": timezone.now(),
        "empty": _("Nothing to review now. Applications you are drawn for appear here."),
    }


def _review_rounds_panel(user):
    from django.db.models import Q

    from keguan.review import permissions as review
    from keguan.review.models import Assignment, Round

    rounds = (
        review.visible_rounds(user)
        .filter(state__in=Round.OPEN_STATES)
        .select_related("call")
        .annotate(
            live=Count("assignments", filter=Q(assignments__state__in=Assignment.LIVE_STATES)),
            submitted=Count("assignments", filter=Q(assignments__state=Assignment.State.SUBMITTED)),
        )
        .order_by("review_deadline", "pk")[:10]
    )
    return {
        "title": _("Review rounds under way"),
        "kind": "rounds",
        "items": list(rounds),
        "empty": _("No review round is under way."),
    }


def _meetings_panel(user):
    from keguan.review import permissions as review
    from keguan.review.models import Meeting

    meetings = (
        review.visible_meetings(user)
        .filter(state=Meeting.State.DRAFT, bureau=user.bureau)
        .annotate(decisions_staged=Count("decisions"))
        .order_by("held_on", "pk")[:10]
    )
    return {
        "title": _("Decision meetings being recorded"),
        "kind": "meetings",
        "items": list(meetings),
        "empty": _("No meeting is being recorded; decisions are released from a meeting."),
    }


def _approach_reports_panel(user):
    from keguan.review import permissions as review

    reports = (
        review.visible_approach_reports(user)
        .select_related("application")
        .order_by("-reported_at")[:10]
    )
    return {
        "title": _("Attempts to influence reviews, reported by experts"),
        "kind": "approaches",
        "items": list(reports),
        "empty": _("No expert has reported an attempt to influence a review."),
    }


def _petitions_panel(user):
    from django.db.models import Case, F, When

    from keguan.portal import permissions as portal
    from keguan.portal.models import Petition

    today = timezone.localdate()
    soon = today + dt.timedelta(days=3)
    received = Petition.State.RECEIVED
    # The open petitions' next time limit: to acknowledge, then to conclude.
    petitions = (
        portal.visible_petitions(user)
        .filter(state__in=Petition.OPEN_STATES)
        .annotate(
            due_on=Case(When(state=received, then=F("acknowledge_due")), default=F("conclude_due"))
        )
        .filter(due_on__lte=soon)
        .order_by("due_on", "pk")[:10]
    )
    items = list(petitions)
    for petition in items:
        petition.overdue = petition.due_on < today
    return {
        "title": _("Petitions due or overdue"),
        "kind": "petitions",
        "items": items,
        "empty": _("No petition is overdue or due within three days."),
    }


# Panels a role shows after its first one (PANELS), in this order.
MORE_PANELS = {
    Role.OFFICER: (_due_milestones_panel, _formal_check_panel, _review_rounds_panel),
    Role.LEADER: (_decision_panel, _meetings_panel),
    Role.INSPECTOR: (_approach_reports_panel, _petitions_panel),
    Role.APPLICANT: (_open_calls_panel, _own_applications_panel, _next_milestones_panel),
}


def _later_panel(title, what):
    return {"title": title, "kind": "later", "empty": what}


PANELS = {
    Role.OFFICER: _officer_panel,
    Role.LEADER: _leader_panel,
    Role.APPLICANT: _applicant_panel,
    Role.INSPECTOR: _audit_panel,
    Role.AUDITADMIN: _audit_panel,
    Role.SYSADMIN: _sysadmin_panel,
    Role.SECADMIN: _secadmin_panel,
    Role.EXPERT: _review_assignments_panel,
    Role.LIAISON: lambda user: _later_panel(
        _("Your enterprise ledger"),
        _("The yearly S&T ledger of your enterprise and the visits to log appear here."),
    ),
    Role.PARTY_SECRETARY: lambda user: _later_panel(
        _("Branch work"), _("Meetings the period still requires and study hours owed appear here.")
    ),
    Role.PARTY_MEMBER: lambda user: _later_panel(
        _("Your study record"), _("Study sessions, your hours and evaluations appear here.")
    ),
}


@require(signed_in)
def home(request):
    user = request.user
    panels = []
    seen = set()
    for role in user.role_names():
        for builder in (PANELS.get(role), *MORE_PANELS.get(role, ())):
            if builder and builder not in seen:
                seen.add(builder)
                panels.append(builder(user))
    return render(
        request,
        "core/home.html",
        {
            "panels": panels,
            "roles": [Role(r).label for r in user.role_names()],
        },
    )
