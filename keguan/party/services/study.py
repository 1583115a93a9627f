"""The study system's records: plans, sessions and their files, sign-in, leave, make-up
study, study notes and the hours they add up to. Every change is audited."""

import datetime as dt
import secrets
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from keguan.audit import services as audit
from keguan.core.records import replace_rows, save_new, update_fields
from keguan.party.models import (
    Branch,
    LeaveRequest,
    Member,
    PlanTopic,
    SessionMaterial,
    StudyAttendance,
    StudyNote,
    StudyPlan,
    StudySession,
)
from keguan.party.permissions import member_of
from keguan.projects import attachments
from keguan.projects.models import AttachmentKind

# The sign-in window: from this long before a session starts until it ends (plus this).
SIGN_IN_OPENS_BEFORE = dt.timedelta(minutes=30)
SIGN_IN_CLOSES_AFTER = dt.timedelta(minutes=0)

PLAN_FIELDS = ("year", "required_hours", "required_notes")
SESSION_FIELDS = ("kind", "topic", "date", "starts_at", "ends_at", "place", "speaker", "hours")
SESSION_EDIT_FIELDS = (*SESSION_FIELDS, "summary")
ATTENDANCE_FIELDS = ("session", "member", "how", "hours", "at", "reason")
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=7, decimal_places=1))


# Plans.
def _topic_rows(plan: StudyPlan, topics) -> list[PlanTopic]:
    rows = []
    for month, topic in topics or []:
        row = PlanTopic(plan=plan, month=month, topic=(topic or "").strip())
        try:
            row.full_clean(exclude=["plan"])
        except ValidationError:
            raise ValidationError(
                {"topics": _("Each topic needs a month from 1 to 12 and a text.")}
            ) from None
        rows.append(row)
    return rows


def _describe_topic(row: PlanTopic) -> str:
    return f"{row.month}: {row.topic}"


def create_plan(user, branch: Branch, data: dict) -> StudyPlan:
    """A yearly plan of BRANCH with its topics by month ([(month, topic)] in DATA)."""
    plan = StudyPlan(branch=branch)
    for name in PLAN_FIELDS:
        if data.get(name) is not None:
            setattr(plan, name, data[name])
    if StudyPlan.objects.filter(branch=branch, year=plan.year).exists():
        raise ValidationError({"year": _("The branch already has a study plan for this year.")})
    with transaction.atomic():
        save_new(plan, "party.study.plan.create", PLAN_FIELDS)
        rows = _topic_rows(plan, data.get("topics"))
        replace_rows(
            plan, "topics", PlanTopic, rows, "party.study.plan.topics", "topics", _describe_topic
        )
    return plan


def update_plan(user, plan: StudyPlan, data: dict) -> StudyPlan:
    fields = ("required_hours", "required_notes")
    with transaction.atomic():
        fresh = update_fields(plan, "party.study.plan.update", fields, data)
        if data.get("topics") is not None:
            rows = _topic_rows(fresh, data["topics"])
            replace_rows(
                fresh,
                "topics",
                PlanTopic,
                rows,
                "party.study.plan.topics",
                "topics",
                _describe_topic,
            )
    return fresh


# Sessions.
def _check_times(session: StudySession, before=None) -> None:
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})


def create_session(user, branch: Branch, data: dict) -> StudySession:
    """A session of BRANCH with a fresh random sign-in token."""
    session = StudySession(branch=branch, created_by=user, token=secrets.token_urlsafe(32))
    for name in SESSION_EDIT_FIELDS:
        if data.get(name) is not None:
            setattr(session, name, data[name])
    _check_times(session)
    save_new(session, "party.study.session.create", SESSION_FIELDS)
    return session


def update_session(user, session: StudySession, data: dict) -> StudySession:
    return update_fields(
        session, "party.study.session.update", SESSION_EDIT_FIELDS, data, check=_check_times
    )


