"""The research-integrity record (科研诚信): penalties that bar units or people from applying."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keguan.accounts import permissions as accounts
from keguan.core.access import require
from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate, query_without_page
from keguan.projects import permissions, services
from keguan.projects.forms.integrity import IntegrityFilterForm, IntegrityPenaltyForm


@require(permissions.can_read_integrity)
def integrity_list(request):
    form = IntegrityFilterForm(request.GET or None)
    penalties = permissions.visible_integrity_penalties(request.user).select_related("organization")
    today = timezone.localdate()
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            penalties = penalties.filter(
                Q(organization__name__icontains=q) | Q(person_name__icontains=q)
            )
        if form.cleaned_data["in_force"]:
            penalties = penalties.in_force(today)
    page = paginate(request, penalties.order_by("-starts_on", "-pk"))
    for penalty in page:
        penalty.in_force = penalty.is_in_force(today)
    query = query_without_page(request)
    return render(
        request,
        "projects/integrity_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_create": permissions.can_manage_integrity(request.user),
        },
    )


@require(permissions.can_manage_integrity)
@require_http_methods(["GET", "POST"])
def integrity_create(request):
    form = IntegrityPenaltyForm(
        request.POST or None, organizations=accounts.visible_organizations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_integrity_penalty(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The penalty has been recorded."))
            return redirect("projects:integrity_list")
    return render(request, "projects/integrity_form.html", {"form": form})
