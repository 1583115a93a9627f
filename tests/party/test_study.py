"""The study system's rules: QR sign-in window, hours, the quarterly assessment, reminders."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from keguan.notifications.models import Notification
from keguan.party.models import Assessment, StudyAttendance, StudySession
from keguan.party.services import study as services
from keguan.party.services import study_assessment as assessment
from keguan.party.tasks_study import remind_missing_hours
from tests.core.test_faults_disk import big_pdf, full_disk  # noqa: F401  (a fixture)
from tests.factories import make_user
from tests.party.factories import make_branch, make_member, party_personas

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture
def party(personas):
    branch, pat, sam = party_personas(personas)
    return personas, branch, pat, sam


def make_session(branch, day=dt.date(2011, 3, 10), kind=StudySession.Kind.COLLECTIVE, hours="2"):
    return services.create_session(
        None,
        branch,
        {
            "kind": kind,
            "topic": "深入学习实践科学发展观",
            "date": day,
            "starts_at": dt.time(14, 30),
            "ends_at": dt.time(16, 30),
            "hours": Decimal(hours),
        },
    )


def make_plan(branch, year=2011, hours="40", notes=4):
    return services.create_plan(
        None,
        branch,
        {"year": year, "required_hours": Decimal(hours), "required_notes": notes, "topics": []},
    )


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        (at(2011, 3, 10, 13, 59), False),
        (at(2011, 3, 10, 14, 0), True),
        (at(2011, 3, 10, 15, 0), True),
        (at(2011, 3, 10, 16, 30), True),
        (at(2011, 3, 10, 16, 31), False),
    ],
)
def test_qr_sign_in_is_accepted_only_from_half_an_hour_before_the_start_to_the_end(
    party, moment, accepted
):
    personas, branch, pat, _sam = party
    session = make_session(branch)
    with time_machine.travel(moment, tick=False):
        if accepted:
            services.sign_in(personas.party_member, session, session.token)
        else:
            with pytest.raises(ValidationError):
                services.sign_in(personas.party_member, session, session.token)
    assert session.attendance.filter(member=pat).exists() == accepted


def test_a_wrong_token_signs_nobody_in(party):
    personas, branch, _pat, _sam = party
    session = make_session(branch)
    with (
        time_machine.travel(at(2011, 3, 10, 14, 40), tick=False),
        pytest.raises(ValidationError, match="not valid|无效|無效"),
    ):
        services.sign_in(personas.party_member, session, "x" * 43)
    assert not session.attendance.exists()


def test_a_member_signs_in_once_only(party):
    personas, branch, pat, _sam = party
    session = make_session(branch)
    with time_machine.travel(at(2011, 3, 10, 14, 40), tick=False):
        first = services.sign_in(personas.party_member, session, session.token)
        with pytest.raises(ValidationError):
            services.sign_in(personas.party_member, session, session.token)
    assert list(session.attendance.values_list("pk", flat=True)) == [first.pk]
    assert first.how == StudyAttendance.How.QR and first.hours == Decimal("2.0")


def test_someone_without_a_member_record_in_the_branch_cannot_sign_in(party):
    personas, branch, _pat, _sam = party
    session = make_session(branch)
    outsider = make_user("otto", ["party_member"], personas.bureaus.neighbour)
    make_member(make_branch(personas.bureaus.neighbour), "邻县党员", user=outsider)
    with time_machine.travel(at(2011, 3, 10, 14, 40), tick=False):
        for user in (outsider, personas.officer):
            with pytest.raises(ValidationError):
                services.sign_in(user, session, session.token)
    assert not session.attendance.exists()


def test_the_secretary_signing_in_after_the_session_must_give_a_reason(party):
    personas, branch, pat, _sam = party
    session = make_session(branch)
    with time_machine.travel(at(2011, 3, 11, 9, 0), tick=False):
        with pytest.raises(ValidationError):
            services.sign_in_member(personas.party_secretary, session, pat)
        assert not session.attendance.exists()
        done = services.sign_in_member(personas.party_secretary, session, pat, "忘记扫码")
    assert done.how == StudyAttendance.How.SECRETARY and done.reason == "忘记扫码"


def test_hours_add_up_per_member_and_year_in_one_query(party, django_assert_num_queries):
    personas, branch, pat, sam = party
    s1 = make_session(branch, dt.date(2011, 3, 10))
    s2 = make_session(branch, dt.date(2011, 4, 10), hours="3")
    old = make_session(branch, dt.date(2010, 4, 10), hours="5")
    for session in (s1, s2, old):
        services.sign_in_member(None, session, pat, "补登", now=session.end + dt.timedelta(days=1))
    services.sign_in_member(None, s1, sam, now=s1.start)
    with django_assert_num_queries(1):
        rows = {m.pk: m for m in services.hours_by_member(branch, 2011)}
    assert rows[pat.pk].hours == Decimal("5.0") and rows[pat.pk].sessions == 2
    assert rows[sam.pk].hours == Decimal("2.0")


def test_the_assessment_ranks_members_by_attendance_hours_and_notes(party):
    personas, branch, pat, sam = party
    make_plan(branch, hours="16", notes=4)  # Q1 asks 4 hours and 1 note
    s1 = make_session(branch, dt.date(2011, 2, 10))
    s2 = make_session(branch, dt.date(2011, 3, 10))
    for session in (s1, s2):
        services.sign_in_member(None, session, pat, now=session.start)
    services.sign_in_member(None, s1, sam, now=s1.start)
    with time_machine.travel(at(2011, 3, 11, 9, 0), tick=False):
        services.submit_note(personas.party_member, s1, "学习心得")
    rows = assessment.compute(branch, 2011, 1)
    by_member = {r.member.pk: r for r in rows}
    assert by_member[pat.pk].score == Decimal("100.0") and by_member[pat.pk].rank == 1
    # Sam: 1 of 2 sessions (20), 2 of 4 hours (20), no notes (0).
    assert by_member[sam.pk].score == Decimal("40.0") and by_member[sam.pk].rank == 2


def test_an_approved_leave_does_not_lower_the_attendance_rate(party):
    personas, branch, pat, sam = party
    make_plan(branch)
    session = make_session(branch, dt.date(2011, 3, 10))
    leave = services.ask_leave(personas.party_member, session, "出差", now=at(2011, 3, 9))
    from keguan.party.workflow_study import LEAVE_WORKFLOW

    LEAVE_WORKFLOW.apply(personas.party_secretary, leave, "approve")
    rows = {r.member.pk: r for r in assessment.compute(branch, 2011, 1)}
    assert rows[pat.pk].attendance_rate == Decimal("100.0")
    assert rows[sam.pk].attendance_rate == Decimal("0.0")


def test_a_closed_quarter_keeps_its_scores_and_closes_once(party):
    personas, branch, pat, sam = party
    make_plan(branch)
    session = make_session(branch, dt.date(2011, 3, 10))
    with pytest.raises(ValidationError):
        assessment.close_quarter(personas.party_secretary, branch, 2011, 1, dt.date(2011, 3, 31))
    assessment.close_quarter(personas.party_secretary, branch, 2011, 1, dt.date(2011, 4, 1))
    services.sign_in_member(None, session, pat, "补登", now=at(2011, 4, 2))
    stored = Assessment.objects.get(member=pat, close__quarter=1)
    assert stored.sessions_attended == 0 and stored.hours == Decimal("0.0")
    with pytest.raises(ValidationError):
        assessment.close_quarter(personas.party_secretary, branch, 2011, 1, dt.date(2011, 4, 2))
    assert Assessment.objects.filter(close__quarter=1).count() == 2


def test_members_behind_are_reminded_once_a_quarter_and_the_secretary_is_told(
    party, django_capture_on_commit_callbacks
):
    personas, branch, pat, sam = party
    make_plan(branch, hours="40")
    session = make_session(branch, dt.date(2011, 5, 10), hours="20")
    services.sign_in_member(None, session, sam, now=session.start)
    mine = Notification.objects.filter(user=personas.party_member)
    with time_machine.travel(at(2011, 4, 10, 8, 0), tick=False):
        assert remind_missing_hours.call() == 0  # too early in the quarter
    with time_machine.travel(at(2011, 5, 20, 8, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_missing_hours.call() == 1  # pat: 0 of 15.3 hours; sam is ahead
        assert mine.count() == 1
        told = Notification.objects.filter(user=personas.party_secretary).first()
        assert told is not None and "潘安涛" in told.body
        assert remind_missing_hours.call() == 0
    with time_machine.travel(at(2011, 8, 20, 8, 0), tick=False):
        assert remind_missing_hours.call() == 2  # a new quarter; sam is behind by now too
    assert mine.count() == 2


def test_the_demo_fills_two_years_once(party):
    from keguan.party import demo_study
    from keguan.party.models import LeaveRequest, QuarterClose, StudyPlan

    _personas, branch, _pat, _sam = party
    with time_machine.travel(at(2011, 5, 20, 8, 0), tick=False):
        demo_study.load(branch, dt.date(2011, 5, 20))
        demo_study.load(branch, dt.date(2011, 5, 20))
    assert StudyPlan.objects.filter(branch=branch).count() == 2
    assert QuarterClose.objects.filter(branch=branch).count() == 5
    assert LeaveRequest.objects.filter(state=LeaveRequest.State.APPROVED).exists()
    assert StudyAttendance.objects.filter(how=StudyAttendance.How.MAKE_UP).exists()


def test_the_file_sweep_keeps_session_materials(party, settings, tmp_path):
    """Materials live in the attachment folder like every upload: the orphan sweep must
    see their rows, or it would delete them a day later."""
    from keguan.core import files
    from tests.projects.factories import pdf_upload

    _personas, branch, _pat, sam = party
    settings.KEGUAN_ATTACHMENT_DIR = tmp_path
    material = services.add_material(sam.user, make_session(branch), pdf_upload())
    assert material.stored_name in files.referenced_names()
    assert (tmp_path / material.stored_name).is_file()
    assert files.orphaned_files(older_than=dt.timedelta(0)) == []


@pytest.mark.usefixtures("full_disk")
def test_a_full_disk_refuses_a_session_material_plainly_and_keeps_nothing(
    party, settings, tmp_path
):
    from django.core.exceptions import ValidationError

    from keguan.core import files
    from keguan.party.models import SessionMaterial

    _personas, branch, _pat, sam = party
    settings.KEGUAN_ATTACHMENT_DIR = tmp_path
    session = make_session(branch)
    with pytest.raises(ValidationError) as refused:
        services.add_material(sam.user, session, big_pdf())
    assert refused.value.message_dict["file"] == [files.no_room_message()]
    assert not SessionMaterial.objects.exists()
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []
