"""Scheduled work of the projects app: reminding people of milestones."""

import datetime as dt

from django.tasks import task

# How long before a milestone falls due the unit and the bureau are reminded.
REMIND_BEFORE = dt.timedelta(days=7)


@task
def remind_milestones() -> int:
    """Remind of open milestones of open projects; return how many reminders went out.

    A milestone due within REMIND_BEFORE is announced once (reminded_before_at), an overdue
    one once more (reminded_after_at). The organization's applicants and the officers of
    the project's bureau are told, in the app and by mail. Each milestone is claimed by a
    conditional update before anyone is told, so running twice, or on two servers at the
    same moment, tells people once.
    """
    from django.conf import settings
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone, translation
    from django.utils.translation import gettext_lazy as _

    from keguan.notifications.services import notify
    from keguan.projects.models import Milestone, Project
    from keguan.projects.notify import bureau_officers, organization_users

    today = timezone.localdate()
    open_milestones = Milestone.objects.filter(
        project__state__in=Project.OPEN_STATES, done_at__isnull=True
    ).select_related("project__organization", "project__bureau")
    due_soon = open_milestones.filter(
        due_on__gte=today, due_on__lte=today + REMIND_BEFORE, reminded_before_at__isnull=True
    )
    overdue = open_milestones.filter(due_on__lt=today, reminded_after_at__isnull=True)
    rounds = (
        (due_soon, "reminded_before_at", _("Due on %(date)s: %(title)s (project %(number)s)")),
        (overdue, "reminded_after_at", _("Overdue since %(date)s: %(title)s (project %(number)s)")),
    )
    sent = 0
    # The same people are told of every milestone of a unit or bureau: look them up once.
    units: dict[int, list] = {}
    bureaus: dict[int, list] = {}
    for milestones, field, subject in rounds:
        for milestone in milestones.order_by("due_on", "pk"):
            project = milestone.project
            with transaction.atomic():
                claimed = Milestone.objects.filter(
                    pk=milestone.pk, **{f"{field}__isnull": True}
                ).update(**{field: timezone.now()})
                if not claimed:
                    continue
                if project.organization_id not in units:
                    units[project.organization_id] = list(
                        organization_users(project.organization_id)
                    )
                if project.bureau_id not in bureaus:
                    bureaus[project.bureau_id] = list(bureau_officers(project.bureau))
                people = units[project.organization_id] + bureaus[project.bureau_id]
                # The message outlives this run: written in the site's language.
                with translation.override(settings.LANGUAGE_CODE):
                    text = str(subject) % {
                        "date": milestone.due_on.isoformat(),
                        "title": milestone.title,
                        "number": project.number,
                    }
                notify(
                    people,
                    text,
                    f"{project.title} · {project.organization.name}",
                    reverse("projects:project_detail", args=[project.pk]),
                )
            sent += 1
    return sent
