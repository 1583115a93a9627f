"""The lifecycles of calls, reserve-pool candidates, applications and projects.

Each is one transition table applied by `Workflow.apply` (keguan.core.workflow): the row
is locked, the state re-read, the role predicate and guard checked, the effect run, one
audit event written, and after commit the on_commit hooks in `projects.notify` tell the
people concerned, in the app and by mail.
"""

import calendar
import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keguan.accounts.models import Bureau
from keguan.core.workflow import Transition, TransitionError, Workflow
from keguan.funds import services as funds
from keguan.projects import permissions as can
from keguan.projects import rules
from keguan.projects.models import Application, Call, Candidate, Milestone, Project

A = Application.State
C = Call.State
K = Candidate.State
P = Project.State


def _first_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# Calls.
def _publish_refusal(call: Call, payload: dict) -> str | None:
    if call.closes_at <= call.opens_at:
        return _("The call must close after it opens.")
    if call.closes_at <= timezone.now():
        return _("The close time has already passed; change it before publishing.")
    return None


def _published(call: Call, payload: dict) -> None:
    call.published_at = timezone.now()


CALL_WORKFLOW = Workflow(
    name="projects.call",
    model=Call,
    transitions=[
        Transition(
            (C.DRAFT,),
            "publish",
            C.PUBLISHED,
            gettext_lazy("Publish"),
            can.can_manage_call,
            guard=_publish_refusal,
            effect=_published,
        ),
        Transition(
            (C.DRAFT, C.PUBLISHED),
            "cancel",
            C.CANCELLED,
            gettext_lazy("Cancel the call"),
            can.can_manage_call,
            requires_note=True,
        ),
    ],
)


# Reserve pool.
CANDIDATE_WORKFLOW = Workflow(
    name="projects.candidate",
    model=Candidate,
    transitions=[
        Transition(
            (K.WATCHING,),
            "mark_ready",
            K.READY,
            gettext_lazy("Ready to apply"),
            can.can_guide_candidate,
        ),
        Transition(
            (K.READY,),
            "unready",
            K.WATCHING,
            gettext_lazy("Back to watching"),
            can.can_guide_candidate,
        ),
        Transition(
            (K.WATCHING, K.READY),
            "drop",
            K.DROPPED,
            gettext_lazy("Drop"),
            can.can_edit_candidate,
            requires_note=True,
        ),
        Transition(
            (K.DROPPED,),
            "revive",
            K.WATCHING,
            gettext_lazy("Take up again"),
            can.can_guide_candidate,
        ),
        Transition(
            (K.WATCHING, K.READY),
            "apply",
            K.APPLIED,
            gettext_lazy("An application was started"),
            lambda user, candidate: True,
            automatic=True,
        ),
    ],
)


# Applications.
def _may_recommend(user, application: Application) -> bool:
    """Only programs above the county go upward; the county decides its own."""
    return can.can_check_application(user, application) and (
        not application.call.program.funded_by_county
    )


def _may_decide(user, application: Application) -> bool:
    return can.can_decide_application(user, application) and (
        application.call.program.funded_by_county
    )


def _by_the_portal(user, application: Application) -> bool:
    return True


def _submitted(application: Application, payload: dict) -> None:
    application.submitted_at = timezone.now()
    application.duplicate_hints = rules.duplicate_hints(application)


def _score_refusal(application: Application, payload: dict) -> str | None:
    try:
        score = Decimal(str(payload.get("score", "")).strip())
    except ArithmeticError:
        return _("Enter the review score, a number from 0 to 100.")
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        return _("Enter the review score, a number from 0 to 100.")
    payload["score"] = score.quantize(Decimal("0.01"))
    return None


def _reviewed(application: Application, payload: dict) -> None:
    application.review_score = payload["score"]
    application.review_comment = (payload.get("note") or "").strip()
    payload["audit"] = {"score": str(payload["score"])}


def _recommended(application: Application, payload: dict) -> None:
    application.recommendation_letter = (payload.get("note") or "").strip()
    application.recommended_at = timezone.now()


def _amount_refusal(application: Application, payload: dict) -> str | None:
    try:
        payload["amount"] = funds.to_yuan(payload.get("amount"), "amount")
    except ValidationError as exc:
        return _first_error(exc)
    return None


