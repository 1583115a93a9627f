"""An applicant applies to a call and an officer passes the formal check, through the pages.

After the factories set up the call and the people, everything happens in the browser:
signing in, the menu, forms, an upload, the workflow buttons. The pages are in Chinese;
expected texts come from the same catalogue the server uses, so the test holds both before
and after the translator fills it. The `page` fixture (conftest.py) fails the test on any
console error, which is where a CSP violation shows.
"""

import contextlib
import datetime as dt
import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from keguan.audit.models import AuditEvent
from keguan.projects.models import Application, AttachmentKind
from tests.browser.helpers import check_accessibility, screenshot, sign_in
from tests.factories import PASSWORD
from tests.projects.factories import PDF_BYTES, make_call, make_id_number

TITLE = "特种水稻高产栽培技术示范与推广"


def t(msgid: str) -> str:
    """MSGID as the pages show it in Simplified Chinese (or as is, while untranslated)."""
    with translation.override("zh-hans"):
        return gettext(msgid)


def either(*msgids: str) -> re.Pattern:
    return re.compile("|".join(re.escape(t(m)) for m in msgids))


def shot(page, step: str) -> None:
    screenshot(page, f"application-flow-{step}")


def menu(page):
    return page.get_by_role("navigation", name=either("Main menu"))


def sign_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def double_submit(page, button, url: re.Pattern) -> list[int]:
    """Click BUTTON twice, 50 ms apart, as an impatient person does; return the statuses
    the server answered the requests to URL with.

    The requests are held until both clicks are in, then passed on one after the other.
    Holding them keeps the page from moving on between the clicks, so the second lands on
    the same button however fast the server is. Passing them in turn is what the real
    database does (the second writer waits: IMMEDIATE transactions, busy timeout); the test
    database, SQLite in memory with a shared cache, would fail it at once with "database
    table is locked". Playwright's dblclick() is no use here: its clicks come so close that
    Chromium drops the first form submission before sending it.
    """
    held = []

    def hold(route):
        held.append(route)

    page.route(url, hold)
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(50)
    page.mouse.click(x, y)
    for _ in range(100):
        if len(held) == 2:
            break
        page.wait_for_timeout(20)
    statuses = []
    for route in held:
        response = route.fetch(max_redirects=0)
        statuses.append(response.status)
        # The browser dropped the first request for the second: it has nobody to answer.
        with contextlib.suppress(PlaywrightError):
            route.fulfill(response=response)
    page.unroute(url)
    return statuses


def submit_events(application_pk: int) -> int:
    return AuditEvent.objects.filter(
        action="projects.application.submit",
        object_type="projects.application",
        object_id=str(application_pk),
    ).count()


@pytest.fixture
def call(personas, live_server):
    return make_call(
        personas.officer,
        title=f"{timezone.localdate().year}年度县级农业科技计划项目申报指南",
        required_attachments=[AttachmentKind.FEASIBILITY_REPORT],
    )


