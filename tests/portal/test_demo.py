"""The demo county's portal: notices of the seed's years, one running now with an objection
being handled, petitions in every state, a second load that adds nothing, and an audit
chain that verifies.

The demo is loaded once for the module inside a transaction rolled back at the end; each
test runs in a savepoint.
"""

import datetime as dt
import time
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from keguan.accounts.models import User
from keguan.audit.chain import verify
from keguan.audit.models import AuditEvent
from keguan.core import demo
from keguan.portal import demo as portal_demo
from keguan.portal import services
from keguan.portal.calendar import is_working_day
from keguan.portal.models import Notice, NoticeItem, NoticeKind, Objection, Petition
from keguan.portal.permissions import visible_petitions
from keguan.portal.workflow import NOTICE_WORKFLOW
from keguan.projects.models import Application

pytestmark = pytest.mark.django_db

N = Notice.State
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def last_working_day() -> dt.date:
    """Today, or the last working day of this year before it (the next one in a New Year
    holiday): objections are taken from a period's first day, so a demo loaded on a
    weekend has none to show."""
    today = timezone.localdate()
    days = [today - dt.timedelta(days=n) for n in range(15)]
    days += [today + dt.timedelta(days=n) for n in range(1, 15)]
    return next(d for d in days if d.year == today.year and is_working_day(d)[0])


@pytest.fixture(scope="module", autouse=True)
def demo_county(django_db_setup, django_db_blocker, tmp_path_factory):
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DATA_DIR=tmp_path_factory.mktemp("data"),
    )
    moment = dt.datetime.combine(last_working_day(), dt.time(10), SHANGHAI)
    with django_db_blocker.unblock(), fast, transaction.atomic():
        # The demo is loaded on a working day at ten, then the tests run at the real time.
        with time_machine.travel(moment, tick=True):
            demo.load()
        yield
        transaction.set_rollback(True)


def officer() -> User:
    return User.objects.get(username="officer")


def inspector() -> User:
    return User.objects.get(username="inspector")


def test_project_approval_notices_of_every_year_of_the_seed_have_ended_in_their_year():
    notices = Notice.objects.filter(kind=NoticeKind.PROJECT_APPROVAL, state=N.ENDED)
    years = {n.starts_on.year for n in notices}
    assert years == set(range(2006, 2012))
    for notice in notices:
        assert notice.starts_on <= notice.ends_on < notice.ended_at.date()
        assert notice.published_at.year == notice.starts_on.year
        assert notice.items.exists()
        for item in notice.items.select_related("application"):
            assert item.application.state == Application.State.APPROVED
            assert item.amount == item.application.granted_amount
            assert item.unit == item.application.organization.name
            assert item.person_name == ""
            assert item.state == NoticeItem.State.MOVED_ON


def test_a_historical_period_counts_its_working_days_by_the_official_calendar():
    from keguan.portal.calendar import working_days_between

    for notice in Notice.objects.filter(state=N.ENDED):
        assert working_days_between(notice.starts_on, notice.ends_on) == notice.working_days
        assert not notice.calendar_estimated


def test_award_notices_name_the_seeds_people_and_units():
    awards = Notice.objects.filter(kind=NoticeKind.AWARD, state=N.ENDED)
    assert {n.starts_on.year for n in awards} == {2008, 2009, 2010}
    yang = NoticeItem.objects.filter(notice__in=awards, person_name="杨玉梁")
    assert yang.filter(unit="四股桥特种水稻研究开发中心", notice__starts_on__year=2009).exists()
    assert not NoticeItem.objects.filter(notice__in=awards, person_name="").exists()


