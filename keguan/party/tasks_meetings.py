"""Scheduled work of branch meetings: reminding the secretary of a meeting still missing
before its period ends."""

import datetime as dt

from django.tasks import task

# How long before the end of a month, quarter or year the secretary is reminded.
REMIND_BEFORE = dt.timedelta(days=7)


@task
def remind_missing_meetings() -> int:
    """Tell each branch's secretaries which kinds of meeting the current period still
    lacks, in its last REMIND_BEFORE; return how many reminders went out.

    A reminder is claimed by inserting its (branch, kind, period) row before anyone is
    told: the row is unique, so a second run, or a second server, tells nobody twice.
    """
    from django.conf import settings
    from django.db import IntegrityError, transaction
    from django.urls import reverse
    from django.utils import timezone, translation
    from django.utils.translation import gettext_lazy as _

    from keguan.accounts.models import User
    from keguan.accounts.roles import Role
    from keguan.notifications.services import notify
    from keguan.party.models import Branch, MeetingKind, MeetingReminder
    from keguan.party.services.meetings_calendar import missing_now

    today = timezone.localdate()
    branches = Branch.objects.in_bulk()
    sent = 0
    for branch_id, kind, span in missing_now(list(branches), today, REMIND_BEFORE):
        branch = branches[branch_id]
        try:
            with transaction.atomic():
                MeetingReminder.objects.create(branch=branch, kind=kind, period_start=span.start)
                secretaries = User.objects.filter(
                    bureau_id=branch.bureau_id,
                    is_active=True,
                    role_grants__role=Role.PARTY_SECRETARY,
                ).distinct()
                with translation.override(settings.LANGUAGE_CODE):
                    subject = str(
                        _("No %(kind)s held yet in %(period)s; the period ends on %(end)s")
                    ) % {
                        "kind": MeetingKind(kind).label,
                        "period": f"{span.start.year} {span.label}",
                        "end": span.end.isoformat(),
                    }
                notify(
                    secretaries,
                    subject,
                    "",
                    reverse("party:meeting_calendar") + f"?year={span.start.year}",
                )
        except IntegrityError:
            continue
        sent += 1
    return sent
