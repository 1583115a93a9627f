"""Creating and changing programs, calls, candidates, applications and projects.

State changes are not here: they go through the workflows in `projects.workflow`. These
functions validate fully (raising ValidationError keyed by field), save inside
`audit.writing()` and record one event per change.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

from keguan.accounts.permissions import in_jurisdiction
from keguan.accounts.roles import Role
from keguan.audit import services as audit
from keguan.core.workflow import TransitionError
from keguan.projects import permissions as can
from keguan.projects.models import (
    Application,
    BudgetLine,
    Call,
    Candidate,
    FollowUp,
    IntegrityPenalty,
    Milestone,
    Program,
    ProgressReport,
    Project,
    TeamMember,
)
from keguan.projects.workflow import APPLICATION_WORKFLOW, CANDIDATE_WORKFLOW

PROGRAM_FIELDS = ("name", "level", "body", "description", "active")
CALL_FIELDS = (
    "program",
    "year",
    "title",
    "guide",
    "opens_at",
    "closes_at",
    "eligible_kinds",
    "max_per_organization",
    "required_attachments",
    "budget_ceiling",
    "rubric",
)
CANDIDATE_FIELDS = (
    "title",
    "field",
    "summary",
    "maturity",
    "target_level",
    "expected_funding",
    "guiding_officer",
)
APPLICATION_FIELDS = (
    "title",
    "summary",
    "discipline_code",
    "field",
    "start_on",
    "end_on",
    "expected_patents",
    "expected_products",
    "expected_revenue",
    "expected_jobs",
)
TASK_BOOK_FIELDS = ("targets", "start_on", "end_on", "acceptance_due")


def _snapshot(obj, fields) -> dict:
    """Field values as stored (foreign keys by id), for the audit event's before/after."""
    return {name: getattr(obj, obj._meta.get_field(name).attname) for name in fields}


def _save(obj, action: str, fields) -> None:
    """Create OBJ, recording FIELDS in the event."""
    obj.full_clean()
    with audit.writing():
        obj.save()
        audit.record(action, obj=obj, after=_snapshot(obj, fields))


def _locked(obj, refusal):
    """OBJ's row, locked and read afresh; REFUSAL(fresh) may name why it cannot change.

    Changes are made on this fresh row, never on the copy a page loaded: that copy may be
    stale (submitted in another tab, published by a colleague) and saving it would write
    its old state back.
    """
    fresh = type(obj).objects.select_for_update().get(pk=obj.pk)
    message = refusal(fresh) if refusal else None
    if message:
        raise ValidationError(message)
    return fresh


def _update(obj, action: str, fields, data: dict, refusal=None, check=None):
    """Change FIELDS of OBJ from DATA on the locked fresh row; record what changed.

    CHECK(fresh, before) may raise ValidationError for combinations the fields allow.
    Only the changed columns are written. Returns the fresh object.
    """
    with transaction.atomic():
        fresh = _locked(obj, refusal)
        before = _snapshot(fresh, fields)
        _assign(fresh, fields, data)
        if check is not None:
            check(fresh, before)
        fresh.full_clean()
        after = _snapshot(fresh, fields)
        changed = [name for name in fields if before[name] != after[name]]
        if changed:
            touched = [f.name for f in fresh._meta.fields if getattr(f, "auto_now", False)]
            with audit.writing():
                fresh.save(update_fields=changed + touched)
                audit.record(
                    action,
                    obj=fresh,
                    before={k: before[k] for k in changed},
                    after={k: after[k] for k in changed},
                )
    return fresh


def _assign(obj, fields, data: dict) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


# Programs and calls.
def create_program(user, data: dict) -> Program:
    """A program kept by the user's bureau."""
    program = Program(bureau=user.bureau)
    _assign(program, PROGRAM_FIELDS, data)
    _save(program, "projects.program.create", PROGRAM_FIELDS)
    return program