# Files, checked by their content like project attachments, kept outside the web root.
def _keep_file(upload) -> dict:
    """Store UPLOAD under a random name; its metadata, or a ValidationError({"file": ...})."""
    # Pictures are welcome here: a photograph of handwritten notes, a slide.
    return attachments.keep_file(upload, AttachmentKind.PHOTO)


def _forget_file(meta: dict) -> None:
    attachments.forget_file(meta["stored_name"])


def add_material(user, session: StudySession, upload) -> SessionMaterial:
    meta = _keep_file(upload)
    material = SessionMaterial(session=session, uploaded_by=user, **meta)
    try:
        save_new(material, "party.study.material.upload", ("session", *meta))
    except BaseException:
        _forget_file(meta)
        raise
    return material


def file_path(record) -> Path:
    """Where a material's or note's file lies; never outside the attachment folder."""
    return attachments.path_of(record)


# Signing in.
def sign_in_window(session: StudySession) -> tuple[dt.datetime, dt.datetime]:
    return session.start - SIGN_IN_OPENS_BEFORE, session.end + SIGN_IN_CLOSES_AFTER


def _time(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value), "Y-m-d H:i")


def sign_in_problem(user, session: StudySession, token: str, now=None) -> str | None:
    """Why USER cannot sign in to SESSION with TOKEN now, in words for them; None if they can."""
    now = now or timezone.now()
    if not secrets.compare_digest(str(token or ""), session.token):
        return _("This sign-in code is not valid. Scan the QR code shown at the session again.")
    member = member_of(user)
    if member is None or member.branch_id != session.branch_id:
        return _("Only members of the branch can sign in to its study sessions.")
    opens, closes = sign_in_window(session)
    if now < opens:
        return _("Sign-in opens at %(time)s, %(minutes)d minutes before the session starts.") % {
            "time": _time(opens),
            "minutes": SIGN_IN_OPENS_BEFORE.total_seconds() // 60,
        }
    if now > closes:
        return _("The session ended at %(time)s; sign-in is closed. Ask the secretary.") % {
            "time": _time(closes)
        }
    done = session.attendance.filter(member=member).first()
    if done is not None:
        return _("You already signed in to this session at %(time)s.") % {"time": _time(done.at)}
    return None


def _attend(session, member, how, user, now, reason="") -> StudyAttendance:
    attendance = StudyAttendance(
        session=session,
        member=member,
        how=how,
        hours=session.hours,
        at=now,
        recorded_by=user,
        reason=reason,
    )
    try:
        with transaction.atomic():
            save_new(attendance, f"party.study.attendance.{how}", ATTENDANCE_FIELDS)
    except IntegrityError:
        raise ValidationError(_("This member is already signed in to the session.")) from None
    return attendance


def sign_in(user, session: StudySession, token: str, now=None) -> StudyAttendance:
    """The user signs in to SESSION with the QR code's TOKEN: accepted once per member,
    inside the sign-in window. Side effects: one StudyAttendance crediting the session's
    hours and its audit event. Refusals raise ValidationError and change nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        # The session row is locked so two taps of the confirm button sign in once.
        fresh = StudySession.objects.select_for_update().get(pk=session.pk)
        problem = sign_in_problem(user, fresh, token, now)
        if problem:
            raise ValidationError(problem)
        return _attend(fresh, member_of(user), StudyAttendance.How.QR, user, now)


def sign_in_member(user, session: StudySession, member: Member, reason: str = "", now=None):
    """The secretary signs MEMBER in by hand: from the window's opening on; after the
    session has ended only with a REASON (kept on the record and in the audit event)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        fresh = StudySession.objects.select_for_update().get(pk=session.pk)
        if not Member.objects.active().filter(pk=member.pk, branch_id=fresh.branch_id).exists():
            raise ValidationError({"member": _("Choose an active member of the branch.")})
        opens, closes = sign_in_window(fresh)
        if now < opens:
            raise ValidationError(_("The session has not started yet."))
        if now > closes and not reason:
            raise ValidationError(
                {"reason": _("The session is over: say why the sign-in is late.")}
            )
        return _attend(fresh, member, StudyAttendance.How.SECRETARY, user, now, reason)


