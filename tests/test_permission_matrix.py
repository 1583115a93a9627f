"""Every URL, every persona: who gets the page, who gets 404, who is sent to sign in.

The test fails when a URL exists that the EXPECTED table does not list, so a new page
cannot ship without someone deciding who may open it.
"""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from keguan.audit.models import AuditEvent
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "applicant_a",
    "applicant_b",
    "officer",
    "leader",
    "expert",
    "liaison",
    "party_secretary",
    "party_member",
    "inspector",
    "sysadmin",
    "secadmin",
    "auditadmin",
]
ALL = set(PERSONAS) - {"anonymous"}
BUREAU_WIDE = {"officer", "leader", "inspector"}
APPLICANTS = {"applicant_a", "applicant_b"}
PARTY = {"party_secretary", "party_member", "inspector"}
PARTY_OVERSEERS = {"party_secretary", "inspector"}

# url name -> (kwargs builder, personas that get 200, status for the others when signed in).
# Anonymous visitors are sent to sign in (302) unless the page is public.
EXPECTED = {
    "portal:index": (None, set(PERSONAS), 200),
    "accounts:login": (None, {"anonymous"}, 302),
    "accounts:password_change": (None, ALL, 404),
    "accounts:otp_verify": (None, set(), 302),  # no device: sent to setup
    "accounts:otp_setup": (None, ALL - {"sysadmin", "secadmin", "auditadmin"}, 302),
    "accounts:profile": (None, ALL, 404),
    "core:home": (None, ALL, 404),
    "accounts:organization_list": (
        None,
        BUREAU_WIDE | {"applicant_a", "applicant_b", "liaison"},
        404,
    ),
    "accounts:organization_detail": ("org_a", BUREAU_WIDE | {"applicant_a", "liaison"}, 404),
    "accounts:organization_edit": ("org_a", {"officer", "applicant_a"}, 404),
    "accounts:organization_create": (None, {"officer"}, 404),
    "accounts:bureau_list": (None, BUREAU_WIDE | {"sysadmin", "secadmin"}, 404),
    "accounts:user_list": (None, {"sysadmin", "secadmin"}, 404),
    "accounts:user_create": (None, {"sysadmin"}, 404),
    "accounts:user_detail": ("user", {"sysadmin", "secadmin"}, 404),
    "audit:event_list": (None, {"inspector", "auditadmin"}, 404),
    "audit:event_export": (None, {"inspector", "auditadmin"}, 404),
    "audit:verify": (None, {"inspector", "auditadmin"}, 404),
    # Projects: bureau-wide roles see the jurisdiction, applicants their own unit's records.
    "projects:program_list": (None, BUREAU_WIDE, 404),
    "projects:program_create": (None, {"officer"}, 404),
    "projects:program_edit": ("program", {"officer"}, 404),
    "projects:call_list": (None, BUREAU_WIDE | APPLICANTS, 404),
    "projects:call_create": (None, {"officer"}, 404),
    "projects:call_detail": ("call", BUREAU_WIDE | APPLICANTS, 404),
    "projects:call_edit": ("call", {"officer"}, 404),
    "projects:candidate_list": (None, BUREAU_WIDE | APPLICANTS, 404),
    "projects:candidate_create": (None, {"officer"} | APPLICANTS, 404),
    "projects:candidate_detail": ("candidate", BUREAU_WIDE | {"applicant_a"}, 404),
    "projects:candidate_edit": ("candidate", {"officer", "applicant_a"}, 404),
    "projects:integrity_list": (None, BUREAU_WIDE, 404),
    "projects:statistics": (None, BUREAU_WIDE, 404),
    "projects:statistics_export": (None, BUREAU_WIDE, 404),
    "projects:integrity_create": (None, {"officer"}, 404),
    "projects:application_list": (None, BUREAU_WIDE | APPLICANTS, 404),
    "projects:application_export": (None, BUREAU_WIDE | APPLICANTS, 404),
    "projects:application_detail": ("application", BUREAU_WIDE | {"applicant_a"}, 404),
    "projects:application_edit": ("application", {"applicant_a"}, 404),
    "projects:project_list": (None, BUREAU_WIDE | APPLICANTS, 404),
    "projects:project_export": (None, BUREAU_WIDE | APPLICANTS, 404),
    "projects:project_detail": ("project", BUREAU_WIDE | {"applicant_a"}, 404),
    "projects:project_task_book": ("project", {"officer", "applicant_a"}, 404),
    "projects:disbursement_create": ("project", {"officer"}, 404),
    "funds:fund_list": (None, BUREAU_WIDE, 404),
    "funds:fund_create": (None, {"officer"}, 404),
    "funds:fund_detail": ("fund", BUREAU_WIDE, 404),
    "notifications:notification_list": (None, ALL, 404),
    "notifications:calendar": (None, ALL, 404),
    "portal:call_list": (None, set(PERSONAS), 200),
    "portal:call_detail": ("call", set(PERSONAS), 200),
    # Review: the bureau-wide roles read the pool, rounds and meetings; officers manage
    # experts and rounds; inspectors read the draws and the approach reports; an expert
    # sees only her own assignments (eve: drawn, pledged, reviewing); the applicant names
    # the units and experts to avoid.
    "review:index": (None, set(), 404),  # a way in: see SENT_ON
    "review:expert_list": (None, BUREAU_WIDE, 404),
    "review:expert_create": (None, {"officer"}, 404),
    "review:expert_detail": ("expert", BUREAU_WIDE, 404),
    "review:expert_edit": ("expert", {"officer"}, 404),
    "review:expert_fields": ("expert", {"officer"}, 404),
    "review:expert_relations": ("expert", {"officer"}, 404),
    "review:expert_penalty": ("expert", {"officer"}, 404),
    "review:round_list": (None, BUREAU_WIDE, 404),
    "review:round_create": (None, {"officer"}, 404),
    "review:round_detail": ("round", BUREAU_WIDE, 404),
    "review:round_edit": ("preparing_round", {"officer"}, 404),
    "review:round_entries": ("preparing_round", {"officer"}, 404),
    "review:rubric_edit": ("rubric", {"officer"}, 404),
    "review:draw_log": ("round", {"officer", "inspector"}, 404),
    "review:redraw": ("round_application", {"officer"}, 404),
    "review:supplement": ("round_application", {"officer"}, 404),
    "review:assignment_withdraw": ("assignment", {"officer"}, 404),
    "review:ranking": ("round", BUREAU_WIDE, 404),
    "review:ranking_export": ("round", BUREAU_WIDE, 404),
    "review:round_verify": ("round", {"officer", "inspector"}, 404),
    "review:approach_reports": (None, {"inspector"}, 404),
    "review:my_reviews": (None, {"expert"}, 404),
    "review:assignment_detail": ("assignment", {"expert"}, 404),
    "review:assignment_attachment": ("assignment_document", {"expert"}, 404),
    "review:avoidances": ("application", {"officer", "applicant_a"}, 404),
    "review:meeting_list": (None, BUREAU_WIDE, 404),
    "review:meeting_create": (None, {"officer", "leader"}, 404),
    "review:meeting_detail": ("meeting", BUREAU_WIDE, 404),
    "review:meeting_edit": ("meeting", {"officer", "leader"}, 404),
    # Cooperation agreements: the bureau's, and each applicant its own unit's.
    "enterprises:cooperation_list": (None, BUREAU_WIDE | APPLICANTS, 404),
    "enterprises:cooperation_create": (None, {"officer"}, 404),
    "enterprises:cooperation_edit": ("cooperation", {"officer"}, 404),
    # The public portal: notices, objections, petitions and disclosure need no sign-in.
    "portal:notice_list": (None, set(PERSONAS), 200),
    "portal:notice_feed": (None, set(PERSONAS), 200),
    "portal:notice_detail": ("notice", set(PERSONAS), 200),
    "portal:notice_print": ("notice", set(PERSONAS), 200),
    "portal:objection_create": ("notice", set(PERSONAS), 200),
    "portal:petition_create": (None, set(PERSONAS), 200),
    "portal:petition_track": (None, set(PERSONAS), 200),
    "portal:disclosure_index": (None, set(PERSONAS), 200),
    "portal:disclosure_year": ("disclosure_year", set(PERSONAS), 200),
    # Their handling: the bureau's people read, officers prepare notices, inspectors
    # handle petitions.
    "portal:notice_admin_list": (None, BUREAU_WIDE, 404),
    "portal:notice_admin_detail": ("notice", BUREAU_WIDE, 404),
    "portal:notice_create": (None, {"officer"}, 404),
    "portal:notice_from_applications": (None, {"officer"}, 404),
    "portal:notice_edit": ("draft_notice", {"officer"}, 404),
    "portal:notice_items": ("draft_notice", {"officer"}, 404),
    "portal:objection_list": (None, BUREAU_WIDE, 404),
    "portal:objection_detail": ("objection", BUREAU_WIDE, 404),
    "portal:petition_list": (None, {"inspector"}, 404),
    "portal:petition_detail": ("petition", {"inspector"}, 404),
    # The Party branch: its secretary (sam) keeps it, its members (pat) see the branch's
    # common business and only their own personal records, the inspector reads everything;
    # officers and leaders declare their interests (clean government) and nothing else.
    "party:index": (None, PARTY_OVERSEERS, 404),
    "party:member_list": (None, PARTY_OVERSEERS, 404),
    "party:member_export": (None, PARTY_OVERSEERS, 404),
    "party:member_create": (None, {"party_secretary"}, 404),
    "party:member_detail": ("party_member", PARTY_OVERSEERS, 404),  # another's record
    "party:member_edit": ("party_member", {"party_secretary"}, 404),
    "party:committee": (None, PARTY, 404),
    "party:dues_index": (None, set(), 404),  # a way in: see SENT_ON
    "party:dues_mine": (None, {"party_secretary", "party_member"}, 404),
    "party:dues_sheet": (None, PARTY_OVERSEERS, 404),
    "party:dues_export": (None, PARTY_OVERSEERS, 404),
    "party:study_index": (None, PARTY, 404),
    "party:plan_list": (None, PARTY, 404),
    "party:plan_create": (None, {"party_secretary"}, 404),
    "party:plan_detail": ("study_plan", PARTY, 404),
    "party:plan_edit": ("study_plan", {"party_secretary"}, 404),
    "party:study_hours": (None, PARTY_OVERSEERS, 404),
    "party:study_hours_export": (None, PARTY_OVERSEERS, 404),
    "party:assessment_list": (None, PARTY_OVERSEERS, 404),
    "party:session_list": (None, PARTY, 404),
    "party:session_create": (None, {"party_secretary"}, 404),
    "party:session_detail": ("study_session", PARTY, 404),
    "party:session_edit": ("study_session", {"party_secretary"}, 404),
    # The QR code's page tells anyone signed in why they cannot sign in.
    "party:session_sign_in": ("study_sign_in", ALL, 404),
    "party:material_download": ("study_material", PARTY, 404),
    "party:note_download": ("study_note", PARTY, 404),  # pat's own note
    "party:leave_list": (None, PARTY, 404),
    "party:meeting_list": (None, PARTY, 404),
    "party:meeting_create": (None, {"party_secretary"}, 404),
    "party:meeting_calendar": (None, PARTY, 404),
    "party:meeting_export": (None, PARTY_OVERSEERS, 404),
    "party:meeting_detail": ("party_meeting", PARTY, 404),
    "party:meeting_edit": ("party_meeting", {"party_secretary"}, 404),
    "party:meeting_attendance": ("party_meeting", {"party_secretary"}, 404),
    "party:matter_list": (None, PARTY, 404),
    "party:matter_create": (None, {"party_secretary"}, 404),
    "party:matter_detail": ("major_matter", PARTY_OVERSEERS, 404),  # members: decided ones
    "party:matter_edit": ("major_matter", {"party_secretary"}, 404),
    "party:evaluation_list": (None, PARTY, 404),
    "party:evaluation_create": (None, {"party_secretary"}, 404),
    "party:evaluation_detail": ("open_round", PARTY, 404),
    "party:evaluation_edit": ("draft_round", {"party_secretary"}, 404),
    "party:evaluation_vote": ("open_round", {"party_secretary", "party_member"}, 404),
    "party:evaluation_grades": ("closed_round", {"party_secretary"}, 404),
    "party:evaluation_results": ("closed_round", PARTY_OVERSEERS, 404),
    "party:evaluation_result": ("round_result", PARTY_OVERSEERS, 404),  # another's result
    "party:evaluation_export": ("closed_round", PARTY_OVERSEERS, 404),
    "party:disclosure_list": (None, PARTY, 404),
    "party:disclosure_create": (None, {"party_secretary"}, 404),
    "party:disclosure_detail": ("disclosure", PARTY_OVERSEERS, 404),  # not yet published
    "party:disclosure_edit": ("disclosure", {"party_secretary"}, 404),
    "party:integrity_index": (None, PARTY | {"officer", "leader"}, 404),
    "party:letter_create": (None, {"party_secretary"}, 404),
    "party:letter_detail": ("letter", PARTY, 404),  # pat's own letter
    "party:activity_create": (None, {"party_secretary"}, 404),
    "party:activity_detail": ("activity", PARTY, 404),
    "party:declaration_list": (None, PARTY | {"officer", "leader"}, 404),
    "party:declaration_create": (None, PARTY | {"officer", "leader"}, 404),
    "party:declaration_edit": ("declaration", {"officer"}, 404),  # the officer's own
    "party:honour_list": (None, PARTY, 404),
    "party:honour_create": (None, {"party_secretary"}, 404),
    "party:honour_edit": ("honour", {"party_secretary"}, 404),
    "party:village_list": (None, PARTY, 404),
    "party:village_create": (None, {"party_secretary"}, 404),
    "party:village_detail": ("village", PARTY, 404),
    "party:village_edit": ("village", {"party_secretary"}, 404),
    "party:village_record": ("village_visit", {"party_secretary"}, 404),
    "party:relief_create": (None, {"party_secretary"}, 404),
    "party:summary_index": (None, set(), 404),  # a way in: see SENT_ON
    "party:summary": ("summary_year", PARTY_OVERSEERS, 404),
    "party:summary_export": ("summary_year", PARTY_OVERSEERS, 404),
}
# Pages that send these personas on (302) to the first page of the section they may open
# (the round list, or an expert's own reviews); the table's rule holds for the others.
SENT_ON = {
    "review:index": BUREAU_WIDE | {"expert"},
    # A member lands on their own record, dues and study; overseers on the current year.
    "party:index": {"party_member"},
    "party:member_list": {"party_member"},
    "party:dues_index": PARTY,
    "party:assessment_list": {"party_member"},
    "party:summary_index": PARTY_OVERSEERS,
}
# POST-only or machine endpoints, covered by their own tests.
COVERED_ELSEWHERE = {
    "accounts:logout": "tests/accounts/test_login.py",
    "accounts:token_revoke": "tests/accounts/test_views.py",
    "accounts:organization_action": "tests/accounts/test_views.py",
    "accounts:user_unlock": "tests/accounts/test_views.py",
    "set_language": "tests/browser/test_login_flow.py",
    "projects:call_action": "tests/projects/test_call_views.py",
    "projects:application_start": "tests/projects/test_application_views.py",
    "projects:candidate_action": "tests/projects/test_candidate_views.py",
    "projects:candidate_follow_up": "tests/projects/test_candidate_views.py",
    "projects:application_action": "tests/projects/test_application_views.py",
    "projects:application_attachment_upload": "tests/projects/test_attachments.py",
    "projects:attachment_download": "tests/projects/test_attachments.py",
    "projects:project_action": "tests/projects/test_project_views.py",
    "projects:project_midterm": "tests/projects/test_project_views.py",
    "projects:project_report": "tests/projects/test_project_views.py",
    "projects:project_attachment_upload": "tests/projects/test_project_views.py",
    "projects:recommendation_letter": "tests/projects/test_documents.py",
    "notifications:notification_read": "tests/notifications/test_notifications.py",
    "notifications:calendar_feed": "tests/notifications/test_calendar.py",
    "review:expert_action": "tests/review/test_expert_views.py",
    "review:round_action": "tests/review/test_round_views.py",
    "review:round_draw": "tests/review/test_draw_views.py",
    "review:assignment_action": "tests/review/test_assignment_views.py",
    "review:assignment_scores": "tests/review/test_assignment_views.py",
    "review:assignment_approach": "tests/review/test_assignment_views.py",
    "review:decision_stage": "tests/review/test_meeting_views.py",
    "review:decision_remove": "tests/review/test_meeting_views.py",
    "review:meeting_action": "tests/review/test_meeting_views.py",
    "portal:notice_action": "tests/portal/test_notice_admin.py",
    "portal:objection_action": "tests/portal/test_notice_admin.py",
    "portal:objection_identity": "tests/portal/test_notice_admin.py",
    "portal:objection_letter": "tests/portal/test_notice_admin.py",
    "portal:petition_action": "tests/portal/test_petitions.py",
    "portal:petition_assign": "tests/portal/test_petitions.py",
    "portal:petition_extend": "tests/portal/test_petitions.py",
    "party:member_action": "tests/party/test_member_views.py",
    "party:member_reveal_id": "tests/party/test_member_views.py",
    "party:committee_seat": "tests/party/test_member_views.py",
    "party:committee_seat_remove": "tests/party/test_post_access.py",
    "party:group_create": "tests/party/test_post_access.py",
    "party:group_rename": "tests/party/test_post_access.py",
    "party:group_delete": "tests/party/test_post_access.py",
    "party:dues_declare": "tests/party/test_member_views.py",
    "party:dues_pay": "tests/party/test_member_views.py",
    "party:dues_unpay": "tests/party/test_post_access.py",
    "party:assessment_close": "tests/party/test_study_views.py",
    "party:session_sign_member": "tests/party/test_post_access.py",
    "party:material_upload": "tests/party/test_post_access.py",
    "party:leave_create": "tests/party/test_study_views.py",
    "party:leave_action": "tests/party/test_study_views.py",
    "party:makeup_create": "tests/party/test_post_access.py",
    "party:note_submit": "tests/party/test_post_access.py",
    "party:meeting_decision_add": "tests/party/test_meetings_views.py",
    "party:meeting_decision_remove": "tests/party/test_post_access.py",
    "party:matter_decide": "tests/party/test_meetings_views.py",
    "party:matter_action": "tests/party/test_meetings_views.py",
    "party:evaluation_action": "tests/party/test_evaluation_views.py",
    "party:evaluation_self": "tests/party/test_evaluation_views.py",
    "party:evaluation_comment": "tests/party/test_evaluation_views.py",
    "party:disclosure_action": "tests/party/test_disclosure_views.py",
    "party:honour_delete": "tests/party/test_honours.py",
}


