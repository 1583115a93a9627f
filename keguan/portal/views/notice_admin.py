"""The bureau's pages for public notices (公示) and the objections (异议) raised against them.

Officers prepare, publish and withdraw notices and handle objections; leaders and inspectors
read. Lists never show who objected: the identity is revealed one objection at a time, to
the inspector and the handling officer only, and every reveal is an audit event.
"""

import logging
import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts.forms import TransitionForm
from keguan.audit.models import AuditEvent
from keguan.core.access import deny, get_visible, require
from keguan.core.actions import apply_from_form
from keguan.core.forms import apply_errors
from keguan.core.pagination import list_template, paginate, query_without_page
from keguan.portal import permissions, services
from keguan.portal.forms.admin import (
    NoticeFilterForm,
    NoticeForm,
    NoticeFromApplicationsForm,
    NoticeItemFormSet,
    ObjectionActionForm,
    ObjectionFilterForm,
    items_initial,
)
from keguan.portal.models import KINDS_NAMING_PEOPLE, Notice, NoticeItem, Objection
from keguan.portal.workflow import NOTICE_WORKFLOW, OBJECTION_WORKFLOW
from keguan.projects.forms.applications import kept_forms

log = logging.getLogger(__name__)

# States shown with the colours app.css already has (colour plus the state's word).
NOTICE_TONES = {
    Notice.State.DRAFT: "draft",
    Notice.State.RUNNING: "reviewing",
    Notice.State.ENDED: "closed",
    Notice.State.WITHDRAWN: "cancelled",
}
ITEM_TONES = {
    NoticeItem.State.LISTED: "pending",
    NoticeItem.State.HELD: "conflict",
    NoticeItem.State.MOVED_ON: "verified",
    NoticeItem.State.WITHDRAWN: "cancelled",
    NoticeItem.State.REVISED: "returned",
}
OBJECTION_TONES = {
    Objection.State.RECEIVED: "submitted",
    Objection.State.INVESTIGATING: "reviewing",
    Objection.State.UPHELD: "verified",
    Objection.State.DISMISSED: "declined",
}


def _history(object_type: str, object_ids) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type=object_type, object_id__in=[str(i) for i in object_ids]
        )
        .exclude(action="access.denied")
        .order_by("-seq")[:50]
    )


# Notices.
@require(permissions.can_list_notices)
def notice_admin_list(request):
    user = request.user
    form = NoticeFilterForm(request.GET or None)
    notices = form.filter(
        permissions.visible_notices(user)
        .select_related("bureau")
        .annotate(
            item_count=Count("items", distinct=True),
            open_objections=Count(
                "objections",
                filter=Q(objections__state__in=Objection.OPEN_STATES),
                distinct=True,
            ),
        )
    )
    page = paginate(request, notices.order_by("-created_at", "-pk"))
    for notice in page:
        notice.tone = NOTICE_TONES[notice.state]
    return render(
        request,
        list_template(request, "portal/manage_notice_list.html"),
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_create": permissions.can_create_notice(user),
        },
    )


def _notice(request, pk: int) -> Notice:
    return get_visible(
        request, permissions.visible_notices(request.user).select_related("bureau"), pk
    )


def _draft_to_manage(request, pk: int):
    """The notice if the user manages it and it is still a draft; a published one sends
    its manager back to the detail page with the reason, anyone else gets the 404."""
    notice = _notice(request, pk)
    if not permissions.can_manage_notice(request.user, notice):
        raise deny(request, "portal.notice", pk)
    if notice.state != Notice.State.DRAFT:
        messages.info(
            request,
            _("A published notice cannot be changed; withdraw it and publish a new one."),
        )
        return notice, redirect("portal:notice_admin_detail", pk=pk)
    return notice, None


