"""Scheduled work of the study system: reminding members who are behind on study hours."""

import datetime as dt

from django.tasks import task

# Nobody is reminded in a quarter's first weeks: the hours owed are still few.
REMIND_FROM_DAY_OF_QUARTER = 30


@task
def remind_missing_hours() -> int:
    """Tell each member whose hours this year fall short of the plan pro-rated to today,
    at most once a quarter, and tell the branch secretary who they are. Return how many
    members were reminded.

    A member is claimed by inserting their StudyReminder row (unique per member, year and
    quarter) before they are told, so a second run (or a second server) tells nobody twice.
    """
    from django.db import IntegrityError, transaction
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext_lazy as _

    from keguan.accounts.models import User
    from keguan.accounts.roles import Role
    from keguan.notifications.services import notify
    from keguan.party.models import StudyPlan, StudyReminder
    from keguan.party.services.study import hours_by_member
    from keguan.party.services.study_assessment import (
        quarter_bounds,
        quarter_of,
        required_hours_by,
    )

    today = timezone.localdate()
    quarter = quarter_of(today)
    first, _last = quarter_bounds(today.year, quarter)
    if today < first + dt.timedelta(days=REMIND_FROM_DAY_OF_QUARTER):
        return 0
    sent = 0
    for plan in StudyPlan.objects.filter(year=today.year).select_related("branch__bureau"):
        owed = required_hours_by(plan, today)
        behind = [m for m in hours_by_member(plan.branch, today.year) if m.hours < owed]
        told = []
        for member in behind:
            try:
                with transaction.atomic():
                    StudyReminder.objects.create(member=member, year=today.year, quarter=quarter)
            except IntegrityError:
                continue
            told.append(member)
            if member.user_id is not None:
                notify(
                    [member.user],
                    _("You are behind on study hours: %(hours)s of %(owed)s by now")
                    % {"hours": member.hours, "owed": owed},
                    _("The branch's study plan asks %(required)s hours this year.")
                    % {"required": plan.required_hours},
                    reverse("party:study_index"),
                )
                sent += 1
        if told:
            secretaries = User.objects.filter(
                bureau_id=plan.branch.bureau_id,
                is_active=True,
                role_grants__role=Role.PARTY_SECRETARY,
            ).distinct()
            notify(
                secretaries,
                _("%(count)d members are behind on study hours") % {"count": len(told)},
                "、".join(m.name for m in told),
                reverse("party:study_hours"),
            )
    return sent