# Leave and make-up study.
def ask_leave(user, session: StudySession, reason: str, now=None, member=None) -> LeaveRequest:
    """The member asks to be excused from SESSION, before it starts (MEMBER: for the demo
    and imports, a record without an account; otherwise the user's own)."""
    now = now or timezone.now()
    member = member or member_of(user)
    reason = (reason or "").strip()
    if member is None or member.branch_id != session.branch_id:
        raise ValidationError(_("Only members of the branch ask for leave from its sessions."))
    if not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    if now >= session.start:
        raise ValidationError(_("Leave is asked before the session starts."))
    if session.leave_requests.filter(member=member, state__in=("pending", "approved")).exists():
        raise ValidationError(_("You have already asked for leave from this session."))
    leave = LeaveRequest(session=session, member=member, reason=reason)
    try:
        with transaction.atomic():
            save_new(leave, "party.study.leave.ask", ("session", "member", "reason"))
    except IntegrityError:
        raise ValidationError(_("You have already asked for leave from this session.")) from None
    return leave


def make_up(user, session: StudySession, text: str, now=None, member=None) -> StudyAttendance:
    """The member studies a missed session on their own afterwards: their notes are kept
    and the session's hours credited (make-up study does not count as attendance)."""
    now = now or timezone.now()
    member = member or member_of(user)
    text = (text or "").strip()
    if member is None or member.branch_id != session.branch_id:
        raise ValidationError(_("Only members of the branch record make-up study."))
    if now <= session.end:
        raise ValidationError(_("Make-up study is recorded after the session."))
    if not text:
        raise ValidationError({"text": _("Write down what you studied.")})
    with transaction.atomic():
        attendance = _attend(session, member, StudyAttendance.How.MAKE_UP, user, now)
        if not session.notes.filter(member=member).exists():
            note = StudyNote(session=session, member=member, text=text, submitted_at=now)
            save_new(note, "party.study.note.submit", ("session", "member", "text"))
    return attendance


def submit_note(user, session: StudySession, text: str = "", upload=None, now=None) -> StudyNote:
    """The member hands in their notes on a session they attended: text, a file, or both."""
    member = member_of(user)
    text = (text or "").strip()
    if member is None or not session.attendance.filter(member=member).exists():
        raise ValidationError(_("Notes are handed in on a session you attended."))
    if session.notes.filter(member=member).exists():
        raise ValidationError(_("You have already handed in notes on this session."))
    if not text and upload is None:
        raise ValidationError({"text": _("Write your notes or attach a file.")})
    meta = _keep_file(upload) if upload is not None else {}
    note = StudyNote(
        session=session, member=member, text=text, submitted_at=now or timezone.now(), **meta
    )
    try:
        with transaction.atomic():
            save_new(note, "party.study.note.submit", ("session", "member", "original_name"))
    except IntegrityError:
        if meta:
            _forget_file(meta)
        raise ValidationError(_("You have already handed in notes on this session.")) from None
    except BaseException:
        if meta:
            _forget_file(meta)
        raise
    return note


# Hours.
def hours_by_member(branch: Branch, year: int):
    """The branch's active members, each with `hours` and `sessions` credited in YEAR and
    `notes_handed_in`: one query, aggregated in the database."""
    in_year = Q(study_attendance__session__date__year=year)
    notes = StudyNote.objects.filter(member=OuterRef("pk"), session__date__year=year)
    return (
        Member.objects.active()
        .filter(branch=branch)
        .annotate(
            hours=Coalesce(Sum("study_attendance__hours", filter=in_year), ZERO),
            sessions=Count("study_attendance", filter=in_year),
            notes_handed_in=Coalesce(_count_subquery(notes), 0),
        )
        .order_by("name", "pk")
    )


def _count_subquery(queryset):
    return Subquery(queryset.order_by().values("member").annotate(n=Count("pk")).values("n")[:1])


def record_export(user, branch: Branch, year: int, rows: int) -> None:
    audit.record("party.study.hours.export", obj=branch, after={"year": year, "members": rows})
