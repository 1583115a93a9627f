"""Study sessions: the list, the session page (with its sign-in QR code for the secretary),
signing in by QR code or by the secretary, materials, notes, leave and make-up study."""

import base64

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts.forms import TransitionForm
from keguan.audit import services as audit
from keguan.audit.models import AuditEvent, Result
from keguan.core.access import deny, get_visible, require
from keguan.core.actions import apply_from_form
from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate, query_without_page
from keguan.party.forms_study import (
    LeaveForm,
    MakeUpForm,
    MaterialForm,
    NoteForm,
    SessionEditForm,
    SessionForm,
    SignMemberForm,
)
from keguan.party.models import SessionMaterial, StudySession
from keguan.party.permissions import branch_of, member_of
from keguan.party.permissions import study as can
from keguan.party.services import study as services
from keguan.party.workflow_study import LEAVE_WORKFLOW


def _visible(request, pk: int) -> StudySession:
    return get_visible(request, can.visible_sessions(request.user).select_related("branch"), pk)


def _managed(request, pk: int) -> StudySession:
    session = _visible(request, pk)
    if not can.can_manage_study(request.user, session.branch):
        raise deny(request, "party.studysession", pk)
    return session


@require(can.can_use_study)
def session_list(request):
    sessions = (
        can.visible_sessions(request.user)
        .select_related("branch")
        .annotate(present=Count("attendance", filter=~Q(attendance__how="make_up")))
        .order_by("-date", "-starts_at", "-pk")
    )
    kind = request.GET.get("kind", "")
    if kind in StudySession.Kind.values:
        sessions = sessions.filter(kind=kind)
    return render(
        request,
        "party/study_session_list.html",
        {
            "page": paginate(request, sessions),
            "query": query_without_page(request),
            "kinds": StudySession.Kind.choices,
            "kind": kind,
            "can_create": can.can_manage_study(request.user),
            "oversees": can.can_oversee_any(request.user),
        },
    )


