"""Rules of notices that guard the items: one notice per application, withdrawn items stay
withdrawn, anyone who may handle an objection can close it after the end, and the hourly
end needs no particular person."""

import pytest
from django.core.exceptions import ValidationError

from keguan.accounts.models import User
from keguan.audit import services as audit
from keguan.core.workflow import TransitionError
from keguan.portal import services
from keguan.portal.models import Notice, NoticeItem, Objection
from keguan.portal.workflow import NOTICE_WORKFLOW, OBJECTION_WORKFLOW
from keguan.projects.models import Application
from tests.factories import make_user
from tests.portal.test_notice_admin import after_the_period, notice_in_notice_for, object_to
from tests.projects.states import application_in

pytestmark = pytest.mark.django_db
A = Application.State


def test_an_application_cannot_be_listed_by_two_published_notices(personas):
    p = personas
    notice, application = notice_in_notice_for(p)
    second = services.create_notice(p.officer, {"kind": "project_approval", "title": "重复公示"})
    services.replace_items(
        p.officer, second, [{"title": application.title, "application": application}]
    )
    with pytest.raises(TransitionError):
        NOTICE_WORKFLOW.apply(p.officer, second, "publish")
    assert Notice.objects.get(pk=second.pk).state == Notice.State.DRAFT


def test_an_inspector_dismissing_after_the_end_moves_the_item_on(personas):
    p = personas
    notice, application = notice_in_notice_for(p)
    objection = object_to(notice, item=notice.items.get())
    with after_the_period(notice):
        services.end_due_notices()
        objection = OBJECTION_WORKFLOW.apply(p.inspector, objection, "investigate")
        OBJECTION_WORKFLOW.apply(p.inspector, objection, "dismiss", {"note": "经核查不属实。"})
    application.refresh_from_db()
    assert application.state == A.APPROVED


def test_the_end_runs_when_the_notices_officer_has_left(personas):
    p = personas
    officer = make_user("leaver", ["officer"], p.officer.bureau)
    application = application_in(p, A.IN_NOTICE)
    notice = services.notice_for_applications(officer, [application], {"title": "立项公示"})
    notice = NOTICE_WORKFLOW.apply(officer, notice, "publish")
    with audit.writing():
        User.objects.filter(pk=officer.pk).update(is_active=False)
        audit.record("test.leave", obj=officer)
    with after_the_period(notice):
        assert len(services.end_due_notices()) == 1
    application.refresh_from_db()
    assert application.state == A.APPROVED


def test_a_withdrawn_item_takes_no_new_objection(personas):
    p = personas
    notice, _application = notice_in_notice_for(p)
    item = notice.items.get()
    first = object_to(notice, item=item)
    first = OBJECTION_WORKFLOW.apply(p.officer, first, "investigate")
    OBJECTION_WORKFLOW.apply(p.officer, first, "uphold", {"note": "情况属实。"})
    assert NoticeItem.objects.get(pk=item.pk).state == NoticeItem.State.WITHDRAWN
    with pytest.raises(ValidationError) as refused:
        object_to(notice, item=NoticeItem.objects.get(pk=item.pk))
    assert "item" in refused.value.message_dict
    assert Objection.objects.count() == 1
    assert NoticeItem.objects.get(pk=item.pk).state == NoticeItem.State.WITHDRAWN


def test_a_petition_naming_an_inspector_is_hidden_from_namesakes_not_linked(personas):
    from keguan.portal.permissions import visible_petitions

    p = personas
    petition, _code = services.file_petition(
        p.officer.bureau,
        {
            "kind": "report",
            "anonymous": True,
            "subject": "反映问题",
            "text": "……",
            "concerns_name": p.inspector.full_name,
        },
    )
    assert not visible_petitions(p.inspector).filter(pk=petition.pk).exists()
