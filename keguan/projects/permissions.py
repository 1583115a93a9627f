"""Who may see and do what with calls, candidates, applications and projects.

Every queryset that reaches a user starts from a `visible_*` function here. Bureau-wide
roles see their jurisdiction's subtree; applicants see their own organization's records;
everyone else sees nothing (experts get their drawn applications in the review app).
"""

from django.db.models import QuerySet

from keguan.accounts.models import Bureau
from keguan.accounts.permissions import has_role, in_jurisdiction
from keguan.accounts.roles import BUREAU_WIDE_ROLES, Role
from keguan.projects.models import Application, Call, Candidate, Program, Project


def _bureau_wide(user) -> bool:
    return has_role(user, *BUREAU_WIDE_ROLES) and user.bureau_id is not None


def _applicant(user) -> bool:
    return has_role(user, Role.APPLICANT) and user.organization_id is not None


def is_officer(user) -> bool:
    return has_role(user, Role.OFFICER) and user.bureau_id is not None


def _officer_over(user, record) -> bool:
    """An officer whose jurisdiction holds RECORD (anything with a `bureau`)."""
    return is_officer(user) and in_jurisdiction(user, record.bureau)


def _staff_over(user, record) -> bool:
    """Any bureau-wide role whose jurisdiction holds RECORD."""
    return _bureau_wide(user) and in_jurisdiction(user, record.bureau)


# Pages listing the jurisdiction's records (programs, integrity) and the pages shared with
# applicants (calls, reserve pool).
def can_list_programs(user) -> bool:
    return _bureau_wide(user)


def can_list_calls(user) -> bool:
    return _bureau_wide(user) or _applicant(user)


def can_list_candidates(user) -> bool:
    return _bureau_wide(user) or _applicant(user)


def can_read_integrity(user) -> bool:
    return _bureau_wide(user)


# Programs and calls.
def visible_programs(user) -> QuerySet[Program]:
    if _bureau_wide(user):
        return Program.objects.filter(bureau__path__startswith=user.bureau.path)
    return Program.objects.none()


def can_manage_programs(user) -> bool:
    return is_officer(user)


def visible_calls(user) -> QuerySet[Call]:
    """Officers see every call of their jurisdiction; applicants see the published calls
    of their own bureau and the bureaus above it."""
    if _bureau_wide(user):
        return Call.objects.filter(bureau__path__startswith=user.bureau.path)
    if _applicant(user):
        return Call.objects.filter(
            state__in=(Call.State.PUBLISHED,), bureau__path__in=user.organization.bureau.paths_up()
        )
    return Call.objects.none()


def open_calls_for(user) -> QuerySet[Call]:
    """Open calls the applicant's organization may apply to now."""
    if not _applicant(user):
        return Call.objects.none()
    return visible_calls(user).open_at().admitting(user.organization.kind)


def can_manage_call(user, call: Call) -> bool:
    return _officer_over(user, call)


def can_create_call(user) -> bool:
    return is_officer(user)


# The reserve pool.
def visible_candidates(user) -> QuerySet[Candidate]:
    if _bureau_wide(user):
        return Candidate.objects.filter(bureau__path__startswith=user.bureau.path)
    if _applicant(user):
        return Candidate.objects.filter(organization_id=user.organization_id)
    return Candidate.objects.none()


def can_create_candidate(user) -> bool:
    return is_officer(user) or _applicant(user)


def can_edit_candidate(user, candidate: Candidate) -> bool:
    if candidate.state not in Candidate.OPEN_STATES:
        return False
    if _officer_over(user, candidate):
        return True
    return _applicant(user) and user.organization_id == candidate.organization_id


def can_guide_candidate(user, candidate: Candidate) -> bool:
    """Officers move candidates through the pool and log the help they give."""
    return _officer_over(user, candidate)


# Applications.
def visible_applications(user) -> QuerySet[Application]:
    if _bureau_wide(user):
        return Application.objects.filter(bureau__path__startswith=user.bureau.path)
    if _applicant(user):
        return Application.objects.filter(organization_id=user.organization_id)
    return Application.objects.none()


def can_list_applications(user) -> bool:
    """The application list: the bureau's people for their jurisdiction, applicants for
    their own organization."""
    return _bureau_wide(user) or _applicant(user)


def can_apply(user) -> bool:
    """Starting applications is for applicants bound to an organization; the call and the
    service decide the rest (window, eligible kinds)."""
    return _applicant(user)


