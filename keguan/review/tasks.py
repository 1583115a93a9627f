"""Scheduled work of expert review: reminding experts of their deadline."""

import datetime as dt

from django.tasks import task

# How long before the review deadline experts who have not submitted are reminded.
REMIND_BEFORE = dt.timedelta(days=2)


@task
def remind_reviewers() -> int:
    """Remind experts whose sheets are not in; return how many reminders went out.

    Before the deadline (within REMIND_BEFORE) each such expert is told once; after it,
    once more, and the round's officers learn who is late. Each assignment is claimed by a
    conditional update of `reminded_at` before anyone is told, so a second run (or a second
    server) tells nobody twice.
    """
    from django.conf import settings
    from django.db import transaction
    from django.db.models import F, Q
    from django.urls import reverse
    from django.utils import timezone, translation
    from django.utils.formats import date_format
    from django.utils.translation import gettext_lazy as _

    from keguan.notifications.services import notify
    from keguan.projects.notify import bureau_officers
    from keguan.review.models import Assignment, Round

    now = timezone.now()
    pending = Assignment.objects.filter(
        round__state=Round.State.REVIEWING,
        state__in=(Assignment.State.INVITED, Assignment.State.REVIEWING),
        expert__user__isnull=False,
    ).select_related("round__bureau", "expert__user")
    soon = pending.filter(
        round__review_deadline__gt=now,
        round__review_deadline__lte=now + REMIND_BEFORE,
        reminded_at__isnull=True,
    )
    late = pending.filter(round__review_deadline__lte=now).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lt=F("round__review_deadline"))
    )
    sent = 0
    late_by_round: dict[int, list] = {}
    for assignments, subject in (
        (soon, _("Your review for %(round)s is due on %(deadline)s")),
        (late, _("Your review for %(round)s was due on %(deadline)s")),
    ):
        for assignment in assignments.order_by("round_id", "pk"):
            with transaction.atomic():
                claimed = Assignment.objects.filter(
                    pk=assignment.pk, reminded_at=assignment.reminded_at
                ).update(reminded_at=now)
                if not claimed:
                    continue
                round = assignment.round
                with translation.override(settings.LANGUAGE_CODE):
                    deadline = date_format(timezone.localtime(round.review_deadline), "Y-m-d H:i")
                    text = str(subject) % {"round": round.name, "deadline": deadline}
                notify(
                    [assignment.expert.user],
                    text,
                    "",
                    reverse("review:assignment_detail", args=[assignment.pk]),
                )
                if round.review_deadline <= now:
                    late_by_round.setdefault(round.pk, [round, []])[1].append(assignment)
            sent += 1
    for round, assignments in late_by_round.values():
        with translation.override(settings.LANGUAGE_CODE):
            text = str(_("%(count)d experts are late with %(round)s")) % {
                "count": len(assignments),
                "round": round.name,
            }
        notify(
            bureau_officers(round.bureau),
            text,
            "、".join(sorted({a.expert.name for a in assignments})),
            reverse("review:round_detail", args=[round.pk]),
        )
    return sent
