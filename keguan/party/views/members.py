"""Pages of the party branch's members area: the member list and a member's record, the
secretary's card and moves (full membership, transfer, death), the audited ID reveal and
export, the committee and party groups. Dues pages live in views/dues.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts.models import User
from keguan.accounts.roles import Role
from keguan.audit.models import AuditEvent
from keguan.core.access import deny, get_visible, require
from keguan.core.export import Column, xlsx_response
from keguan.core.forms import apply_errors
from keguan.core.pagination import list_template, paginate, query_without_page
from keguan.core.workflow import TransitionError
from keguan.party import permissions as can
from keguan.party.models import CommitteeSeat, Member, PartyGroup
from keguan.party.services import members as services
from keguan.party.views import dues, index
from keguan.party.views.members_forms import (
    GroupForm,
    MemberFilterForm,
    MemberForm,
    MemberMoveForm,
    SeatForm,
)
from keguan.party.workflow_members import MEMBER_WORKFLOW


def _member(request, pk: int) -> Member:
    return get_visible(request, can.visible_members(request.user), pk)


def _managed(request, pk: int) -> Member:
    member = _member(request, pk)
    if not can.can_manage_member(request.user, member):
        raise deny(request, "party.member", pk)
    return member


def _filtered(request, members):
    branch = can.branch_of(request.user)
    form = MemberFilterForm(request.GET or None, groups=branch.groups.all())
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            members = members.filter(Q(name__icontains=q) | Q(post__icontains=q))
        for name in ("state", "kind", "group"):
            if form.cleaned_data[name]:
                members = members.filter(**{name: form.cleaned_data[name]})
    return form, members.select_related("group").order_by("name", "pk")


@require(can.can_enter_party)
def member_list(request):
    """All members for the secretary and inspectors; a member is sent to their own record."""
    user = request.user
    if not can.can_list_members(user):
        own = can.member_of(user)
        if own is None:
            raise deny(request, "view:party.member_list")
        return redirect("party:member_detail", own.pk)
    form, members = _filtered(request, can.visible_members(user))
    page = paginate(request, members)
    return render(
        request,
        list_template(request, "party/member_list.html"),
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_manage": can.can_manage_members(user),
        },
    )


EXPORT_COLUMNS = [
    Column(_("Name"), lambda m: m.name, 12),
    Column(_("Gender"), lambda m: m.get_gender_display(), 8),
    Column(_("Birth date"), lambda m: m.birth_date, 12),
    # Masked in exports too: a workbook travels further than a page.
    Column(_("ID number"), lambda m: m.masked_id_number, 22),
    Column(_("Joined the Party on"), lambda m: m.joined_on, 12),
    Column(_("Kind"), lambda m: m.get_kind_display(), 12),
    Column(_("Full member since"), lambda m: m.full_on, 12),
    Column(_("Post"), lambda m: m.post, 20),
    Column(_("Party group"), lambda m: m.group.name if m.group else "", 16),
    Column(_("State"), lambda m: m.get_state_display(), 10),
    Column(_("Transferred to"), lambda m: m.transferred_to, 20),
]


@require(can.can_export_members)
def member_export(request):
    """The filtered member list as a workbook (ID numbers masked); the export is audited."""
    _form, members = _filtered(request, can.visible_members(request.user))
    rows = list(members)
    services.record_export(request.user, can.branch_of(request.user), len(rows))
    return xlsx_response(_("party-members"), _("Party members"), EXPORT_COLUMNS, iter(rows))


def _history(member: Member):
    return (
        AuditEvent.objects.filter(object_type="party.member", object_id=str(member.pk))
        .exclude(action__in=("access.denied", "party.member.view"))
        .order_by("-seq")[:30]
    )


def _detail_context(request, member: Member, **extra) -> dict:
    user = request.user
    sees_all = can.sees_all_members(user, member.branch)
    return {
        "member": member,
        "seats": member.seats.all(),
        "dues": member.dues.order_by("-month")[:12],
        "moves": MEMBER_WORKFLOW.allowed_actions(user, member),
        "can_manage": can.can_manage_member(user, member),
        "can_reveal": can.can_reveal_id_number(user, member),
        "can_declare": can.can_declare_income(user, member),
        "history": _history(member) if sees_all else None,
        "is_own": can.is_own_record(user, member),
        **extra,
    }


@require(can.can_enter_party)
def member_detail(request, pk: int):
    member = _member(request, pk)
    services.record_view(request.user, member)
    return render(request, "party/member_detail.html", _detail_context(request, member))


@require(can.can_manage_members)
@require_POST
def member_reveal_id(request, pk: int):
    """The full ID number, shown once on the record; the reveal is an audit event."""
    member = _member(request, pk)
    if not can.can_reveal_id_number(request.user, member):
        raise deny(request, "party.member", pk)
    number = services.reveal_id_number(request.user, member)
    return render(
        request,
        "party/member_detail.html",
        _detail_context(request, member, revealed_id_number=number),
    )


def _accounts(branch):
    return User.objects.filter(
        bureau=branch.bureau_id,
        is_active=True,
        role_grants__role__in=(Role.PARTY_MEMBER, Role.PARTY_SECRETARY),
    ).distinct()


@require(can.can_manage_members)
@require_http_methods(["GET", "POST"])
def member_create(request):
    branch = can.branch_of(request.user)
    form = MemberForm(request.POST or None, groups=branch.groups.all(), accounts=_accounts(branch))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.create_member(request.user, branch, form.data_for_service())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The member has been added."))
            return redirect("party:member_detail", member.pk)
    return render(request, "party/member_form.html", {"form": form, "member": None})


@require(can.can_manage_members)
@require_http_methods(["GET", "POST"])
def member_edit(request, pk: int):
    member = _managed(request, pk)
    initial = {name: getattr(member, name) for name in services.MEMBER_FIELDS}
    initial["id_number"] = ""
    form = MemberForm(
        request.POST or None,
        initial=initial,
        groups=member.branch.groups.all(),
        accounts=_accounts(member.branch),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member(request.user, member, form.data_for_service())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The record has been saved."))
            return redirect("party:member_detail", member.pk)
    return render(request, "party/member_form.html", {"form": form, "member": member})


@require(can.can_manage_members)
@require_POST
def member_action(request, pk: int):
    """Full membership, transfer out or death: the member's workflow moves."""
    member = _member(request, pk)
    form = MemberMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the date."))
        return redirect("party:member_detail", member.pk)
    data = form.cleaned_data
    payload = {"note": data["note"], "on": data["on"], "destination": data["destination"]}
    try:
        MEMBER_WORKFLOW.apply(
            request.user,
            member,
            data["action"],
            payload,
            expected_state=data["expected_state"] or None,
        )
    except TransitionError as exc:
        if exc.code in {"forbidden", "unknown_action"}:
            raise deny(request, "party.member", pk) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("party:member_detail", member.pk)