def update_program(user, program: Program, data: dict) -> Program:
    return _update(
        program,
        "projects.program.update",
        PROGRAM_FIELDS,
        data,
        refusal=lambda fresh: (
            None
            if can.can_manage_programs(user) and in_jurisdiction(user, fresh.bureau)
            else _("You may not change this program.")
        ),
    )


def _check_call(call: Call) -> None:
    errors = {}
    if call.opens_at and call.closes_at and call.closes_at <= call.opens_at:
        errors["closes_at"] = _("The call must close after it opens.")
    from keguan.accounts.models import Organization
    from keguan.projects.models import AttachmentKind

    unknown = set(call.eligible_kinds or []) - set(Organization.Kind.values)
    if unknown:
        errors["eligible_kinds"] = _("Unknown organization kind: %(kinds)s.") % {
            "kinds": ", ".join(sorted(unknown))
        }
    unknown = set(call.required_attachments or []) - set(AttachmentKind.values)
    if unknown:
        errors["required_attachments"] = _("Unknown attachment kind: %(kinds)s.") % {
            "kinds": ", ".join(sorted(unknown))
        }
    if errors:
        raise ValidationError(errors)


def create_call(user, data: dict) -> Call:
    """A draft call of the user's bureau; officers publish it through CALL_WORKFLOW."""
    call = Call(bureau=user.bureau)
    _assign(call, CALL_FIELDS, data)
    _check_call(call)
    _save(call, "projects.call.create", CALL_FIELDS)
    return call


# What may still change once a call is published: applicants have read the rest.
PUBLISHED_CALL_FIELDS = ("guide", "closes_at")


def _call_refusal(user, call: Call) -> str | None:
    if not can.can_manage_call(user, call):
        return _("You may not change this call.")
    if call.state == Call.State.CANCELLED:
        return _("A cancelled call cannot be changed.")
    return None


def _check_call_change(call: Call, before: dict) -> None:
    if call.state != Call.State.DRAFT:
        frozen = [
            name
            for name in CALL_FIELDS
            if name not in PUBLISHED_CALL_FIELDS
            and before[name] != getattr(call, call._meta.get_field(name).attname)
        ]
        if frozen:
            raise ValidationError(
                {
                    name: _("This can no longer change once the call is published.")
                    for name in frozen
                }
            )
    _check_call(call)


def update_call(user, call: Call, data: dict) -> Call:
    """Change a call. Once published only the guide text and close time may change; any
    other field that would change is refused by name."""
    return _update(
        call,
        "projects.call.update",
        CALL_FIELDS,
        data,
        refusal=lambda fresh: _call_refusal(user, fresh),
        check=_check_call_change,
    )


def backdate_call_for_import(user, call: Call, opens_at, closes_at) -> Call:
    """Put an imported call's window back where its paper record says it was.

    Only for imports of paper records (the demo's 2006–2011 history, a bureau's archive of
    projects still running when it adopted keguan). keguan takes applications only while a
    call is open, so an import creates the call with a window open now, takes every
    application through the workflows as it went on paper, and then calls this once to set
    the window and the publication time to the historical ones. Refused unless the user
    manages the call, the call is published and the new window lies wholly in the past.
    The round's applications, decisions, allocations and signed task books take moments
    inside and after that window, so their pages read as the paper record does.
    One audit event `projects.call.import_history` keeps the window before and after, so
    the trail shows the import for what it was and no ordinary edit can do the same.
    """
    if not can.can_manage_call(user, call):
        raise ValidationError(_("You may not change this call."))
    if call.state != Call.State.PUBLISHED:
        raise ValidationError(_("Only a published call can take a historical window."))
    if not opens_at < closes_at <= timezone.now():
        raise ValidationError(
            {"closes_at": _("A historical window must close after it opens, in the past.")}
        )
    fields = ("opens_at", "closes_at", "published_at")
    before = _snapshot(call, fields)
    call.opens_at, call.closes_at, call.published_at = opens_at, closes_at, opens_at
    call.full_clean()
    # The round's own moments follow its paper dates, not the moment of the import:
    # submitted inside the window, decided (or recommended) a month after it closed, task
    # books signed a month after that.
    now = timezone.now()
    moments = {
        "submitted": opens_at + (closes_at - opens_at) / 2,
        "decided": min(closes_at + dt.timedelta(days=30), now),
        "signed": min(closes_at + dt.timedelta(days=60), now),
    }
    from keguan.funds.models import Allocation

    with audit.writing():
        call.save(update_fields=list(fields))
        round_ = Application.objects.filter(call=call)
        round_.filter(submitted_at__isnull=False).update(submitted_at=moments["submitted"])
        round_.filter(recommended_at__isnull=False).update(recommended_at=moments["decided"])
        round_.filter(decided_at__isnull=False).update(decided_at=moments["decided"])
        Allocation.objects.filter(application__call=call).update(created_at=moments["decided"])
        Project.objects.filter(application__call=call, task_book_signed_at__isnull=False).update(
            task_book_signed_at=moments["signed"]
        )
        audit.record(
            "projects.call.import_history",
            obj=call,
            before=before,
            after={**_snapshot(call, fields), "moments": moments, "applications": round_.count()},
        )
    return call