def test_imported_notices_say_so_in_the_trail():
    notice = Notice.objects.filter(state=N.ENDED).first()
    events = AuditEvent.objects.filter(object_type="portal.notice", object_id=str(notice.pk))
    actions = list(events.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == [
        "portal.notice.publish",
        "portal.notice.end",
        "portal.notice.import_history",
    ]
    event = events.get(action="portal.notice.import_history")
    assert event.after["starts_on"] == str(notice.starts_on)
    assert event.before["starts_on"] != event.after["starts_on"]


def test_one_notice_runs_now_with_an_objection_being_investigated():
    # The Party branch's demo publishes its own disclosure as a notice too.
    running = Notice.objects.exclude(kind=NoticeKind.PARTY_AFFAIRS).get(state=N.RUNNING)
    loaded_on = last_working_day()
    assert running.starts_on == loaded_on and running.ends_on > loaded_on
    today = timezone.localdate()
    assert running.kind == NoticeKind.PROJECT_APPROVAL
    for item in running.items.select_related("application"):
        assert item.application.state == Application.State.IN_NOTICE
        assert item.application.call.year == today.year
    objection = Objection.objects.get(notice=running)
    assert objection.state == Objection.State.INVESTIGATING
    assert objection.handled_by == officer()
    assert objection.item.state == NoticeItem.State.HELD
    assert services.awaiting_notice(officer()).count() == 0


def test_the_objection_is_recorded_without_an_account_and_its_identity_only_on_request():
    objection = Objection.objects.get()
    submitted = AuditEvent.objects.get(action="portal.objection.submit")
    assert submitted.actor_username == "anonymous"
    assert objection.name not in str(submitted.after)
    assert services.reveal_objector(inspector(), objection)["name"] == objection.name


def test_petitions_are_in_every_state():
    petitions = Petition.objects.all()
    S = Petition.State
    assert {p.state for p in petitions} == {S.RECEIVED, S.ACKNOWLEDGED, S.CONCLUDED}
    concluded = petitions.get(state=S.CONCLUDED)
    assert concluded.reply and concluded.concluded_at and concluded.assigned_to == inspector()
    assert petitions.filter(state=S.ACKNOWLEDGED, assigned_to=inspector()).count() >= 2
    extended = petitions.exclude(extension_reason="").get()
    assert extended.conclude_due == extended.acknowledge_due + dt.timedelta(days=75)
    anonymous = petitions.get(anonymous=True)
    assert anonymous.name == "" and anonymous.contact == ""
    named = petitions.exclude(concerns=None).get()
    assert named.concerns.username == "member"
    member = User.objects.get(username="member")
    assert named not in visible_petitions(member)
    assert named in visible_petitions(inspector())


def test_a_tracking_code_to_try_finds_the_concluded_petition():
    code = demo.tracking_code()
    assert code
    petition = services.lookup(code)
    assert petition.state == Petition.State.CONCLUDED and petition.reply


def test_a_second_load_adds_nothing_and_is_quick():
    models = (Notice, NoticeItem, Objection, Petition, AuditEvent)
    before = {m.__name__: m.objects.count() for m in models}
    started = time.monotonic()
    code = portal_demo.load()
    assert time.monotonic() - started < 5
    assert code == demo.tracking_code()
    demo.load()
    assert {m.__name__: m.objects.count() for m in models} == before


def test_the_portal_demo_loads_afresh_over_the_loaded_county():
    """The portal's rows removed inside the test's savepoint (and the kept tracking code
    restored after), then loaded again: one notice runs. (How long it takes is the
    benchmark's business, not a unit test's.)"""
    from keguan.audit import services as audit

    kept = portal_demo._code_path().read_text(encoding="utf-8")
    with audit.writing():
        Objection.objects.all().delete()
        # The Party branch's own disclosure notice stays: its item points at it.
        ours = Notice.objects.exclude(kind=NoticeKind.PARTY_AFFAIRS)
        NoticeItem.objects.filter(notice__in=ours).delete()
        ours.delete()
        Petition.objects.all().delete()
        audit.record("test.portal.reset")
    try:
        portal_demo.load()
    finally:
        portal_demo._code_path().write_text(kept, encoding="utf-8")
    assert (
        Notice.objects.exclude(kind=NoticeKind.PARTY_AFFAIRS).filter(state=N.RUNNING).count() == 1
    )


def test_the_audit_chain_of_the_demo_verifies():
    result = verify()
    assert result.ok, result.problem


def test_backdating_is_refused_for_an_ended_notice_a_future_period_or_an_inspector():
    ended = Notice.objects.filter(state=N.ENDED).first()
    with pytest.raises(ValidationError):
        services.backdate_notice_for_import(officer(), ended, dt.date(2007, 5, 8))
    draft = services.create_notice(officer(), {"kind": NoticeKind.OTHER, "title": "测试公示"})
    services.replace_items(officer(), draft, [{"title": "一项"}])
    running = NOTICE_WORKFLOW.apply(officer(), draft, "publish")
    with pytest.raises(ValidationError):
        services.backdate_notice_for_import(officer(), running, timezone.localdate())
    with pytest.raises(ValidationError):
        services.backdate_notice_for_import(inspector(), running, dt.date(2007, 5, 8))
    running.refresh_from_db()
    assert running.state == N.RUNNING and running.starts_on >= timezone.localdate()
