"""Clean government (党风廉政建设): the index (letters of a year, education activities, one's
declarations), a letter with its checkpoints, an activity with its attendance, the
declarations of interest."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keguan.accounts.models import User
from keguan.accounts.permissions import visible_organizations
from keguan.core.access import deny, get_visible, require
from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate
from keguan.party.models import Checkpoint, LetterItem
from keguan.party.permissions import affairs as can
from keguan.party.permissions import branch_of, is_inspector
from keguan.party.services import affairs_integrity as services
from keguan.party.views.affairs_disclosure import history_of
from keguan.party.views.affairs_forms import (
    ActivityForm,
    CheckpointForm,
    DeclarationForm,
    LetterForm,
)


def _year(request) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


def bureau_people(branch):
    """Active users working in the branch's bureau (no applicant organization)."""
    return User.objects.filter(
        bureau_id=branch.bureau_id, is_active=True, organization__isnull=True
    ).order_by("full_name", "username")


@require(can.can_enter_integrity)
def integrity_index(request):
    user = request.user
    year = _year(request)
    letters = (
        can.visible_letters(user)
        .filter(year=year)
        .select_related("holder")
        .order_by("post", "holder__full_name", "pk")
    )
    activities = can.visible_activities(user).filter(held_on__year=year).order_by("-held_on")
    return render(
        request,
        "party/integrity_index.html",
        {
            "year": year,
            "letters": letters,
            "activities": activities,
            "own_declarations": can.visible_declarations(user)
            .filter(declarant=user)
            .select_related("organization"),
            "can_manage": can.can_manage_integrity(user),
            "can_declare": can.can_declare(user),
            "reads_all_declarations": is_inspector(user, branch_of(user)),
        },
    )


@require(can.can_manage_integrity)
@require_http_methods(["GET", "POST"])
def letter_create(request):
    branch = branch_of(request.user)
    form = LetterForm(
        request.POST or None,
        initial={"year": timezone.localdate().year},
        people=bureau_people(branch),
    )
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.create_letter(request.user, form.cleaned_data, form.item_texts())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The letter has been recorded."))
            return redirect("party:letter_detail", pk=letter.pk)
    return render(
        request,
        "party/integrity_form.html",
        {"form": form, "heading": _("Record a responsibility letter")},
    )


@require(can.can_enter_integrity)
@require_http_methods(["GET", "POST"])
def letter_detail(request, pk: int):
    """The letter, its items and their checkpoints; the secretary records a checkpoint."""
    letter = get_visible(request, can.visible_letters(request.user).select_related("holder"), pk)
    manages = can.can_manage_letter(request.user, letter)
    items = LetterItem.objects.filter(letter=letter)
    form = CheckpointForm(
        request.POST or None,
        items=items,
        initial={"checked_on": timezone.localdate()},
    )
    if request.method == "POST":
        if not manages:
            raise deny(request, "party.responsibilityletter", pk)
        if form.is_valid():
            try:
                services.record_checkpoint(request.user, form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The checkpoint has been recorded."))
                return redirect("party:letter_detail", pk=letter.pk)
    checkpoints = Checkpoint.objects.filter(item__letter=letter).select_related("recorded_by")
    by_item: dict[int, list] = {}
    for checkpoint in checkpoints:
        by_item.setdefault(checkpoint.item_id, []).append(checkpoint)
    rows = [(item, by_item.get(item.pk, [])) for item in items]
    return render(
        request,
        "party/integrity_letter.html",
        {
            "letter": letter,
            "rows": rows,
            "form": form if manages else None,
            "history": history_of(letter),
        },
    )


@require(can.can_manage_integrity)
@require_http_methods(["GET", "POST"])
def activity_create(request):
    branch = branch_of(request.user)
    form = ActivityForm(
        request.POST or None,
        members=services.branch_attendees(branch),
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.create_activity(
                request.user, form.cleaned_data, form.cleaned_data["members"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The activity has been recorded."))
            return redirect("party:activity_detail", pk=activity.pk)
    return render(
        request,
        "party/integrity_form.html",
        {"form": form, "heading": _("Record an education activity")},
    )


@require(can.can_enter_integrity)
def activity_detail(request, pk: int):
    activity = get_visible(request, can.visible_activities(request.user), pk)
    attendees = [row.member for row in activity.attendance.select_related("member")]
    return render(
        request,
        "party/integrity_activity.html",
        {"activity": activity, "attendees": attendees, "history": history_of(activity)},
    )


@require(can.can_enter_integrity)
def declaration_list(request):
    """One's own declarations; for the inspector, all of the jurisdiction."""
    declarations = (
        can.visible_declarations(request.user)
        .select_related("declarant", "organization")
        .order_by("declarant__full_name", "-starts_on", "pk")
    )
    return render(
        request,
        "party/integrity_declarations.html",
        {"page": paginate(request, declarations), "can_declare": can.can_declare(request.user)},
    )


def _declaration_form(request, instance=None):
    return DeclarationForm(
        request.POST or None,
        instance=instance,
        organizations=visible_organizations(request.user).order_by("name", "pk"),
    )


@require(can.can_declare)
@require_http_methods(["GET", "POST"])
def declaration_create(request):
    form = _declaration_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_interest(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your declaration has been recorded."))
            return redirect("party:declaration_list")
    return render(
        request,
        "party/integrity_form.html",
        {"form": form, "heading": _("Declare an interest")},
    )


@require(can.can_declare)
@require_http_methods(["GET", "POST"])
def declaration_edit(request, pk: int):
    declaration = get_visible(request, can.visible_declarations(request.user), pk)
    if not can.can_change_declaration(request.user, declaration):
        raise deny(request, "party.interestdeclaration", pk)
    form = _declaration_form(request, type(declaration).objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_declaration(request.user, declaration, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("party:declaration_list")
    return render(
        request,
        "party/integrity_form.html",
        {"form": form, "heading": _("Change the declaration")},
    )