@require(permissions.can_create_notice)
@require_http_methods(["GET", "POST"])
def notice_create(request):
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.create_notice(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The notice has been saved as a draft; now list its items.")
            )
            return redirect("portal:notice_items", pk=notice.pk)
    return render(request, "portal/manage_notice_form.html", {"form": form, "notice": None})


@require(permissions.can_create_notice)
@require_http_methods(["GET", "POST"])
def notice_edit(request, pk: int):
    notice, back = _draft_to_manage(request, pk)
    if back is not None:
        return back
    form = NoticeForm(request.POST or None, instance=Notice.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_notice(request.user, notice, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("portal:notice_admin_detail", pk=pk)
    return render(request, "portal/manage_notice_form.html", {"form": form, "notice": notice})


def _item_errors(exc: ValidationError, rows) -> list[str]:
    """Put replace_items' errors where they belong: `items.N.field` beside that field of the
    Nth kept row; the rest is returned for the top of the table."""
    top = []
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    for key, errors in exc.message_dict.items():
        section, _dot, rest = key.partition(".")
        index, _dot, field = rest.partition(".")
        if section == "items" and index.isdigit() and 0 < int(index) <= len(rows):
            row = rows[int(index) - 1]
            for message in errors:
                row.add_error(field if field in row.fields else None, message)
        else:
            top.extend(errors)
    return top


@require(permissions.can_create_notice)
@require_http_methods(["GET", "POST"])
def notice_items(request, pk: int):
    notice, back = _draft_to_manage(request, pk)
    if back is not None:
        return back
    names_people = notice.kind in KINDS_NAMING_PEOPLE
    rows_kwargs = {"names_people": names_people}
    top_errors: list[str] = []
    if request.method == "POST":
        formset = NoticeItemFormSet(request.POST, prefix="items", form_kwargs=rows_kwargs)
        if formset.is_valid():
            rows = kept_forms(formset)
            stored = {i.pk: i for i in notice.items.select_related("application")}
            try:
                services.replace_items(request.user, notice, [r.item_data(stored) for r in rows])
            except ValidationError as exc:
                top_errors = _item_errors(exc, rows)
            else:
                messages.success(request, _("The items have been saved."))
                return redirect("portal:notice_admin_detail", pk=pk)
        messages.error(request, _("Nothing was saved; please correct the marked fields."))
    else:
        formset = NoticeItemFormSet(
            prefix="items", initial=items_initial(notice), form_kwargs=rows_kwargs
        )
    return render(
        request,
        "portal/manage_notice_items.html",
        {
            "notice": notice,
            "formset": formset,
            "top_errors": top_errors,
            "names_people": names_people,
        },
    )


@require(permissions.can_create_notice)
@require_http_methods(["GET", "POST"])
def notice_from_applications(request):
    user = request.user
    choosable = services.awaiting_notice(user)
    form = NoticeFromApplicationsForm(request.POST or None, choosable=choosable)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_for_applications(
                user, list(form.cleaned_data["applications"]), form.notice_data()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("A draft notice lists the applications; check it, then publish it.")
            )
            return redirect("portal:notice_admin_detail", pk=notice.pk)
    if request.method == "POST":
        chosen = {str(pk) for pk in request.POST.getlist("applications")}
    else:
        chosen = set()
    return render(
        request,
        "portal/manage_notice_from_applications.html",
        {"form": form, "applications": choosable, "chosen": chosen},
    )


@require(permissions.can_list_notices)
def notice_admin_detail(request, pk: int):
    user = request.user
    notice = _notice(request, pk)
    notice.tone = NOTICE_TONES[notice.state]
    items = list(notice.items.select_related("application"))
    for item in items:
        item.tone = ITEM_TONES[item.state]
    objections = list(notice.objections.select_related("item"))
    for objection in objections:
        objection.tone = OBJECTION_TONES[objection.state]
    manage = permissions.can_manage_notice(user, notice)
    return render(
        request,
        "portal/manage_notice_detail.html",
        {
            "notice": notice,
            "items": items,
            "objections": objections,
            "names_people": notice.kind in KINDS_NAMING_PEOPLE,
            "can_edit": manage and notice.state == Notice.State.DRAFT,
            "actions": NOTICE_WORKFLOW.allowed_actions(user, notice),
            "history": _history("portal.notice", [notice.pk]),
        },
    )


@require(permissions.can_list_notices)
@require_POST
def notice_action(request, pk: int):
    notice = _notice(request, pk)
    action = request.POST.get("action", "")
    apply_from_form(request, NOTICE_WORKFLOW, notice, action, TransitionForm(request.POST))
    return redirect("portal:notice_admin_detail", pk=pk)


# Objections.
@require(permissions.can_list_notices)
def objection_list(request):
    user = request.user
    form = ObjectionFilterForm(
        request.GET or None,
        notices=permissions.visible_notices(user)
        .filter(objections__isnull=False)
        .distinct()
        .order_by("-created_at", "-pk"),
    )
    objections = form.filter(
        permissions.visible_objections(user).select_related("notice", "item", "handled_by")
    )
    page = paginate(request, objections.order_by("-submitted_at", "-pk"))
    for objection in page:
        objection.tone = OBJECTION_TONES[objection.state]
    return render(
        request,
        list_template(request, "portal/manage_objection_list.html"),
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def _objection(request, pk: int) -> Objection:
    return get_visible(
        request,
        permissions.visible_objections(request.user).select_related(
            "notice", "notice__bureau", "item", "handled_by"
        ),
        pk,
    )


def _objection_page(request, objection: Objection, identity: dict | None = None):
    user = request.user
    objection.tone = OBJECTION_TONES[objection.state]
    actions = OBJECTION_WORKFLOW.allowed_actions(user, objection)
    return render(
        request,
        "portal/manage_objection_detail.html",
        {
            "objection": objection,
            "notice": objection.notice,
            "item": objection.item,
            "actions": {t.action: t for t in actions},
            "may_act": bool(actions),
            "can_see_objector": permissions.can_see_objector(user, objection),
            "identity": identity,
            "history": _history("portal.objection", [objection.pk]),
        },
    )


@require(permissions.can_list_notices)
def objection_detail(request, pk: int):
    return _objection_page(request, _objection(request, pk))


@require(permissions.can_list_notices)
@require_POST
def objection_identity(request, pk: int):
    """The page again, with who objected: only for the inspector and the handling officer,
    recorded each time. Shown in this response only, never stored in the page's URL."""
    objection = _objection(request, pk)
    try:
        identity = services.reveal_objector(request.user, objection)
    except ValidationError:
        raise deny(request, "portal.objection", pk) from None
    response = _objection_page(request, objection, identity)
    response["Cache-Control"] = "private, no-store"
    return response


@require(permissions.can_list_notices)
def objection_letter(request, pk: int):
    """The scan of an organization's sealed letter: it names the objector, so it is
    revealed (and recorded) like the identity."""
    objection = _objection(request, pk)
    if not objection.letter:
        raise Http404()
    try:
        with transaction.atomic():
            services.reveal_objector(request.user, objection)
    except ValidationError:
        raise deny(request, "portal.objection", pk) from None
    try:
        handle = objection.letter.open("rb")
    except FileNotFoundError:
        log.error("objection %s: stored letter %s is missing", pk, objection.letter.name)
        raise Http404() from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"objection-{pk}-letter{os.path.splitext(objection.letter.name)[1].lower()}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require(permissions.can_list_notices)
@require_POST
def objection_action(request, pk: int):
    objection = _objection(request, pk)
    action = request.POST.get("action", "")
    form = ObjectionActionForm(request.POST)
    extra = form.payload() if action == "uphold" else {}
    apply_from_form(request, OBJECTION_WORKFLOW, objection, action, form, extra)
    return redirect("portal:objection_detail", pk=pk)
