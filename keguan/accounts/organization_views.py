"""Organizations and the jurisdiction tree."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts import permissions, services
from keguan.accounts.forms import OrganizationFilterForm, OrganizationForm, TransitionForm
from keguan.accounts.models import Organization
from keguan.accounts.roles import Role
from keguan.accounts.workflow import ORGANIZATION_WORKFLOW
from keguan.audit.models import AuditEvent
from keguan.core.access import deny, get_visible, require, signed_in
from keguan.core.actions import apply_from_form
from keguan.core.forms import apply_errors
from keguan.core.pagination import list_template, paginate


def _may_list_organizations(user) -> bool:
    return permissions.has_role(
        user, Role.OFFICER, Role.LEADER, Role.INSPECTOR, Role.APPLICANT, Role.LIAISON
    )


@require(_may_list_organizations)
def organization_list(request):
    form = OrganizationFilterForm(request.GET or None)
    organizations = permissions.visible_organizations(request.user).select_related("bureau")
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            organizations = organizations.filter(Q(name__icontains=q) | Q(uscc__icontains=q))
        if form.cleaned_data["kind"]:
            organizations = organizations.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["state"]:
            organizations = organizations.filter(state=form.cleaned_data["state"])
    page = paginate(request, organizations.order_by("name", "pk"))
    template = list_template(request, "accounts/organization_list.html")
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "can_create": permissions.can_create_organization(request.user),
        },
    )


@require(signed_in)
def organization_detail(request, pk: int):
    org = get_visible(
        request, permissions.visible_organizations(request.user).select_related("bureau"), pk
    )
    actions = ORGANIZATION_WORKFLOW.allowed_actions(request.user, org)
    history = (
        AuditEvent.objects.filter(
            object_type="accounts.organization", object_id=str(org.pk)
        ).order_by("-seq")[:20]
        if permissions.can_read_organization_history(request.user)
        else []
    )
    show_contact = permissions.can_see_contact_details(request.user, org)
    return render(
        request,
        "accounts/organization_detail.html",
        {
            "org": org,
            "actions": actions,
            "history": history,
            "can_edit": permissions.can_edit_organization(request.user, org),
            "contact_phone": org.contact_phone
            if show_contact
            else services.mask_phone(org.contact_phone),
        },
    )


@require(permissions.can_create_organization)
@require_http_methods(["GET", "POST"])
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organization(request.user, request.user.bureau, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The organization has been registered."))
            return redirect("accounts:organization_detail", pk=org.pk)
    return render(request, "accounts/organization_form.html", {"form": form, "org": None})


@require(signed_in)
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk: int):
    org = get_visible(request, permissions.visible_organizations(request.user), pk)
    if not permissions.can_edit_organization(request.user, org):
        raise deny(request, "accounts.organization", pk)
    form = OrganizationForm(request.POST or None, instance=Organization.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(
                request.user, org, form.cleaned_data, form.expected_version
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("accounts:organization_detail", pk=org.pk)
    return render(request, "accounts/organization_form.html", {"form": form, "org": org})


@require(signed_in)
@require_POST
def organization_action(request, pk: int, action: str):
    org = get_visible(request, permissions.visible_organizations(request.user), pk)
    apply_from_form(request, ORGANIZATION_WORKFLOW, org, action, TransitionForm(request.POST))
    return redirect("accounts:organization_detail", pk=org.pk)


def _may_see_bureaus(user) -> bool:
    return permissions.has_role(
        user, Role.OFFICER, Role.LEADER, Role.INSPECTOR, Role.SYSADMIN, Role.SECADMIN
    )


@require(_may_see_bureaus)
def bureau_list(request):
    bureaus = permissions.visible_bureaus(request.user).select_related("parent")
    return render(request, "accounts/bureau_list.html", {"bureaus": bureaus})
