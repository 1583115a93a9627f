"""What experts and applicants do in review: the expert's list and assignment page (pledge,
reading, score sheet, approach report) and the applicant's units and experts to avoid.

An expert reaches an assignment only through `permissions.my_assignments` (live, in a round
under review or closed) and the application itself only after the pledge: anything else is
the same audited 404 as a page that does not exist. Officers follow reviews from the round
pages, never from here. Nothing here shows the avoidance list, other experts or their scores.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keguan.core.access import deny, get_visible, require, signed_in
from keguan.core.actions import apply_from_form
from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate
from keguan.core.workflow import TransitionError
from keguan.projects import permissions as project_permissions
from keguan.projects.models import Attachment
from keguan.projects.views.attachments import file_response
from keguan.review import permissions, services
from keguan.review.forms.assignments import (
    EXPERT_ACTIONS,
    ApproachForm,
    AssignmentActionForm,
    AvoidanceFormSet,
    ScoreSheetForm,
    avoidance_initial,
    sheet_initial,
)
from keguan.review.models import Assignment
from keguan.review.workflow import ASSIGNMENT_WORKFLOW

S = Assignment.State
# Moves after which the expert no longer holds the application.
STEP_BACK_ACTIONS = ("declare_conflict", "decline")


@require(permissions.is_expert)
@require_GET
def my_reviews(request):
    """The expert's live assignments, by round: title, deadline, where each one stands."""
    assignments = (
        permissions.my_assignments(request.user)
        .select_related("round", "application")
        .order_by("round__review_deadline", "round_id", "application__title", "pk")
    )
    return render(request, "review/my_reviews.html", {"page": paginate(request, assignments)})


def _assignment(request, pk: int) -> Assignment:
    """The expert's own live assignment PK, else an audited 404."""
    return get_visible(
        request,
        permissions.my_assignments(request.user).select_related(
            "round__call__rubric", "application__organization", "expert"
        ),
        pk,
    )


def _readable(request, pk: int) -> Assignment:
    """The assignment, if the expert may read its application (pledge signed)."""
    assignment = _assignment(request, pk)
    if not permissions.may_read_application(request.user, assignment):
        raise deny(request, "review.assignment", pk)
    return assignment


def _page(request, assignment: Assignment, sheet: ScoreSheetForm | None = None):
    application = assignment.application
    rubric = assignment.round.call.rubric
    criteria = list(rubric.criteria.all())
    reading = permissions.may_read_application(request.user, assignment)
    context = {
        "assignment": assignment,
        "application": application,
        "round": assignment.round,
        "rubric": rubric,
        "actions": ASSIGNMENT_WORKFLOW.allowed_actions(request.user, assignment),
        "reading": reading,
        "approach_form": ApproachForm(),
        # What the expert needs to judge a conflict before signing: names and units only.
        "team": application.team.all(),
    }
    if reading:
        editable = assignment.state == S.REVIEWING and permissions.can_score(
            request.user, assignment
        )
        scores = {s.criterion_id: s.value for s in assignment.scores.all()}
        if sheet is None:
            sheet = ScoreSheetForm(initial=sheet_initial(assignment), criteria=criteria)
        context.update(
            {
                "lines": application.budget_lines.all(),
                "attachments": application.attachments.filter(superseded_at__isnull=True),
                "sheet": sheet,
                "editable": editable,
                "score_rows": [(c, scores.get(c.pk)) for c in criteria],
            }
        )
    return render(request, "review/assignment_detail.html", context)


@require(permissions.is_expert)
@require_GET
def assignment_detail(request, pk: int):
    """Before the pledge: the pledge and what is needed to judge a conflict. After it: the
    application, its documents and the score sheet."""
    return _page(request, _assignment(request, pk))


@require(permissions.is_expert)
@require_POST
def assignment_action(request, pk: int):
    """Sign the pledge, declare a conflict or decline (a reserve then takes the place)."""
    assignment = _assignment(request, pk)
    form = AssignmentActionForm(request.POST)
    action = request.POST.get("action", "")
    if action not in EXPERT_ACTIONS:
        raise deny(request, "review.assignment", pk)
    done = apply_from_form(request, ASSIGNMENT_WORKFLOW, assignment, action, form)
    if done and action in STEP_BACK_ACTIONS:
        return redirect("review:my_reviews")
    return redirect("review:assignment_detail", pk=pk)


