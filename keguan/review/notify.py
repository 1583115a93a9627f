"""Who is told what in expert review (after the change commits)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import User
from keguan.accounts.roles import Role
from keguan.notifications.services import notify
from keguan.projects.notify import bureau_officers


def _expert_users(assignments):
    return [a.expert.user for a in assignments if a.expert.user_id]


def round_opened(round, transition, actor) -> None:
    if transition.action != "open_review":
        return
    from keguan.review.models import Assignment

    invited = Assignment.objects.filter(round=round, state=Assignment.State.INVITED).select_related(
        "expert__user"
    )
    subject = _("You were drawn to review: %(round)s") % {"round": round.name}
    notify(set(_expert_users(invited)), subject, "", reverse("review:my_reviews"))


def assignment_changed(assignment, transition, actor) -> None:
    if transition.action == "promote" and assignment.expert.user_id:
        notify(
            [assignment.expert.user],
            _("You were drawn to review: %(round)s") % {"round": assignment.round.name},
            "",
            reverse("review:my_reviews"),
        )


def no_reserve_left(assignment, actor) -> None:
    notify(
        [u for u in bureau_officers(assignment.round.bureau) if u != actor],
        _("No reserve left for “%(title)s” in %(round)s; make a supplementary draw")
        % {"title": assignment.application.title[:60], "round": assignment.round.name},
        "",
        reverse("review:round_detail", args=[assignment.round_id]),
    )


def approach_reported(report) -> None:
    bureau = report.application.bureau
    inspectors = User.objects.filter(
        bureau__path__in=bureau.paths_up(), is_active=True, role_grants__role=Role.INSPECTOR
    ).distinct()
    notify(
        inspectors,
        _("An expert reported an attempt to influence a review"),
        "",
        reverse("review:approach_reports"),
    )


def register() -> None:
    from keguan.review.workflow import ASSIGNMENT_WORKFLOW, ROUND_WORKFLOW

    ROUND_WORKFLOW.on_commit.append(round_opened)
    ASSIGNMENT_WORKFLOW.on_commit.append(assignment_changed)
