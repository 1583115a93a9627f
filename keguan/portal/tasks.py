"""Scheduled work of the portal: ending notices, reminding of petitions' time limits."""

import datetime as dt

from django.tasks import task


@task
def end_notices() -> int:
    """End the notices whose period is over; their items without an open objection move on
    (the trail records each move). Returns how many notices ended."""
    from keguan.portal.services import end_due_notices

    return len(end_due_notices())


@task
def remind_petitions() -> int:
    """Tell the handling inspector (or every inspector of the bureau) of petitions due to be
    acknowledged or concluded within three days or overdue, once a day each. Returns how many
    petitions were announced."""
    from django.conf import settings
    from django.db.models import Q
    from django.urls import reverse
    from django.utils import timezone, translation
    from django.utils.translation import gettext_lazy as _

    from keguan.accounts.models import User
    from keguan.accounts.roles import Role
    from keguan.notifications.services import notify
    from keguan.portal.models import Petition

    now = timezone.now()
    soon = timezone.localdate() + dt.timedelta(days=3)
    due = Petition.objects.filter(
        Q(state=Petition.State.RECEIVED, acknowledge_due__lte=soon)
        | Q(state=Petition.State.ACKNOWLEDGED, conclude_due__lte=soon)
    ).filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - dt.timedelta(days=1)))
    sent = 0
    for petition in due.select_related("assigned_to", "bureau"):
        claimed = Petition.objects.filter(pk=petition.pk, reminded_at=petition.reminded_at).update(
            reminded_at=now
        )
        if not claimed:
            continue
        if petition.assigned_to_id:
            people = [petition.assigned_to]
        else:
            people = list(
                User.objects.filter(
                    bureau=petition.bureau, is_active=True, role_grants__role=Role.INSPECTOR
                )
                .exclude(pk=petition.concerns_id)
                .distinct()
            )
        due_on = (
            petition.acknowledge_due
            if petition.state == Petition.State.RECEIVED
            else petition.conclude_due
        )
        with translation.override(settings.LANGUAGE_CODE):
            text = str(_("Petition “%(subject)s” is due on %(date)s")) % {
                "subject": petition.subject[:60],
                "date": due_on.isoformat(),
            }
        notify(people, text, "", reverse("portal:petition_detail", args=[petition.pk]))
        sent += 1
    return sent


@task
def purge_public_submissions() -> int:
    from keguan.portal.services.limits import purge

    return purge()