def can_read_application_history(user, application: Application) -> bool:
    """The dated trail of an application (who did what, when): the bureau's own people."""
    return _staff_over(user, application)


def is_own_application(user, application: Application) -> bool:
    return _applicant(user) and user.organization_id == application.organization_id


def can_start_application(user, call: Call) -> bool:
    return (
        _applicant(user)
        and call.is_open()
        and call.admits_kind(user.organization.kind)
        and visible_calls(user).filter(pk=call.pk).exists()
    )


def can_start_application_to_listed(user, call: Call) -> bool:
    """can_start_application for a call taken from visible_calls(user): no query per row."""
    return _applicant(user) and call.is_open() and call.admits_kind(user.organization.kind)


def can_edit_application(user, application: Application) -> bool:
    return (
        is_own_application(user, application) and application.state in Application.EDITABLE_STATES
    )


def can_check_application(user, application: Application) -> bool:
    """The formal check, review records and recommending upward: an officer of the bureau."""
    return _officer_over(user, application)


def can_decide_application(user, application: Application) -> bool:
    """Funding decisions for county programs are the leadership's."""
    return (
        has_role(user, Role.LEADER)
        and user.bureau_id is not None
        and in_jurisdiction(user, application.bureau)
    )


def awaiting_decision(user) -> QuerySet[Application]:
    """Reviewed applications of county programs: what the leadership decides (the same
    reach as `can_decide_application`)."""
    if not (has_role(user, Role.LEADER) and user.bureau_id is not None):
        return Application.objects.none()
    return visible_applications(user).filter(
        state=Application.State.REVIEWED, call__program__level=Bureau.Level.COUNTY
    )


def can_download_recommendation_letter(user, application: Application) -> bool:
    """The bureau's letter exists once it recommended upward; its officers print it."""
    return application.recommended_at is not None and can_check_application(user, application)


def can_see_duplicate_hints(user, application: Application) -> bool:
    return _staff_over(user, application)


# Projects.
def visible_projects(user) -> QuerySet[Project]:
    if _bureau_wide(user):
        return Project.objects.filter(bureau__path__startswith=user.bureau.path)
    if _applicant(user):
        return Project.objects.filter(organization_id=user.organization_id)
    return Project.objects.none()


def can_list_projects(user) -> bool:
    return _bureau_wide(user) or _applicant(user)


def sees_jurisdiction(user) -> bool:
    """Bureau-wide roles: their lists filter by the jurisdiction's units and townships."""
    return _bureau_wide(user)


def can_manage_project(user, project: Project) -> bool:
    return _officer_over(user, project)


def can_record_midterm(user, project: Project) -> bool:
    """The mid-term check: an officer of the bureau, while the project is under way."""
    return _officer_over(user, project) and project.state in (
        Project.State.UNDER_WAY,
        Project.State.POSTPONED,
    )


def is_own_project(user, project: Project) -> bool:
    return _applicant(user) and user.organization_id == project.organization_id


def can_edit_task_book(user, project: Project) -> bool:
    return project.state == Project.State.CONTRACTING and (
        can_manage_project(user, project) or is_own_project(user, project)
    )


def can_report_progress(user, project: Project) -> bool:
    return is_own_project(user, project) and project.state in (
        Project.State.UNDER_WAY,
        Project.State.POSTPONED,
    )


def can_request_acceptance(user, project: Project) -> bool:
    return is_own_project(user, project) or can_manage_project(user, project)


# Integrity record.
def can_manage_integrity(user) -> bool:
    return is_officer(user)


def visible_integrity_penalties(user):
    from keguan.projects.models import IntegrityPenalty

    if _bureau_wide(user):
        return IntegrityPenalty.objects.filter(bureau__path__startswith=user.bureau.path)
    return IntegrityPenalty.objects.none()


# Attachments follow what they are attached to.
def can_read_attachment(user, attachment) -> bool:
    if attachment.application_id:
        return visible_applications(user).filter(pk=attachment.application_id).exists()
    return visible_projects(user).filter(pk=attachment.project_id).exists()


def can_upload_to_application(user, application: Application) -> bool:
    return can_edit_application(user, application)


def can_upload_to_project(user, project: Project) -> bool:
    return project.state != Project.State.CLOSED and (
        is_own_project(user, project) or can_manage_project(user, project)
    )


def can_read_statistics(user) -> bool:
    """The bureau's people read the statistics of their whole jurisdiction."""
    return _bureau_wide(user)
