"""Enterprise pages: industry–university–research cooperation agreements (产学研合作)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keguan.accounts.permissions import visible_organizations
from keguan.core.access import deny, get_visible, require
from keguan.core.forms import apply_errors
from keguan.core.pagination import list_template, paginate, query_without_page
from keguan.enterprises import permissions, services
from keguan.enterprises.forms import CooperationFilterForm, CooperationForm
from keguan.enterprises.models import Cooperation


@require(permissions.can_list_cooperations)
def cooperation_list(request):
    form = CooperationFilterForm(request.GET or None)
    cooperations = permissions.visible_cooperations(request.user).select_related(
        "organization", "partner"
    )
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            cooperations = cooperations.filter(
                Q(organization__name__icontains=q)
                | Q(partner_name__icontains=q)
                | Q(partner__name__icontains=q)
                | Q(title__icontains=q)
            )
    page = paginate(request, cooperations.order_by("-signed_on", "-pk"))
    return render(
        request,
        list_template(request, "enterprises/cooperation_list.html"),
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            # Officers see only their jurisdiction's agreements, all of which they may edit.
            "can_record": permissions.can_record_cooperation(request.user),
        },
    )


@require(permissions.can_record_cooperation)
@require_http_methods(["GET", "POST"])
def cooperation_create(request):
    form = CooperationForm(request.POST or None, organizations=visible_organizations(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.create_cooperation(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The agreement has been recorded."))
            return redirect("enterprises:cooperation_list")
    return render(request, "enterprises/cooperation_form.html", {"form": form, "cooperation": None})


@require(permissions.can_record_cooperation)
@require_http_methods(["GET", "POST"])
def cooperation_edit(request, pk: int):
    cooperation = get_visible(request, permissions.visible_cooperations(request.user), pk)
    if not permissions.can_edit_cooperation(request.user, cooperation):
        raise deny(request, "enterprises.cooperation", pk)
    form = CooperationForm(
        request.POST or None,
        instance=Cooperation.objects.get(pk=pk),
        organizations=visible_organizations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cooperation(request.user, cooperation, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("enterprises:cooperation_list")
    return render(
        request,
        "enterprises/cooperation_form.html",
        {"form": form, "cooperation": cooperation},
    )
