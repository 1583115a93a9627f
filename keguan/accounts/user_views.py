"""User administration: the system administrator manages accounts, the security
administrator grants roles (三员分立)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts import permissions, services
from keguan.accounts.forms import PasswordResetForm, RoleGrantForm, UserCreateForm
from keguan.accounts.models import RoleGrant
from keguan.core.access import deny, get_visible, require
from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate


def _administers(user) -> bool:
    return permissions.can_manage_users(user) or permissions.can_grant_roles(user)


@require(_administers)
def user_list(request):
    q = request.GET.get("q", "").strip()
    users = (
        permissions.visible_users(request.user)
        .select_related("bureau", "organization")
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")))
    )
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": paginate(request, users.order_by("username")),
            "q": q,
            "can_create": permissions.can_manage_users(request.user),
        },
    )


@require(permissions.can_manage_users)
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserCreateForm(request.POST or None, bureaus=permissions.visible_bureaus(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organization = None
        try:
            if data["organization_uscc"]:
                organization = services.organization_for_code(
                    data["organization_uscc"], within=request.user.bureau
                )
            services.create_user(
                request.user,
                username=data["username"],
                password=data["password"],
                roles=data["roles"],
                bureau=data["bureau"],
                organization=organization,
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "organization" in exc.error_dict:
                exc = ValidationError({"organization_uscc": exc.error_dict["organization"]})
            apply_errors(form, exc)
        else:
            messages.success(request, _("The account has been created."))
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})


@require(_administers)
@require_http_methods(["GET", "POST"])
def user_detail(request, pk: int):
    user = get_visible(
        request,
        permissions.visible_users(request.user).select_related("bureau", "organization"),
        pk,
    )
    grant_form = RoleGrantForm(request.POST if "grant" in request.POST else None)
    reset_form = PasswordResetForm(request.POST if "reset" in request.POST else None)
    if request.method == "POST":
        try:
            if "grant" in request.POST or "revoke" in request.POST:
                if not permissions.can_grant_roles(request.user):
                    raise deny(request, "accounts.user", pk)
                if "grant" in request.POST and grant_form.is_valid():
                    services.grant_role(request.user, user, grant_form.cleaned_data["role"])
                    messages.success(request, _("The role has been granted."))
                    return redirect("accounts:user_detail", pk=pk)
                if "revoke" in request.POST:
                    services.revoke_role(request.user, user, request.POST["revoke"])
                    messages.success(request, _("The role has been revoked."))
                    return redirect("accounts:user_detail", pk=pk)
            elif not permissions.can_manage_users(request.user):
                raise deny(request, "accounts.user", pk)
            elif "reset" in request.POST and reset_form.is_valid():
                services.reset_password(request.user, user, reset_form.cleaned_data["password"])
                messages.success(request, _("A temporary password has been set."))
                return redirect("accounts:user_detail", pk=pk)
            elif "disable" in request.POST or "enable" in request.POST:
                services.set_active(
                    request.user,
                    user,
                    "enable" in request.POST,
                    reason=request.POST.get("reason", "")[:200],
                )
                messages.success(request, _("The account has been updated."))
                return redirect("accounts:user_detail", pk=pk)
        except ValidationError as exc:
            apply_errors(reset_form if "reset" in request.POST else grant_form, exc)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "grant_form": grant_form,
            "reset_form": reset_form,
            "can_grant": permissions.can_grant_roles(request.user),
            "can_manage": permissions.can_manage_users(request.user),
            "masked_phone": services.mask_phone(user.phone),
        },
    )


@require(permissions.can_manage_users)
@require_POST
def user_unlock(request, pk: int):
    """Clear a user's recent failed attempts so they may try again at once."""
    user = get_visible(request, permissions.visible_users(request.user), pk)
    services.clear_lockout(request.user, user)
    messages.success(request, _("The account may sign in again."))
    return redirect("accounts:user_detail", pk=pk)