def test_applicant_applies_and_officer_passes_the_formal_check(page, personas, call, tmp_path):
    """The issue's end-to-end flow: apply, attach, submit (double click), check, notify."""
    report = tmp_path / "可行性报告.pdf"
    report.write_bytes(PDF_BYTES)
    leader_id = make_id_number("19780315")

    # The applicant finds the call through the menu and starts an application.
    sign_in(page, "alice", PASSWORD)
    expect(page).to_have_url(re.compile(r"/home/$"))
    menu(page).get_by_role("link", name=either("Calls")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Calls"))
    page.get_by_role("table").get_by_role("link", name=call.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(call.title)
    check_accessibility(page, "(call detail)")
    shot(page, "01-call-detail")

    page.locator("#main form[action$='/apply/']").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/edit/$"))
    application_pk = int(re.search(r"/applications/(\d+)/edit/", page.url).group(1))
    expect(page.locator("#checklist .kg-checklist li").first).to_be_visible()
    check_accessibility(page, "(new application)")
    shot(page, "02-edit-new")

    # The project, its leader and two budget lines (the second added by the page's script).
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("在四股桥乡推广特种水稻高产栽培技术，建立示范基地200亩。")
    page.locator("#id_discipline_code").fill("21040")
    page.locator("#id_field").fill("农业")
    page.locator("#id_start_on").fill(dt.date(call.year, 7, 1).isoformat())
    page.locator("#id_end_on").fill(dt.date(call.year + 1, 12, 31).isoformat())
    page.locator("#id_team-0-name").fill("杨玉梁")
    page.locator("#id_team-0-unit").fill(personas.org_a.name)
    page.locator("#id_team-0-role").select_option("leader")
    page.locator("#id_team-0-title").fill("高级农艺师")
    page.locator("#id_team-0-id_number").fill(leader_id)
    page.locator("#id_budget-0-category").select_option("equipment")
    page.locator("#id_budget-0-requested").fill("60000")
    page.locator("#id_budget-0-self_raised").fill("40000")
    page.locator("[data-formset-add='budget']").click()
    page.locator("#id_budget-1-category").select_option("materials")
    page.locator("#id_budget-1-requested").fill("40000")
    page.locator("#id_budget-1-self_raised").fill("10000")
    expect(page.locator("#total-requested")).to_have_text("100,000.00")
    shot(page, "03-edit-filled")
    page.locator("#application-form button[type=submit]").click()

    expect(page.locator(".kg-messages .alert-success")).to_have_text(
        t("The application has been saved.")
    )
    expect(page.locator("#budget-rows #id_budget-1-category")).to_have_value("materials")
    expect(page.locator("#id_team-0-id_number")).not_to_have_value(leader_id)  # shown masked
    # Only the required feasibility report is still missing.
    missing = page.locator("#checklist .kg-checklist li")
    expect(missing).to_have_count(1)
    expect(missing).to_contain_text(t("Feasibility report"))

    # The feasibility report, as a real PDF from disk.
    upload = page.locator("#attachments form")
    upload.locator("select[name=kind]").select_option(AttachmentKind.FEASIBILITY_REPORT)
    upload.locator("input[type=file]").set_input_files(report)
    upload.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/applications/{application_pk}/edit/$"))
    expect(page.locator(".kg-messages .alert-success")).to_have_text(
        t("The document has been attached.")
    )
    expect(page.locator("#attachments table")).to_contain_text(report.name)
    expect(page.locator("#checklist .kg-checklist")).to_have_count(0)
    expect(page.locator("#checklist .text-success")).to_have_text(
        t("Everything required is there; the application can be submitted.")
    )
    check_accessibility(page, "(application complete)")
    shot(page, "04-edit-complete")

    # An impatient double click sends the form twice and still submits once.
    statuses = double_submit(
        page,
        page.locator(f"form[action$='/{application_pk}/actions/submit/'] button"),
        re.compile(rf"/applications/{application_pk}/actions/submit/$"),
    )
    expect(page).to_have_url(re.compile(rf"/applications/{application_pk}/$"))
    expect(page.locator("h1 .kg-state")).to_have_text(t("Submitted"))
    expect(page.locator(".kg-messages")).to_contain_text(
        either("The application has been submitted.", "The application has already been submitted.")
    )
    check_accessibility(page, "(application submitted)")
    shot(page, "05-detail-submitted")
    assert statuses == [302, 302]  # both reached the server; neither failed
    assert submit_events(application_pk) == 1
    sign_out(page)

    # The officer finds it among the submitted applications and passes the formal check.
    sign_in(page, "olivia", PASSWORD)
    expect(page).to_have_url(re.compile(r"/home/$"))
    menu(page).get_by_role("link", name=either("Applications")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Applications"))
    page.locator("#id_state").select_option(Application.State.SUBMITTED)  # htmx filters
    expect(page).to_have_url(re.compile(r"[?&]state=submitted"))
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".kg-state")).to_have_text(t("Submitted"))
    check_accessibility(page, "(officer's application list)")
    shot(page, "06-officer-list")

    rows.first.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    check_accessibility(page, "(officer's application detail)")
    shot(page, "07-officer-detail")
    page.locator(
        f"form[action$='/applications/{application_pk}/actions/pass_check/'] button"
    ).click()
    expect(page.locator(".kg-messages .alert-success")).to_have_text(t("Done."))
    expect(page.locator("h1 .kg-state")).to_have_text(t("Formal check passed"))
    shot(page, "08-officer-checked")
    sign_out(page)

    # The applicant sees the new state, and a notification saying so.
    sign_in(page, "alice", PASSWORD)
    menu(page).get_by_role("link", name=either("Applications")).click()
    row = page.locator("#results tbody tr", has=page.get_by_role("link", name=TITLE))
    expect(row.locator(".kg-state")).to_have_text(t("Formal check passed"))
    shot(page, "09-applicant-list")
    expect(page.get_by_test_id("notifications-badge")).to_contain_text("1")
    page.get_by_test_id("notifications-badge").click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    notice = page.locator("#main .list-group-item.kg-unread")
    expect(notice).to_have_count(1)
    expect(notice.get_by_role("heading")).to_contain_text(TITLE)
    expect(notice.get_by_role("heading")).to_contain_text(t("Formal check passed"))
    check_accessibility(page, "(notifications)")
    shot(page, "10-applicant-notification")
    notice.get_by_role("button", name=either("Open")).click()
    expect(page).to_have_url(re.compile(rf"/applications/{application_pk}/$"))
    expect(page.locator("h1 .kg-state")).to_have_text(t("Formal check passed"))

    assert submit_events(application_pk) == 1
    assert Application.objects.get(pk=application_pk).state == Application.State.CHECKED
