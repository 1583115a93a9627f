"""The expert pool (专家库): the list, an expert's page, and the officers' pages that keep it
(card, fields of expertise, declared relations, penalties, pause / remove)."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts.forms import TransitionForm
from keguan.accounts.models import User
from keguan.accounts.permissions import visible_organizations
from keguan.accounts.roles import Role
from keguan.accounts.services import mask_phone
from keguan.audit.models import AuditEvent
from keguan.audit.services import mask_id_number
from keguan.core.access import deny, get_visible, require
from keguan.core.actions import apply_from_form
from keguan.core.forms import apply_errors
from keguan.core.pagination import list_template, paginate, query_without_page
from keguan.projects.forms.applications import kept_forms
from keguan.review import permissions, services
from keguan.review.forms.experts import (
    ExpertFilterForm,
    ExpertForm,
    ExpertPenaltyForm,
    FieldFormSet,
    RelationFormSet,
    field_initial,
    relation_initial,
)
from keguan.review.models import Expert, ExpertField
from keguan.review.workflow import EXPERT_WORKFLOW


def _expert(request, pk: int) -> Expert:
    return get_visible(request, permissions.visible_experts(request.user), pk)


def _managed(request, pk: int) -> Expert:
    """The expert, for an officer who keeps the pool it belongs to; else an audited 404."""
    expert = _expert(request, pk)
    if not permissions.can_manage_expert(request.user, expert):
        raise deny(request, "review.expert", pk)
    return expert


def _contact(expert: Expert, unmasked: bool) -> None:
    """Phone and ID number as this reader may see them: in full for the pool's keepers."""
    expert.shown_phone = expert.phone if unmasked else mask_phone(expert.phone)
    expert.shown_id_number = expert.id_number if unmasked else mask_id_number(expert.id_number)


def _keyword_match(q: str) -> Q:
    # Keywords are a JSON list; SQLite keeps non-ASCII in it as \uXXXX escapes while
    # PostgreSQL keeps the characters, so the words are looked for in both spellings.
    escaped = json.dumps(q)[1:-1]
    words = ExpertField.objects.filter(
        Q(keywords__icontains=q) | Q(keywords__icontains=escaped)
    ).values("expert_id")
    return Q(pk__in=words)


@require(permissions.can_list_experts)
def expert_list(request):
    form = ExpertFilterForm(request.GET or None)
    experts = permissions.visible_experts(request.user)
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            experts = experts.filter(
                Q(name__icontains=q) | Q(unit__icontains=q) | _keyword_match(q)
            )
        if form.cleaned_data["state"]:
            experts = experts.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["discipline"]:
            experts = experts.filter(
                pk__in=ExpertField.objects.filter(
                    discipline_code__startswith=form.cleaned_data["discipline"]
                ).values("expert_id")
            )
    page = paginate(request, experts.prefetch_related("fields").order_by("name", "pk"))
    unmasked = permissions.can_manage_experts(request.user)
    for expert in page:
        _contact(expert, unmasked)
    return render(
        request,
        list_template(request, "review/expert_list.html"),
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_create": unmasked,
        },
    )


def _history(expert: Expert):
    return (
        AuditEvent.objects.filter(object_type="review.expert", object_id=str(expert.pk))
        .exclude(action="access.denied")
        .order_by("-seq")[:30]
    )


@require(permissions.can_list_experts)
def expert_detail(request, pk: int):
    expert = _expert(request, pk)
    user = request.user
    unmasked = permissions.can_manage_experts(user)
    _contact(expert, unmasked)
    relations = list(expert.relations.all())
    for relation in relations:
        relation.shown_id_number = (
            relation.id_number if unmasked else mask_id_number(relation.id_number)
        )
    today = timezone.localdate()
    penalties = list(services.expert_penalties(expert).order_by("-starts_on", "-pk"))
    for penalty in penalties:
        penalty.in_force = penalty.is_in_force(today)
    assignments = (
        permissions.assignments_for(user)
        .filter(expert=expert)
        .select_related("round", "application")
        .order_by("-round_id", "application_id", "position")
    )
    return render(
        request,
        "review/expert_detail.html",
        {
            "expert": expert,
            "fields": expert.fields.all(),
            "relations": relations,
            "penalties": penalties,
            "assignments": assignments,
            "actions": EXPERT_WORKFLOW.allowed_actions(user, expert),
            "can_manage": permissions.can_manage_expert(user, expert),
            "history": _history(expert),
        },
    )