# Reserve pool.
def _check_guiding_officer(user, candidate: Candidate, before: dict) -> None:
    """Pairing (结对子) is the bureau's to decide: only an officer changes it, and only to an
    active officer of the candidate's bureau or one above it."""
    officer = candidate.guiding_officer
    if candidate.guiding_officer_id == before.get("guiding_officer"):
        return
    if not can.is_officer(user):
        raise ValidationError({"guiding_officer": _("Only the bureau pairs a guiding officer.")})
    if officer is not None and not (
        officer.is_active
        and officer.has_role(Role.OFFICER)
        and officer.bureau_id is not None
        and officer.bureau.path in candidate.bureau.paths_up()
    ):
        raise ValidationError(
            {"guiding_officer": _("Choose an officer of the unit's bureau or one above it.")}
        )


def create_candidate(user, organization, data: dict) -> Candidate:
    """Record a candidate of ORGANIZATION in the reserve pool."""
    candidate = Candidate(organization=organization, bureau=organization.bureau, created_by=user)
    _assign(candidate, CANDIDATE_FIELDS, data)
    _check_guiding_officer(user, candidate, {"guiding_officer": None})
    _save(candidate, "projects.candidate.create", CANDIDATE_FIELDS)
    return candidate


def update_candidate(user, candidate: Candidate, data: dict) -> Candidate:
    return _update(
        candidate,
        "projects.candidate.update",
        CANDIDATE_FIELDS,
        data,
        refusal=lambda fresh: (
            None
            if can.can_edit_candidate(user, fresh)
            else _("Only a candidate still being prepared can change.")
        ),
        check=lambda fresh, before: _check_guiding_officer(user, fresh, before),
    )


def add_follow_up(user, candidate: Candidate, data: dict) -> FollowUp:
    """Log help given to a candidate (a visit, a lecture, materials, polishing)."""
    note = FollowUp(
        candidate=candidate,
        on=data.get("on"),
        kind=data.get("kind"),
        text=(data.get("text") or "").strip(),
        author=user,
    )
    if note.on and note.on > timezone.localdate():
        raise ValidationError({"on": _("A follow-up note records something already done.")})
    _save(note, "projects.candidate.follow_up", ("on", "kind", "text"))
    return note


def ready_candidates_for(call: Call):
    """Candidates ready to apply whose organization this call admits."""
    qs = Candidate.objects.filter(
        state=Candidate.State.READY,
        target_level=call.program.level,
        bureau__path__startswith=call.bureau.path,
    ).select_related("organization")
    if call.eligible_kinds:
        qs = qs.filter(organization__kind__in=call.eligible_kinds)
    return qs