@require(can.can_manage_study)
@require_http_methods(["GET", "POST"])
def session_create(request):
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(
                request.user, branch_of(request.user), form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The session has been scheduled."))
            return redirect("party:session_detail", pk=session.pk)
    return render(request, "party/study_session_form.html", {"form": form, "session": None})


@require(can.can_manage_study)
@require_http_methods(["GET", "POST"])
def session_edit(request, pk: int):
    session = _managed(request, pk)
    form = SessionEditForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(request.user, session, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("party:session_detail", pk=session.pk)
    return render(request, "party/study_session_form.html", {"form": form, "session": session})


def _qr(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def sign_in_url(session: StudySession) -> str:
    path = reverse("party:session_sign_in", args=[session.pk, session.token])
    return f"{settings.KEGUAN_SITE_URL}{path}"


@require(can.can_use_study)
def session_detail(request, pk: int):
    user = request.user
    session = _visible(request, pk)
    manage = can.can_manage_study(user, session.branch)
    member = member_of(user)
    context = {"session": session, "can_manage": manage, "member": member}
    context["materials"] = list(session.materials.all())
    mine = can.visible_attendance(user).filter(session=session)
    context["attendance"] = list(mine.select_related("member").order_by("member__name"))
    context["notes"] = list(
        can.visible_notes(user).filter(session=session).select_related("member")
    )
    leaves = can.visible_leave_requests(user).filter(session=session).select_related("member")
    context["leave_requests"] = [
        (leave, LEAVE_WORKFLOW.allowed_actions(user, leave)) for leave in leaves
    ]
    now = timezone.now()
    context["opens"], context["closes"] = services.sign_in_window(session)
    if member is not None and member.branch_id == session.branch_id:
        own = [a for a in context["attendance"] if a.member_id == member.pk]
        context["own_attendance"] = own[0] if own else None
        context["own_note"] = any(n.member_id == member.pk for n in context["notes"])
        context["may_ask_leave"] = now < session.start and not own
        context["may_make_up"] = now > session.end and not own
        context["leave_form"], context["make_up_form"] = LeaveForm(), MakeUpForm()
        context["note_form"] = NoteForm()
    if manage:
        url = sign_in_url(session)
        context.update(
            qr=_qr(url),
            sign_in_link=url,
            sign_form=SignMemberForm(session=session),
            material_form=MaterialForm(),
        )
        context["history"] = (
            AuditEvent.objects.filter(object_type="party.studysession", object_id=str(session.pk))
            .exclude(action="access.denied")
            .order_by("-seq")[:30]
        )
    return render(request, "party/study_session_detail.html", context)


@require_http_methods(["GET", "POST"])
def session_sign_in(request, pk: int, token: str):
    """What the QR code opens: a confirm button for a member of the branch within the
    window; anyone else (or a wrong code, or a second time) reads why not."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    session = StudySession.objects.filter(pk=pk).select_related("branch").first()
    if session is None:
        raise Http404()
    problem = services.sign_in_problem(request.user, session, token)
    if request.method == "POST" and problem is None:
        try:
            services.sign_in(request.user, session, token)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            messages.success(request, _("You are signed in. Thank you."))
            return redirect("party:session_detail", pk=session.pk)
    if problem and request.method == "POST":
        audit.record(
            "party.study.sign_in.refused",
            obj=session,
            result=Result.DENIED,
            after={"problem": problem[:200]},
        )
    valid_code = problem is None or can.visible_sessions(request.user).filter(pk=pk).exists()
    return render(
        request,
        "party/study_sign_in.html",
        {"session": session if valid_code else None, "problem": problem},
        status=200 if problem is None or request.method == "GET" else 409,
    )


@require(can.can_manage_study)
@require_POST
def session_sign_member(request, pk: int):
    session = _managed(request, pk)
    form = SignMemberForm(request.POST, session=session)
    if form.is_valid():
        try:
            services.sign_in_member(
                request.user, session, form.cleaned_data["member"], form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The member has been signed in."))
    else:
        messages.error(request, _("Choose an active member of the branch not yet signed in."))
    return redirect("party:session_detail", pk=session.pk)


@require(can.can_manage_study)
@require_POST
def material_upload(request, pk: int):
    session = _managed(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_material(request.user, session, form.cleaned_data["file"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The document has been attached."))
    else:
        messages.error(request, _("Choose a file."))
    return redirect("party:session_detail", pk=session.pk)


def _file_response(record) -> FileResponse:
    try:
        handle = services.file_path(record).open("rb")
    except FileNotFoundError:
        raise Http404() from None
    response = FileResponse(
        handle, as_attachment=True, filename=record.original_name, content_type=record.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require(can.can_use_study)
def material_download(request, pk: int):
    materials = SessionMaterial.objects.filter(session__in=can.visible_sessions(request.user))
    return _file_response(get_visible(request, materials, pk))


@require(can.can_use_study)
def note_download(request, pk: int):
    note = get_visible(request, can.visible_notes(request.user).exclude(stored_name=""), pk)
    return _file_response(note)


def _member_post(request, pk: int, form_class, act, done: str):
    session = _visible(request, pk)
    if not can.can_sign_in(request.user, session):
        raise deny(request, "party.studysession", pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            act(session, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, _("Please fill in the form."))
    return redirect("party:session_detail", pk=session.pk)


@require(can.can_use_study)
@require_POST
def leave_create(request, pk: int):
    return _member_post(
        request,
        pk,
        LeaveForm,
        lambda s, d: services.ask_leave(request.user, s, d["reason"]),
        _("Your leave request has gone to the secretary."),
    )


@require(can.can_use_study)
@require_POST
def makeup_create(request, pk: int):
    return _member_post(
        request,
        pk,
        MakeUpForm,
        lambda s, d: services.make_up(request.user, s, d["text"]),
        _("Your make-up study has been recorded."),
    )


@require(can.can_use_study)
@require_POST
def note_submit(request, pk: int):
    return _member_post(
        request,
        pk,
        NoteForm,
        lambda s, d: services.submit_note(request.user, s, d["text"], d["file"]),
        _("Your notes have been handed in."),
    )


@require(can.can_use_study)
def leave_list(request):
    leaves = (
        can.visible_leave_requests(request.user)
        .select_related("member", "session")
        .order_by("-created_at", "-pk")
    )
    state = request.GET.get("state", "")
    if state:
        leaves = leaves.filter(state=state)
    return render(
        request,
        "party/study_leave_list.html",
        {
            "page": paginate(request, leaves),
            "query": query_without_page(request),
            "state": state,
            "oversees": can.can_oversee_any(request.user),
        },
    )


@require(can.can_use_study)
@require_POST
def leave_action(request, pk: int):
    leave = get_visible(
        request, can.visible_leave_requests(request.user).select_related("session__branch"), pk
    )
    action = request.POST.get("action", "")
    apply_from_form(request, LEAVE_WORKFLOW, leave, action, TransitionForm(request.POST))
    return redirect("party:session_detail", pk=leave.session_id)
