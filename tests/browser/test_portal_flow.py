"""The public portal in the browser, on the full demo: a visitor objects to the running
notice, an inspector takes the objection on and answers it; the public pages pass axe.

The demo publishes a notice of this year's approvals; the visitor needs no account.
"""

import re

from playwright.sync_api import expect

from keguan.portal.models import Notice, Objection
from tests.browser.helpers import sign_in
from tests.browser.test_project_screenshots import capture, sign_out


def test_a_visitor_objects_to_a_notice_and_an_inspector_answers_it(page, demo_county_with_projects):
    notice = Notice.objects.filter(state=Notice.State.RUNNING).order_by("-pk").first()
    assert notice is not None, "the demo runs a notice now"
    before = Objection.objects.count()

    page.goto("/")
    capture(page, "portal-index")
    page.goto("/notices/")
    capture(page, "portal-notice-list")
    page.get_by_role("link", name=notice.title).first.click()
    page.wait_for_load_state()
    capture(page, "portal-notice-detail")
    page.goto(f"/notices/{notice.pk}/object/")
    page.locator("#id_name").fill("赵建华")
    page.locator("#id_contact").fill("13907930001")
    page.locator("#id_text").fill("公示项目的示范面积与实际不符，请核查。")
    capture(page, "portal-objection-form")
    page.locator("#main form button[type=submit]").click()
    page.wait_for_load_state()
    capture(page, "portal-objection-received")
    assert Objection.objects.count() == before + 1
    objection = Objection.objects.latest("pk")
    # The visitor's name and phone are nowhere public.
    page.goto(f"/notices/{notice.pk}/")
    expect(page.locator("#main")).not_to_contain_text("赵建华")
    expect(page.locator("#main")).not_to_contain_text("13907930001")
    page.goto(f"/notices/{notice.pk}/print/")
    capture(page, "portal-notice-print")
    page.goto("/petitions/new/")
    capture(page, "portal-petition-form")
    page.locator("#id_anonymous").check()
    page.locator("#id_subject").fill("反映项目验收问题")
    page.locator("#id_text").fill("某项目验收材料存在疑点，请核查。")
    page.locator("#main form button[type=submit]").click()
    page.wait_for_load_state()
    capture(page, "portal-petition-filed")
    page.goto("/petitions/track/")
    capture(page, "portal-petition-track")
    page.goto("/disclosure/")
    capture(page, "portal-disclosure-index")
    page.locator("#main a[href^='/disclosure/']").first.click()
    page.wait_for_load_state()
    capture(page, "portal-disclosure-year")

    sign_in(page, "inspector")
    page.goto(f"/manage/objections/{objection.pk}/")
    capture(page, "portal-objection-handling")
    page.get_by_role("button", name=re.compile("调查|Take on|受理")).click()
    page.wait_for_load_state()
    page.locator("#objection-reply").fill("经核查，示范面积与申报材料一致，异议不成立。")
    page.locator("button[name=action][value=dismiss]").click()
    page.wait_for_load_state()
    objection.refresh_from_db()
    assert objection.state == Objection.State.DISMISSED
    assert objection.reply.startswith("经核查")
    sign_out(page)
