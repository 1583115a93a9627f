"""Honours of the bureau and its people: the list for the branch and the inspector; the
secretary records, changes and removes them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.core.access import deny, get_visible, require
from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate
from keguan.party.permissions import affairs as can
from keguan.party.permissions import branch_of, can_enter_party
from keguan.party.services import affairs as services
from keguan.party.views.affairs_forms import HonourForm


@require(can_enter_party)
def honour_list(request):
    honours = (
        can.visible_honours(request.user)
        .select_related("branch__bureau", "member")
        .order_by("-year", "pk")
    )
    return render(
        request,
        "party/honour_list.html",
        {"page": paginate(request, honours), "can_manage": can.can_manage_honours(request.user)},
    )


def _managed(request, pk: int):
    honour = get_visible(request, can.visible_honours(request.user), pk)
    if not can.can_manage_honour(request.user, honour):
        raise deny(request, "party.honour", pk)
    return honour


def _form(request, instance=None) -> HonourForm:
    branch = branch_of(request.user)
    return HonourForm(
        request.POST or None, instance=instance, members=services.branch_members(branch)
    )


@require(can.can_manage_honours)
@require_http_methods(["GET", "POST"])
def honour_create(request):
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_honour(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The honour has been recorded."))
            return redirect("party:honour_list")
    return render(request, "party/honour_form.html", {"form": form, "honour": None})


@require(can.can_manage_honours)
@require_http_methods(["GET", "POST"])
def honour_edit(request, pk: int):
    honour = _managed(request, pk)
    form = _form(request, type(honour).objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_honour(request.user, honour, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("party:honour_list")
    return render(request, "party/honour_form.html", {"form": form, "honour": honour})


@require(can.can_manage_honours)
@require_POST
def honour_delete(request, pk: int):
    services.delete_honour(request.user, _managed(request, pk))
    messages.success(request, _("The honour has been removed."))
    return redirect("party:honour_list")
