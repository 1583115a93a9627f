"""Notices built through the services, on a known working day, for the portal API tests."""

import datetime as dt
from zoneinfo import ZoneInfo

from keguan.portal import services
from keguan.portal.models import Notice
from keguan.portal.workflow import NOTICE_WORKFLOW

# A Tuesday with no holiday near it: the period runs from that day for five working days.
TUESDAY = dt.datetime(2025, 3, 11, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
AFTER_THE_PERIOD = TUESDAY + dt.timedelta(days=14)

PHONE = "13912345678"
ID_NUMBER = "36112719800101123X"


def make_notice(officer, kind="project_approval", items=None, publish=True, **data) -> Notice:
    notice = services.create_notice(
        officer,
        {"kind": kind, "title": data.pop("title", "2025年度县级科技计划项目立项公示"), **data},
    )
    services.replace_items(
        officer,
        notice,
        items
        or [
            {"title": "富硒茶深加工", "unit": "甲企业", "amount": "80000"},
            {"title": "脐橙病害防控", "unit": "乙企业", "amount": "50000"},
        ],
    )
    if publish:
        notice = NOTICE_WORKFLOW.apply(officer, notice, "publish")
    return notice


def objection_body(notice, **changes) -> dict:
    body = {
        "objector": "person",
        "name": "张三",
        "contact": PHONE,
        "text": f"申报材料与实际不符（身份证号 {ID_NUMBER} 的负责人未在职）。",
        "item": notice.items.first().pk,
    }
    body.update(changes)
    return body