def _higher_approved(application: Application, payload: dict) -> None:
    application.granted_amount = payload["amount"]
    application.decided_at = timezone.now()
    payload["audit"] = {"amount": str(payload["amount"])}
    create_project(application)


def _decision_refusal(application: Application, payload: dict) -> str | None:
    """A county funding decision (who may take it, for county programs only, is
    `_may_decide`): an amount no more than asked, a fund of the bureau or above, of the
    call's year (whether it has enough left is checked under lock by the effect)."""
    from keguan.funds.models import Fund

    refusal = _amount_refusal(application, payload)
    if refusal:
        return refusal
    if payload["amount"] > application.requested_total:
        return _("The amount cannot exceed the %(requested)s yuan requested.") % {
            "requested": application.requested_total
        }
    # The fund comes from a form or the API: a fund, its id, or anything a client sent.
    chosen = payload.get("fund")
    try:
        fund_id = int(getattr(chosen, "pk", chosen) or 0)
    except (TypeError, ValueError):
        fund_id = 0
    fund = Fund.objects.reaching(application.bureau).filter(pk=fund_id).first()
    if fund is None:
        return _("Choose the fund the money comes from.")
    if fund.year != application.call.year:
        return _("Choose a fund of %(year)d, the call's year.") % {"year": application.call.year}
    payload["fund"] = fund
    return None


def _decided(application: Application, payload: dict) -> None:
    # The fund is locked and its balance re-checked here, inside the decision's
    # transaction: of two decisions at the same moment the second waits, then sees the
    # first one's allocation, and is refused if the money is gone.
    try:
        funds.reserve(payload["actor"], payload["fund"], application, payload["amount"])
    except ValidationError as exc:
        raise TransitionError(_first_error(exc), "guard_refused") from None
    application.granted_amount = payload["amount"]
    application.decided_at = timezone.now()
    payload["audit"] = {
        "amount": str(payload["amount"]),
        "fund": payload["fund"].pk,
        **_meeting_reference(payload),
    }


def _meeting_reference(payload: dict) -> dict:
    """The decision meeting (review app) a county decision comes from, for the trail."""
    return {key: payload[key] for key in ("meeting", "decision") if payload.get(key)}


def _rejected_by_meeting(application: Application, payload: dict) -> None:
    payload["audit"] = _meeting_reference(payload)


def _confirmed(application: Application, payload: dict) -> None:
    funds.commit(application)
    create_project(application)


def _fell_through(application: Application, payload: dict) -> None:
    funds.release(application)
    payload["audit"] = _meeting_reference(payload)


