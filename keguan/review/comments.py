"""What the applicant's page learns from expert review: anonymized comments, never names.

Applicants never learn who reviewed them. When the call's rubric says so, and once the round
is closed, they may read the experts' comments as "Expert 1", "Expert 2"..., in the order
of the draw.
"""

from django.utils.translation import gettext as _

from keguan.accounts.permissions import has_role, in_jurisdiction
from keguan.accounts.roles import BUREAU_WIDE_ROLES
from keguan.projects.models import Application
from keguan.projects.permissions import is_own_application
from keguan.review import permissions
from keguan.review.models import Assignment, Round


def anonymous_comments(application: Application) -> list[dict]:
    """The comments of the submitted sheets of APPLICATION's closed rounds whose rubric shares
    comments with applicants, in draw order, as [{"label": "Expert 1", "comment": ...}]."""
    comments = (
        Assignment.objects.filter(
            application=application,
            state=Assignment.State.SUBMITTED,
            round__state=Round.State.CLOSED,
            round__call__rubric__comments_to_applicants=True,
        )
        .exclude(comment="")
        .order_by("round_id", "position", "pk")
        .values_list("comment", flat=True)
    )
    return [
        {"label": _("Expert %(n)d") % {"n": n}, "comment": comment}
        for n, comment in enumerate(comments, start=1)
    ]


def _may_read_comments(user, application: Application) -> bool:
    return is_own_application(user, application) or (
        has_role(user, *BUREAU_WIDE_ROLES) and in_jurisdiction(user, application.bureau)
    )


def applicant_page_context(user, application: Application) -> dict:
    """What the application page adds from review: the anonymized comments (for the applicant
    and the bureau's staff) and whether to link the list of units and experts to avoid."""
    return {
        "anonymous_comments": anonymous_comments(application)
        if _may_read_comments(user, application)
        else [],
        "may_read_avoidances": permissions.can_read_avoidances(user, application),
    }