def _free_accounts(user, expert: Expert | None = None):
    """Active users of the jurisdiction holding the expert role and not yet in a pool (the
    expert's own account stays on offer when editing)."""
    free = Q(expert__isnull=True)
    if expert is not None and expert.user_id:
        free |= Q(pk=expert.user_id)
    return (
        User.objects.filter(
            bureau__path__startswith=user.bureau.path,
            is_active=True,
            role_grants__role=Role.EXPERT,
        )
        .filter(free)
        .distinct()
    )


def _expert_form(request, expert: Expert | None = None) -> ExpertForm:
    return ExpertForm(
        request.POST or None,
        instance=Expert.objects.get(pk=expert.pk) if expert else None,
        organizations=visible_organizations(request.user),
        accounts=_free_accounts(request.user, expert),
    )


@require(permissions.can_manage_experts)
@require_http_methods(["GET", "POST"])
def expert_create(request):
    form = _expert_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            expert = services.create_expert(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The expert has been added to the pool."))
            return redirect("review:expert_detail", pk=expert.pk)
    return render(request, "review/expert_form.html", {"form": form, "expert": None})


@require(permissions.can_manage_experts)
@require_http_methods(["GET", "POST"])
def expert_edit(request, pk: int):
    expert = _managed(request, pk)
    form = _expert_form(request, expert)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_expert(request.user, expert, form.cleaned_data, form.expected_version)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("review:expert_detail", pk=expert.pk)
    return render(request, "review/expert_form.html", {"form": form, "expert": expert})


def _row_errors(exc: ValidationError, section: str, rows) -> list[str]:
    """Put `section.N` errors on the Nth kept row; return the rest for above the table."""
    top = []
    for key, errors in exc.message_dict.items():
        name, _dot, index = key.partition(".")
        if name == section and index.isdigit() and 0 < int(index) <= len(rows):
            for message in errors:
                rows[int(index) - 1].add_error(None, message)
        else:
            top.extend(errors)
    return top


def _edit_rows(request, expert, *, formset_class, initial, section, replace, template):
    """The fields and relations pages: one formset, replaced as a whole by the service."""
    top_errors = []
    if request.method == "POST":
        formset = formset_class(request.POST, prefix=section)
        if formset.is_valid():
            rows = kept_forms(formset)
            try:
                replace(request.user, expert, [row.item() for row in rows])
            except ValidationError as exc:
                top_errors = _row_errors(exc, section, rows)
            else:
                messages.success(request, _("The changes have been saved."))
                return redirect("review:expert_detail", pk=expert.pk)
        messages.error(request, _("Nothing was saved; please correct the marked fields."))
    else:
        formset = formset_class(prefix=section, initial=initial(expert))
    return render(
        request,
        template,
        {"expert": expert, "formset": formset, "top_errors": top_errors},
    )


@require(permissions.can_manage_experts)
@require_http_methods(["GET", "POST"])
def expert_fields(request, pk: int):
    return _edit_rows(
        request,
        _managed(request, pk),
        formset_class=FieldFormSet,
        initial=field_initial,
        section="fields",
        replace=services.replace_fields,
        template="review/expert_fields.html",
    )


@require(permissions.can_manage_experts)
@require_http_methods(["GET", "POST"])
def expert_relations(request, pk: int):
    return _edit_rows(
        request,
        _managed(request, pk),
        formset_class=RelationFormSet,
        initial=relation_initial,
        section="relations",
        replace=services.replace_relations,
        template="review/expert_relations.html",
    )


@require(permissions.can_manage_experts)
@require_http_methods(["GET", "POST"])
def expert_penalty(request, pk: int):
    expert = _managed(request, pk)
    form = ExpertPenaltyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_expert_penalty(request.user, expert, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The penalty has been recorded."))
            return redirect("review:expert_detail", pk=expert.pk)
    return render(request, "review/expert_penalty.html", {"form": form, "expert": expert})


@require(permissions.can_list_experts)
@require_POST
def expert_action(request, pk: int):
    expert = _expert(request, pk)
    action = request.POST.get("action", "")
    apply_from_form(request, EXPERT_WORKFLOW, expert, action, TransitionForm(request.POST))
    return redirect("review:expert_detail", pk=expert.pk)