# The committee and party groups.
@require(can.can_enter_party)
def committee(request):
    """The committee and the groups, for everyone in the branch; the secretary keeps them."""
    user = request.user
    branch = can.branch_of(user)
    manage = can.can_manage_members(user)
    active = Member.objects.active().filter(branch=branch).order_by("name", "pk")
    return render(
        request,
        "party/member_committee.html",
        {
            "branch": branch,
            "seats": sorted(
                CommitteeSeat.objects.filter(branch=branch).select_related("member"),
                key=index._seat_order,
            ),
            "groups": branch.groups.prefetch_related("members").order_by("name", "pk"),
            "can_manage": manage,
            "seat_form": SeatForm(members=active) if manage else None,
            "group_form": GroupForm() if manage else None,
        },
    )


def _tell(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require(can.can_manage_members)
@require_POST
def committee_seat(request):
    branch = can.branch_of(request.user)
    form = SeatForm(request.POST, members=Member.objects.active().filter(branch=branch))
    if not form.is_valid():
        messages.error(request, _("Choose an active member and a seat."))
    else:
        data = form.cleaned_data
        try:
            services.set_seat(request.user, branch, data["member"], data["duty"], data["duties"])
        except ValidationError as exc:
            _tell(request, exc)
        else:
            messages.success(request, _("The committee has been changed."))
    return redirect("party:committee")


@require(can.can_manage_members)
@require_POST
def committee_seat_remove(request, pk: int):
    branch = can.branch_of(request.user)
    seat = get_visible(request, CommitteeSeat.objects.filter(branch=branch), pk)
    services.remove_seat(request.user, seat)
    messages.success(request, _("The committee has been changed."))
    return redirect("party:committee")


@require(can.can_manage_members)
@require_POST
def group_create(request):
    form = GroupForm(request.POST)
    try:
        name = form.data.get("name", "")
        services.create_group(request.user, can.branch_of(request.user), name)
    except ValidationError as exc:
        _tell(request, exc)
    else:
        messages.success(request, _("The party group has been created."))
    return redirect("party:committee")


def _group(request, pk: int) -> PartyGroup:
    return get_visible(request, PartyGroup.objects.filter(branch=can.branch_of(request.user)), pk)


@require(can.can_manage_members)
@require_POST
def group_rename(request, pk: int):
    group = _group(request, pk)
    try:
        services.rename_group(request.user, group, request.POST.get("name", ""))
    except ValidationError as exc:
        _tell(request, exc)
    else:
        messages.success(request, _("The party group has been renamed."))
    return redirect("party:committee")


@require(can.can_manage_members)
@require_POST
def group_delete(request, pk: int):
    group = _group(request, pk)
    try:
        services.delete_group(request.user, group)
    except ValidationError as exc:
        _tell(request, exc)
    else:
        messages.success(request, _("The party group has been removed."))
    return redirect("party:committee")


urlpatterns = [
    path("", index.index, name="index"),
    path("members/", member_list, name="member_list"),
    path("members/export/", member_export, name="member_export"),
    path("members/new/", member_create, name="member_create"),
    path("members/<int:pk>/", member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", member_edit, name="member_edit"),
    path("members/<int:pk>/action/", member_action, name="member_action"),
    path("members/<int:pk>/reveal-id/", member_reveal_id, name="member_reveal_id"),
    path("committee/", committee, name="committee"),
    path("committee/seat/", committee_seat, name="committee_seat"),
    path("committee/seat/<int:pk>/remove/", committee_seat_remove, name="committee_seat_remove"),
    path("groups/new/", group_create, name="group_create"),
    path("groups/<int:pk>/rename/", group_rename, name="group_rename"),
    path("groups/<int:pk>/delete/", group_delete, name="group_delete"),
    *dues.urlpatterns,
]