def open_calls_for(candidate: Candidate, calls=None) -> list[Call]:
    """The open calls CANDIDATE could apply to (ready_candidates_for reversed): the program's
    level is its target level, the call's bureau is the candidate's or one above it, and the
    call admits its organization's kind. CALLS narrows the search (e.g. to what a user sees)."""
    qs = (calls if calls is not None else Call.objects.all()).open_at()
    qs = qs.filter(program__level=candidate.target_level).select_related("program", "bureau")
    return [
        call
        for call in qs.order_by("closes_at", "pk")
        if candidate.bureau.path.startswith(call.bureau.path)
        and call.admits_kind(candidate.organization.kind)
    ]


# Applications.
def start_application(user, call: Call, candidate: Candidate | None = None, data=None):
    """A draft application of the user's organization to CALL, carrying a candidate's data.

    Refused when the call is not open or does not admit the organization's kind.
    """
    from keguan.projects import rules

    organization = user.organization
    if organization is None:
        raise ValidationError(_("Your account is not bound to an organization."))
    refusal = rules.window_refusal(call)
    if refusal:
        raise ValidationError(refusal)
    if not call.admits_kind(organization.kind):
        raise ValidationError(
            _("Organizations of the kind “%(kind)s” may not apply to this call.")
            % {"kind": organization.get_kind_display()}
        )
    if candidate is not None and candidate.organization_id != organization.pk:
        raise ValidationError(_("That candidate belongs to another organization."))
    if candidate is not None and candidate.state not in Candidate.OPEN_STATES:
        raise ValidationError(_("That candidate is no longer being prepared."))
    data = dict(data or {})
    if candidate is not None:
        data.setdefault("title", candidate.title)
        data.setdefault("summary", candidate.summary)
        data.setdefault("field", candidate.field)
    application = Application(
        call=call,
        organization=organization,
        bureau=organization.bureau,
        candidate=candidate,
        created_by=user,
    )
    _assign(application, APPLICATION_FIELDS, data)
    application.full_clean()
    with audit.writing():
        application.save()
        audit.record(
            "projects.application.create",
            obj=application,
            after={"call": call.pk, "candidate": candidate.pk if candidate else None},
        )
        if candidate is not None:
            try:
                CANDIDATE_WORKFLOW.apply(user, candidate, "apply", automatic=True)
            except TransitionError as exc:  # dropped or used meanwhile: nothing is kept
                raise ValidationError(exc.message) from None
    return application


def _editable_refusal(user):
    def refusal(application: Application) -> str | None:
        if can.can_edit_application(user, application):
            return None
        return _("Only a draft or returned application of your own can change.")

    return refusal


def _check_planned_dates(application: Application, before: dict) -> None:
    if application.start_on and application.end_on and application.end_on <= application.start_on:
        raise ValidationError({"end_on": _("The planned end must come after the planned start.")})


def update_application(user, application: Application, data: dict) -> Application:
    """Change the application's own fields (not its team, budget or attachments)."""
    return _update(
        application,
        "projects.application.update",
        APPLICATION_FIELDS,
        data,
        refusal=_editable_refusal(user),
        check=_check_planned_dates,
    )


def validate_id_number(value: str, field: str) -> str:
    """A resident ID number: 18 characters, a real birth date, the right check character.

    Not `ric.validate`: its birth-place table lacks whole provinces (Jiangxi's 3611xx
    codes among them) and would refuse real people.
    """
    value = ric.compact(value or "")
    try:
        if len(value) != 18 or not value[:-1].isdigit():
            raise ValueError
        if value[-1] != ric.calc_check_digit(value):
            raise ValueError
        ric.get_birth_date(value)
        return value
    except Exception:
        raise ValidationError(
            {field: _("“%(value)s” is not a valid resident ID number.") % {"value": value}}
        ) from None


def _member_record(member: TeamMember) -> dict:
    # "id_number" is masked by audit.redact before it enters the trail.
    return {"name": member.name, "role": member.role, "id_number": member.id_number}


def _line_record(line: BudgetLine) -> dict:
    return {
        "category": line.category,
        "requested": str(line.requested),
        "self_raised": str(line.self_raised),
    }