@require(permissions.is_expert)
@require_POST
def assignment_scores(request, pk: int):
    """Save the score sheet as a draft, or submit it (refused after the deadline, with a
    score out of range, or with an extreme total and no comment: nothing saved then)."""
    assignment = _readable(request, pk)
    criteria = list(assignment.round.call.rubric.criteria.all())
    sheet = ScoreSheetForm(request.POST, criteria=criteria)
    submit = "submit" in request.POST
    if sheet.is_valid():
        try:
            services.save_sheet(request.user, assignment, sheet.sheet_data(), submit=submit)
        except ValidationError as exc:
            apply_errors(sheet, exc)
        except TransitionError as exc:
            if exc.code in {"forbidden", "unknown_action"}:
                raise deny(request, "review.assignment", pk) from None
            sheet.add_error(None, exc.message)
        else:
            if submit:
                messages.success(request, _("Your scores have been submitted. Thank you."))
            else:
                messages.success(request, _("The draft has been saved."))
            return redirect("review:assignment_detail", pk=pk)
    messages.error(request, _("Nothing was saved; please correct the marked fields."))
    assignment.refresh_from_db()
    return _page(request, assignment, sheet)


@require(permissions.is_expert)
@require_POST
def assignment_approach(request, pk: int):
    """One click: someone tried to influence this review (请托). The inspectors are told."""
    assignment = _assignment(request, pk)
    form = ApproachForm(request.POST)
    detail = form.cleaned_data["detail"] if form.is_valid() else ""
    try:
        services.report_approach(request.user, assignment, detail)
    except ValidationError:
        raise deny(request, "review.assignment", pk) from None
    messages.success(
        request,
        _(
            "Your report has been recorded against this application and sent to the "
            "inspectors. Thank you for reporting it."
        ),
    )
    return redirect("review:assignment_detail", pk=pk)


@require(permissions.is_expert)
@require_GET
def assignment_attachment(request, pk: int, attachment_pk: int):
    """A document of the application, for the expert who has signed the pledge."""
    assignment = _readable(request, pk)
    attachment = Attachment.objects.filter(
        pk=attachment_pk, application_id=assignment.application_id, superseded_at__isnull=True
    ).first()
    if attachment is None:
        raise deny(request, "projects.attachment", attachment_pk)
    return file_response(attachment)


def _avoidance_errors(exc: ValidationError, kept) -> list[str]:
    """Put `avoidances.N` errors on the N-th filled row; return the others, for the top."""
    top = []
    for key, errors in exc.message_dict.items():
        section, _dot, index = key.partition(".")
        if section == "avoidances" and index.isdigit() and 0 < int(index) <= len(kept):
            for message in errors:
                kept[int(index) - 1].add_error(None, message)
        else:
            top.extend(errors)
    return top


@require(signed_in)
@require_http_methods(["GET", "POST"])
def avoidances(request, pk: int):
    """The applicant's units or experts to avoid (at most three, with a reason), editable
    while the application is a draft or returned; officers of the jurisdiction read it."""
    user = request.user
    application = get_visible(
        request,
        project_permissions.visible_applications(user).select_related("organization", "call"),
        pk,
    )
    if not permissions.can_read_avoidances(user, application):
        raise deny(request, "projects.application", pk)
    editable = permissions.can_edit_avoidances(user, application)
    top_errors = []
    if request.method == "POST":
        if not editable:
            if project_permissions.is_own_application(user, application):
                messages.error(
                    request, _("This application is no longer a draft and cannot change.")
                )
                return redirect("review:avoidances", pk=pk)
            raise deny(request, "projects.application", pk)
        formset = AvoidanceFormSet(request.POST, prefix="avoid")
        if formset.is_valid():
            kept = [f for f in formset.forms if (f.cleaned_data.get("name") or "").strip()]
            try:
                services.replace_avoidances(user, application, [f.cleaned_data for f in kept])
            except ValidationError as exc:
                top_errors = _avoidance_errors(exc, kept)
            else:
                messages.success(request, _("The list of units and experts to avoid is saved."))
                return redirect("review:avoidances", pk=pk)
        messages.error(request, _("Nothing was saved; please correct the marked fields."))
    else:
        formset = AvoidanceFormSet(prefix="avoid", initial=avoidance_initial(application))
    return render(
        request,
        "review/avoidances.html",
        {
            "application": application,
            "rows": application.avoidances.all(),
            "formset": formset if editable else None,
            "top_errors": top_errors,
        },
    )