APPLICATION_WORKFLOW = Workflow(
    name="projects.application",
    model=Application,
    transitions=[
        Transition(
            (A.DRAFT,),
            "submit",
            A.SUBMITTED,
            gettext_lazy("Submit"),
            can.is_own_application,
            guard=rules.submission_refusal,
            effect=_submitted,
        ),
        Transition(
            (A.RETURNED,),
            "resubmit",
            A.SUBMITTED,
            gettext_lazy("Submit again"),
            can.is_own_application,
            guard=rules.submission_refusal,
            effect=_submitted,
        ),
        Transition(
            (A.SUBMITTED,),
            "pass_check",
            A.CHECKED,
            gettext_lazy("Pass the formal check"),
            can.can_check_application,
        ),
        Transition(
            (A.SUBMITTED,),
            "return",
            A.RETURNED,
            gettext_lazy("Return for revision"),
            can.can_check_application,
            requires_note=True,
        ),
        Transition(
            (A.SUBMITTED,),
            "refuse",
            A.REJECTED,
            gettext_lazy("Refuse as ineligible"),
            can.can_check_application,
            requires_note=True,
        ),
        Transition(
            (A.CHECKED,),
            "record_review",
            A.REVIEWED,
            gettext_lazy("Review result recorded"),
            can.can_check_application,
            guard=_score_refusal,
            effect=_reviewed,
            automatic=True,
        ),
        Transition(
            (A.CHECKED, A.REVIEWED),
            "recommend",
            A.RECOMMENDED,
            gettext_lazy("Recommend upward"),
            _may_recommend,
            effect=_recommended,
            requires_note=True,
        ),
        Transition(
            (A.RECOMMENDED,),
            "record_higher_approval",
            A.APPROVED,
            gettext_lazy("Approved by the higher body"),
            can.can_check_application,
            guard=_amount_refusal,
            effect=_higher_approved,
        ),
        Transition(
            (A.RECOMMENDED,),
            "record_higher_rejection",
            A.REJECTED,
            gettext_lazy("Not approved by the higher body"),
            can.can_check_application,
            requires_note=True,
        ),
        Transition(
            (A.REVIEWED,),
            "decide_approve",
            A.DECIDED,
            gettext_lazy("Decided to fund"),
            _may_decide,
            guard=_decision_refusal,
            effect=_decided,
            automatic=True,
        ),
        Transition(
            (A.REVIEWED,),
            "decide_reject",
            A.REJECTED,
            gettext_lazy("Decided not to fund"),
            _may_decide,
            effect=_rejected_by_meeting,
            requires_note=True,
            automatic=True,
        ),
        Transition(
            (A.DECIDED,),
            "publish_notice",
            A.IN_NOTICE,
            gettext_lazy("Public notice published"),
            _may_decide,
            automatic=True,
        ),
        Transition(
            (A.DECIDED,),
            "approve_directly",
            A.APPROVED,
            gettext_lazy("Approved without public notice"),
            _may_decide,
            effect=_confirmed,
            automatic=True,
        ),
        Transition(
            (A.IN_NOTICE,),
            "confirm",
            A.APPROVED,
            gettext_lazy("Approved after the public notice"),
            # Taken only by keguan.portal: when the notice listing it ends without an open
            # objection (the scheduler, no user) or when the objection holding it is
            # dismissed (whoever handled it). Who may is the portal's rule, not a role here.
            _by_the_portal,
            effect=_confirmed,
            automatic=True,
        ),
        Transition(
            (A.DECIDED, A.IN_NOTICE),
            "revoke",
            A.REJECTED,
            gettext_lazy("Decision revoked"),
            _may_decide,
            effect=_fell_through,
            requires_note=True,
            automatic=True,
        ),
        Transition(
            Application.WITHDRAWABLE_STATES,
            "withdraw",
            A.WITHDRAWN,
            gettext_lazy("Withdraw"),
            can.is_own_application,
        ),
    ],
)


def create_project(application: Application) -> Project:
    """Turn an approved application into a project (inside the approving transaction)."""
    from keguan.audit import services as audit

    year = application.call.year
    prefix = f"{application.bureau.region_code}-{year}-"
    # Numbers are handed out in order per bureau and year; locking the bureau's row makes
    # two approvals at the same moment take turns instead of picking the same number.
    Bureau.objects.select_for_update().filter(pk=application.bureau_id).first()
    taken = Project.objects.filter(number__startswith=prefix).count()
    project = Project.objects.create(
        application=application,
        number=f"{prefix}{taken + 1:03d}",
        bureau=application.bureau,
        organization=application.organization,
        title=application.title,
        level=application.call.program.level,
        year=year,
        approved_amount=application.granted_amount or Decimal("0"),
        start_on=application.start_on,
        end_on=application.end_on,
        acceptance_due=application.end_on,
    )
    audit.record(
        "projects.project.create",
        obj=project,
        after={
            "number": project.number,
            "application": application.pk,
            "approved_amount": str(project.approved_amount),
        },
    )
    return project


# Projects.
def _task_book_refusal(project: Project, payload: dict) -> str | None:
    missing = []
    if not project.targets.strip():
        missing.append(_("the targets"))
    if not project.start_on or not project.end_on:
        missing.append(_("the start and end dates"))
    if missing:
        return _("The task book lacks %(what)s.") % {"what": _(", ").join(missing)}
    if project.end_on <= project.start_on:
        return _("The project must end after it starts.")
    return None


def _half_years(start: dt.date, end: dt.date) -> list[dt.date]:
    """Progress reports are due every six months between START and END."""
    dates, month = [], 6
    while True:
        year, index = divmod(start.month - 1 + month, 12)
        # The same day of the month, or the month's last day (31 March + 6 months is
        # 30 September); never an earlier day, which could slip a report in just before END.
        last_day = calendar.monthrange(start.year + year, index + 1)[1]
        due = dt.date(start.year + year, index + 1, min(start.day, last_day))
        if due >= end:
            return dates
        dates.append(due)
        month += 6