def replace_team(user, application: Application, members: list[dict]) -> list[TeamMember]:
    """Replace the team with MEMBERS (dicts of name, unit, role, title, id_number).

    Errors name the row: {"team.2.id_number": [...]}; nothing changes unless all are valid.
    """
    if not can.can_edit_application(user, application):
        raise ValidationError(_editable_refusal(user)(application))
    errors, rows = {}, []
    for index, data in enumerate(members, 1):
        member = TeamMember(
            application=application,
            name=(data.get("name") or "").strip(),
            unit=(data.get("unit") or "").strip(),
            role=data.get("role") or TeamMember.Role.MEMBER,
            title=(data.get("title") or "").strip(),
            position=index,
        )
        try:
            member.id_number = validate_id_number(data.get("id_number"), "id_number")
            member.full_clean(exclude=["application"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[f"team.{index}.{name}"] = messages
        rows.append(member)
    leaders = sum(1 for m in rows if m.role == TeamMember.Role.LEADER)
    if rows and leaders != 1:
        errors["team"] = [_("The team needs exactly one project leader.")]
    if errors:
        raise ValidationError(errors)
    with audit.writing():
        fresh = _locked(application, _editable_refusal(user))
        before = [_member_record(m) for m in fresh.team.all()]
        fresh.team.all().delete()
        TeamMember.objects.bulk_create(rows)
        audit.record(
            "projects.application.team",
            obj=fresh,
            before={"members": before},
            after={"members": [_member_record(m) for m in rows]},
        )
    return rows


def replace_budget(user, application: Application, lines: list[dict]) -> list[BudgetLine]:
    """Replace the budget with LINES (category, requested, self_raised), one per category.

    The requested total must stay within the call's ceiling. Errors name the row.
    """
    if not can.can_edit_application(user, application):
        raise ValidationError(_editable_refusal(user)(application))
    errors, rows, seen = {}, [], set()
    for index, data in enumerate(lines, 1):
        line = BudgetLine(
            application=application,
            category=data.get("category"),
            requested=data.get("requested") or Decimal("0"),
            self_raised=data.get("self_raised") or Decimal("0"),
        )
        try:
            line.full_clean(exclude=["application"], validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[f"budget.{index}.{name}"] = messages
        if line.category in seen:
            errors[f"budget.{index}.category"] = [_("Each category appears once.")]
        seen.add(line.category)
        rows.append(line)
    if not errors:
        requested = sum((line.requested for line in rows), Decimal("0"))
        if requested > application.call.budget_ceiling:
            errors["budget"] = [
                _("The budget asks for %(requested)s yuan; this call allows at most %(ceiling)s.")
                % {"requested": requested, "ceiling": application.call.budget_ceiling}
            ]
    if errors:
        raise ValidationError(errors)
    with audit.writing():
        fresh = _locked(application, _editable_refusal(user))
        before = [_line_record(b) for b in fresh.budget_lines.all()]
        fresh.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(rows)
        audit.record(
            "projects.application.budget",
            obj=fresh,
            before={"lines": before},
            after={"lines": [_line_record(b) for b in rows]},
        )
    return rows


def submit_application(user, application: Application) -> tuple[Application, bool]:
    """Submit (or resubmit) APPLICATION; return it and whether this call submitted it.

    Idempotent: a double click or a retried request finds it already submitted and
    returns (application, False) without a second event.
    """
    action = "resubmit" if application.state == Application.State.RETURNED else "submit"
    try:
        return (
            APPLICATION_WORKFLOW.apply(user, application, action, expected_state=application.state),
            True,
        )
    except TransitionError as exc:
        # stale_state: a double click with the page's copy; invalid_state: a retried
        # request that loaded the application already submitted.
        if exc.code not in ("stale_state", "invalid_state"):
            raise
        fresh = Application.objects.get(pk=application.pk)
        if fresh.state == Application.State.SUBMITTED and can.is_own_application(user, fresh):
            return fresh, False
        raise


# Integrity record.
def record_integrity_penalty(user, data: dict) -> IntegrityPenalty:
    """Record a research-integrity penalty on a unit or a person (by ID number)."""
    penalty = IntegrityPenalty(
        bureau=user.bureau,
        organization=data.get("organization"),
        person_name=(data.get("person_name") or "").strip(),
        reason=(data.get("reason") or "").strip(),
        starts_on=data.get("starts_on"),
        ends_on=data.get("ends_on"),
    )
    errors = {}
    if data.get("id_number"):
        try:
            penalty.id_number = validate_id_number(data["id_number"], "id_number")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if penalty.organization is None and not penalty.id_number:
        errors["organization"] = [_("Name the organization or the person's ID number.")]
    if penalty.starts_on and penalty.ends_on and penalty.ends_on < penalty.starts_on:
        errors["ends_on"] = [_("The penalty must end after it starts.")]
    if errors:
        raise ValidationError(errors)
    _save(
        penalty,
        "projects.integrity.create",
        ("organization", "person_name", "reason", "starts_on", "ends_on"),
    )
    return penalty


# Projects.
def _check_project_dates(project: Project, before: dict) -> None:
    if project.start_on and project.end_on and project.end_on <= project.start_on:
        raise ValidationError({"end_on": _("The project must end after it starts.")})


def update_task_book(user, project: Project, data: dict) -> Project:
    """Fill in the task book while it is being agreed."""
    return _update(
        project,
        "projects.project.task_book",
        TASK_BOOK_FIELDS,
        data,
        refusal=lambda fresh: (
            None
            if can.can_edit_task_book(user, fresh)
            else _("The task book can only change before it is signed.")
        ),
        check=_check_project_dates,
    )


def record_midterm_check(user, project: Project, result: str, note: str) -> Project:
    """The officer's mid-term check on a project under way."""
    project = Project.objects.get(pk=project.pk)
    if not can.can_record_midterm(user, project):
        raise ValidationError(_("Only a project under way has a mid-term check."))
    if result not in Project.MidtermResult.values:
        raise ValidationError({"result": _("Choose the result of the check.")})
    with audit.writing():
        project.midterm_result = result
        project.midterm_note = (note or "").strip()
        project.midterm_checked_at = timezone.now()
        project.save(update_fields=["midterm_result", "midterm_note", "midterm_checked_at"])
        project.milestones.filter(kind=Milestone.Kind.MIDTERM, done_at__isnull=True).update(
            done_at=timezone.now()
        )
        audit.record(
            "projects.project.midterm", obj=project, after={"result": result, "note": note}
        )
    return project


def submit_progress_report(user, project: Project, data: dict) -> ProgressReport:
    """The unit reports progress; the earliest open progress-report milestone is done."""
    if not can.can_report_progress(user, project):
        raise ValidationError(_("Progress is reported by the unit while the project is under way."))
    report = ProgressReport(
        project=project,
        period=(data.get("period") or "").strip(),
        progress=(data.get("progress") or "").strip(),
        spent=data.get("spent") or Decimal("0"),
        problems=(data.get("problems") or "").strip(),
        submitted_by=user,
    )
    report.full_clean(exclude=["milestone"])
    with audit.writing():
        milestone = (
            # Locked: two reports sent at once take two milestones, not the same one.
            project.milestones.select_for_update()
            .filter(kind=Milestone.Kind.PROGRESS_REPORT, done_at__isnull=True)
            .order_by("due_on")
            .first()
        )
        if milestone is not None:
            milestone.done_at = timezone.now()
            milestone.save(update_fields=["done_at"])
            report.milestone = milestone
        report.save()
        audit.record(
            "projects.project.progress_report",
            obj=project,
            after={"report": report.pk, "period": report.period, "spent": str(report.spent)},
        )
    return report


def due_milestones(queryset, today: dt.date | None = None, within_days: int = 14):
    """Open milestones of the given projects that are overdue or due within WITHIN_DAYS."""
    today = today or timezone.localdate()
    return (
        Milestone.objects.filter(
            project__in=queryset.filter(state__in=Project.OPEN_STATES),
            done_at__isnull=True,
            due_on__lte=today + dt.timedelta(days=within_days),
        )
        .select_related("project", "project__organization")
        .order_by("due_on")
    )
