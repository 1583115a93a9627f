"""Who is told what when an application, call or project changes state.

These run after the transition's transaction commits (Workflow.on_commit), so nobody is
told of a change that was rolled back.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Organization, User
from keguan.accounts.roles import Role
from keguan.notifications.services import notify


def organization_users(organization_id: int):
    return User.objects.filter(
        organization_id=organization_id, is_active=True, role_grants__role=Role.APPLICANT
    ).distinct()


def bureau_officers(bureau):
    return User.objects.filter(
        bureau=bureau, is_active=True, role_grants__role=Role.OFFICER
    ).distinct()


# Actions after which the bureau's officers have something to do.
_OFFICER_ACTIONS = {"submit", "resubmit", "withdraw"}


def application_changed(application, transition, actor) -> None:
    url = reverse("projects:application_detail", args=[application.pk])
    subject = _("Application “%(title)s”: %(state)s") % {
        "title": application.title[:80],
        "state": application.get_state_display(),
    }
    body = application.state_note or ""
    applicants = [u for u in organization_users(application.organization_id) if u != actor]
    notify(applicants, subject, body, url)
    if transition.action in _OFFICER_ACTIONS:
        notify([u for u in bureau_officers(application.bureau) if u != actor], subject, body, url)


def project_changed(project, transition, actor) -> None:
    url = reverse("projects:project_detail", args=[project.pk])
    subject = _("Project %(number)s: %(state)s") % {
        "number": project.number,
        "state": project.get_state_display(),
    }
    people = list(organization_users(project.organization_id))
    if transition.action == "request_acceptance":
        people += list(bureau_officers(project.bureau))
    notify([u for u in people if u != actor], subject, project.state_note or "", url)


def call_published(call, transition, actor) -> None:
    """Applicants of matching kinds in the call's jurisdiction, and the units of ready
    reserve-pool candidates the call admits get the more specific message instead, and their
    guiding officers are told too. Each person is told once."""
    if transition.action != "publish":
        return
    from keguan.projects.services import ready_candidates_for

    url = reverse("projects:call_detail", args=[call.pk])
    ready = ready_candidates_for(call)
    organizations = Organization.objects.exclude(pk__in=ready.values("organization")).filter(
        bureau__path__startswith=call.bureau.path, state=Organization.State.VERIFIED
    )
    if call.eligible_kinds:
        organizations = organizations.filter(kind__in=call.eligible_kinds)
    users = User.objects.filter(
        organization__in=organizations, is_active=True, role_grants__role=Role.APPLICANT
    ).distinct()
    notify(
        users,
        _("New call open: %(title)s") % {"title": call.title[:100]},
        _("Open for applications until %(time)s.")
        % {"time": date_format(timezone.localtime(call.closes_at), "Y-m-d H:i")},
        url,
    )
    ready_users = User.objects.filter(
        organization__in=ready.values("organization"),
        is_active=True,
        role_grants__role=Role.APPLICANT,
    ).distinct()
    notify(
        ready_users,
        _("A call matching your prepared project is open: %(title)s") % {"title": call.title[:80]},
        _("You can start the application from your reserve-pool candidate."),
        url,
    )
    officers = User.objects.filter(guided_candidates__in=ready, is_active=True).distinct()
    notify(
        officers,
        _("A call opened for candidates you guide: %(title)s") % {"title": call.title[:80]},
        "",
        url,
    )