def all_url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            prefix = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from all_url_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_expected_table():
    names = {name for name in all_url_names() if not name.startswith("api:")}
    missing = names - EXPECTED.keys() - COVERED_ELSEWHERE.keys()
    assert not missing, f"decide who may open: {sorted(missing)}"
    assert not (EXPECTED.keys() - names), "the table names URLs that no longer exist"


@pytest.fixture
def records(personas, settings, tmp_path):
    """One record of each kind, of org_a in our county, for the pages that show one. A
    value is a record (its pk is the URL's) or the URL's kwargs themselves."""
    from keguan.enterprises import services as enterprises
    from keguan.projects import attachments, services
    from keguan.projects.models import AttachmentKind
    from keguan.projects.workflow import APPLICATION_WORKFLOW
    from keguan.review import services as review
    from keguan.review.models import Assignment
    from keguan.review.workflow import ASSIGNMENT_WORKFLOW
    from tests.projects.factories import (
        make_application,
        make_call,
        make_fund,
        make_id_number,
        make_program,
        pdf_upload,
        reviewed_application,
    )
    from tests.projects.states import decide, draft_meeting
    from tests.review.factories import drawn_round, make_pool

    settings.KEGUAN_ATTACHMENT_DIR = tmp_path / "attachments"
    officer = personas.officer
    program = make_program(officer)
    call = make_call(officer, program)
    fund = make_fund(officer)
    candidate = services.create_candidate(
        officer,
        personas.org_a,
        {"title": "冷水茭白", "field": "农业", "target_level": "county", "maturity": "idea"},
    )
    draft = make_application(personas.applicant_a, call)
    approved = reviewed_application(personas.applicant_a, officer, call)
    approved = decide(personas, approved, "50000", fund)  # a released meeting
    approved = APPLICATION_WORKFLOW.apply(officer, approved, "confirm", automatic=True)
    # Review: eve in the county's pool with two more experts, all three drawn for org_a's
    # checked application; eve has signed the pledge and is reviewing.
    review_call = make_call(officer, program)
    under_review = make_application(personas.applicant_a, review_call)
    document = attachments.store(
        personas.applicant_a,
        pdf_upload(),
        kind=AttachmentKind.FEASIBILITY_REPORT,
        application=under_review,
    )
    under_review = APPLICATION_WORKFLOW.apply(personas.applicant_a, under_review, "submit")
    under_review = APPLICATION_WORKFLOW.apply(officer, under_review, "pass_check")
    eve = review.create_expert(
        officer,
        {
            "name": "王教授",
            "unit": "江西农业大学",
            "title": "教授",
            "phone": "13912345678",
            "id_number": make_id_number("19650302"),
            "user": personas.expert,
        },
    )
    review.replace_fields(officer, eve, [{"discipline_code": "21040"}])
    make_pool(officer, count=2)
    round = drawn_round(officer, [under_review], per_application=3, reserves=0)
    assignment = Assignment.objects.get(round=round, expert=eve)
    assignment = ASSIGNMENT_WORKFLOW.apply(personas.expert, assignment, "pledge")
    # A round of the same call still being prepared, without applications yet.
    preparing = review.create_round(
        officer,
        review_call,
        {
            "name": "第二轮评审",
            "experts_per_application": 3,
            "reserves": 0,
            "review_deadline": round.review_deadline,
            "seed_source": "2026-11-21 福彩3D 207",
        },
    )
    # The portal: a running notice listing the approved project, an objection to it, a
    # draft notice, a petition to the county.
    from keguan.portal import services as portal
    from keguan.portal.workflow import NOTICE_WORKFLOW

    notice = portal.create_notice(officer, {"kind": "project_approval", "title": "立项公示"})
    portal.replace_items(officer, notice, [{"title": approved.title, "unit": "某单位"}])
    notice = NOTICE_WORKFLOW.apply(officer, notice, "publish")
    objection = portal.submit_objection(
        notice,
        {
            "objector": "person",
            "name": "张三",
            "contact": "13800000000",
            "text": "申报材料与实际不符。",
            "item": notice.items.get(),
        },
    )
    draft_notice = portal.create_notice(officer, {"kind": "other", "title": "拟公示"})
    petition, _code = portal.file_petition(
        officer.bureau,
        {"kind": "complaint", "anonymous": True, "subject": "反映问题", "text": "情况说明。"},
    )
    return {
        "notice": notice,
        "draft_notice": draft_notice,
        "objection": objection,
        "petition": petition,
        "disclosure_year": {"year": approved.project.year},
        "org_a": personas.org_a,
        "user": personas.officer,
        "program": program,
        "call": call,
        "fund": fund,
        "candidate": candidate,
        "application": draft,
        "project": approved.project,
        "expert": eve,
        "round": round,
        "preparing_round": preparing,
        "rubric": {"call_pk": review_call.pk},
        "round_application": {"pk": round.pk, "application_pk": under_review.pk},
        "assignment": assignment,
        "assignment_document": {"pk": assignment.pk, "attachment_pk": document.pk},
        "meeting": draft_meeting(personas.leader),
        "cooperation": enterprises.create_cooperation(
            officer,
            {
                "organization": personas.org_a,
                "partner_name": "江西农业大学",
                "title": "水稻育种合作",
                "signed_on": dt.date(2026, 3, 1),
            },
        ),
    }