def _task_book_signed(project: Project, payload: dict) -> None:
    project.task_book_signed_at = timezone.now()
    project.acceptance_due = project.acceptance_due or project.end_on
    if project.milestones.exists():
        return
    midpoint = project.start_on + (project.end_on - project.start_on) / 2
    items = [
        Milestone(
            project=project,
            kind=Milestone.Kind.PROGRESS_REPORT,
            title=_("Progress report due %(date)s") % {"date": due.isoformat()},
            due_on=due,
        )
        for due in _half_years(project.start_on, project.end_on)
    ]
    items.append(
        Milestone(
            project=project, kind=Milestone.Kind.MIDTERM, title=_("Mid-term check"), due_on=midpoint
        )
    )
    items.append(
        Milestone(
            project=project,
            kind=Milestone.Kind.ACCEPTANCE,
            title=_("Acceptance"),
            due_on=project.acceptance_due,
        )
    )
    Milestone.objects.bulk_create(items)


def _new_due_refusal(project: Project, payload: dict) -> str | None:
    value = payload.get("due_on")
    try:
        due = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return _("Enter the new acceptance date as YYYY-MM-DD.")
    if due <= timezone.localdate():
        return _("The new acceptance date must lie in the future.")
    payload["due_on"] = due
    return None


def _postponed(project: Project, payload: dict) -> None:
    project.acceptance_due = payload["due_on"]
    project.milestones.filter(kind=Milestone.Kind.ACCEPTANCE, done_at__isnull=True).update(
        due_on=payload["due_on"], reminded_before_at=None, reminded_after_at=None
    )
    payload["audit"] = {"acceptance_due": payload["due_on"].isoformat()}


def _accepted(project: Project, payload: dict) -> None:
    project.milestones.filter(kind=Milestone.Kind.ACCEPTANCE, done_at__isnull=True).update(
        done_at=timezone.now()
    )


def _closed(project: Project, payload: dict) -> None:
    project.closed_at = timezone.now()


PROJECT_WORKFLOW = Workflow(
    name="projects.project",
    model=Project,
    transitions=[
        Transition(
            (P.CONTRACTING,),
            "sign_task_book",
            P.UNDER_WAY,
            gettext_lazy("Sign the task book"),
            can.can_manage_project,
            guard=_task_book_refusal,
            effect=_task_book_signed,
        ),
        Transition(
            (P.UNDER_WAY, P.POSTPONED),
            "request_acceptance",
            P.ACCEPTANCE_REQUESTED,
            gettext_lazy("Request acceptance"),
            can.can_request_acceptance,
        ),
        Transition(
            (P.ACCEPTANCE_REQUESTED,),
            "pass_acceptance",
            P.PASSED,
            gettext_lazy("Acceptance passed"),
            can.can_manage_project,
            effect=_accepted,
        ),
        Transition(
            (P.ACCEPTANCE_REQUESTED,),
            "fail_acceptance",
            P.FAILED,
            gettext_lazy("Acceptance failed"),
            can.can_manage_project,
            effect=_accepted,
            requires_note=True,
        ),
        Transition(
            (P.UNDER_WAY, P.ACCEPTANCE_REQUESTED, P.POSTPONED),
            "postpone",
            P.POSTPONED,
            gettext_lazy("Postpone acceptance"),
            can.can_manage_project,
            guard=_new_due_refusal,
            effect=_postponed,
            requires_note=True,
        ),
        Transition(
            (P.PASSED, P.FAILED),
            "close",
            P.CLOSED,
            gettext_lazy("Close the project"),
            can.can_manage_project,
            effect=_closed,
        ),
    ],
)


def _connect_notifications() -> None:
    from keguan.projects import notify

    APPLICATION_WORKFLOW.on_commit.append(notify.application_changed)
    PROJECT_WORKFLOW.on_commit.append(notify.project_changed)
    CALL_WORKFLOW.on_commit.append(notify.call_published)


_connect_notifications()