@pytest.fixture
def party_records(personas, settings, tmp_path):
    """The county's branch (sam its secretary, pat a member) and one record of each kind
    of its pages; the member record is another member's, not pat's own."""
    from keguan.party.models import Grade, MajorMatter
    from keguan.party.services import affairs, affairs_integrity, affairs_village, study
    from keguan.party.services import meetings_matters as matters
    from keguan.party.workflow_evaluation import ROUND_WORKFLOW
    from tests.party.evaluation_factories import make_round, open_round, vote
    from tests.party.factories import make_member, party_personas
    from tests.party.meetings_factories import make_meeting

    settings.KEGUAN_ATTACHMENT_DIR = tmp_path / "attachments"
    branch, pat, sam = party_personas(personas)
    sam_user, year = personas.party_secretary, dt.date.today().year
    other = make_member(branch, "王大明")
    plan = study.create_plan(
        sam_user, branch, {"year": year, "required_hours": 40, "required_notes": 4, "topics": []}
    )
    session = study.create_session(
        sam_user,
        branch,
        {
            "kind": "collective",
            "topic": "深入学习实践科学发展观",
            "date": dt.date.today() - dt.timedelta(days=3),
            "starts_at": dt.time(14, 30),
            "ends_at": dt.time(16, 30),
            "hours": 2,
        },
    )
    meeting = make_meeting(sam_user, branch, present=2)
    matter = matters.create_matter(
        sam_user,
        branch,
        {
            "category": MajorMatter.Category.FUNDS,
            "title": "科技三项费年度安排",
            "amount": 650000,
            "proposed_on": dt.date.today(),
        },
    )
    draft_round = make_round(personas, branch, year=year)
    open_round_ = open_round(personas, branch, year=year - 1)
    closed_round = open_round(personas, branch, year=year - 2)
    for member in (pat, sam):
        vote(closed_round, member, default=Grade.COMPETENT)
    closed_round = ROUND_WORKFLOW.apply(sam_user, closed_round, "close")
    letter = affairs_integrity.create_letter(
        sam_user,
        {"year": year, "holder": personas.party_member, "post": "officer", "signed_on": None},
        ["廉洁自律,不收受礼品礼金"],
    )
    activity = affairs_integrity.create_activity(
        sam_user,
        {"held_on": dt.date.today(), "kind": "base_visit", "title": "参观反腐倡廉教育基地"},
        [pat, sam],
    )
    declaration = affairs_integrity.declare_interest(
        personas.officer,
        {
            "relative_name": "王芳",
            "relation": "spouse",
            "organization": personas.org_a,
            "starts_on": dt.date(2010, 1, 1),
        },
    )
    village = affairs_village.create_village(
        sam_user, {"name": "塘背村", "township": "双明镇", "households": 412, "poor_households": 57}
    )
    from tests.projects.factories import pdf_upload

    material = study.add_material(sam_user, session, pdf_upload())
    study.sign_in_member(sam_user, session, pat, "补登")
    note = study.submit_note(personas.party_member, session, "学习心得", pdf_upload())
    return {
        "study_material": material,
        "study_note": note,
        "party_member": other,
        "study_plan": plan,
        "study_session": session,
        "study_sign_in": {"pk": session.pk, "token": session.token},
        "party_meeting": meeting,
        "major_matter": matter,
        "draft_round": draft_round,
        "open_round": open_round_,
        "closed_round": closed_round,
        "round_result": {"pk": closed_round.pk, "member_pk": other.pk},
        "disclosure": affairs.propose_disclosure(
            sam_user,
            {"title": "党费收缴使用情况公开", "body": "全部按规定上缴。", "scope": "branch"},
        ),
        "letter": letter,
        "activity": activity,
        "declaration": declaration,
        "honour": affairs.create_honour(
            sam_user,
            {"year": 2010, "title": "先进集体", "granted_by": "省科技厅", "recipient": "bureau"},
        ),
        "village": village,
        "village_visit": {"pk": village.pk, "what": "visit"},
        "summary_year": {"year": year},
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_persona_gets_what_the_table_says(client, personas, name, request):
    arg, allowed, otherwise = EXPECTED[name]
    kwargs = {}
    # The party pages need the branch and its members even without a record in the URL.
    party = request.getfixturevalue("party_records") if name.startswith("party:") else None
    if arg:
        record = (party or request.getfixturevalue("records"))[arg]
        kwargs = record if isinstance(record, dict) else {"pk": record.pk}
    url = reverse(name, kwargs=kwargs)
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            sign_in(client, getattr(personas, persona))
        status = client.get(url).status_code
        if persona in allowed:
            expected = 200
        elif persona == "anonymous" or persona in SENT_ON.get(name, ()):
            expected = 302
        else:
            expected = otherwise
        assert status == expected, f"{persona} on {name}: {status}, expected {expected}"


def test_a_refused_look_is_audited(client, personas):
    sign_in(client, personas.applicant_b)
    url = reverse("accounts:organization_detail", kwargs={"pk": personas.org_a.pk})
    assert client.get(url).status_code == 404
    event = AuditEvent.objects.filter(action="access.denied").latest("seq")
    assert event.actor_username == "bob"
    assert event.object_id == str(personas.org_a.pk)


def test_an_officer_never_sees_another_countys_organization(client, personas):
    sign_in(client, personas.officer)
    url = reverse("accounts:organization_detail", kwargs={"pk": personas.org_far.pk})
    assert client.get(url).status_code == 404
    listing = client.get(reverse("accounts:organization_list"))
    assert personas.org_far.name not in listing.content.decode()


def test_a_city_officer_sees_the_counties_below(client, personas):
    sign_in(client, personas.city_officer)
    for org in (personas.org_a, personas.org_far):
        url = reverse("accounts:organization_detail", kwargs={"pk": org.pk})
        assert client.get(url).status_code == 200
