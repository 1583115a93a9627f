"""Screenshots of the project pages on the full demo, in Chinese, for a human eye.

The bureau officer walks the whole cycle (calls, reserve pool, applications, projects, funds,
notifications, calendar), the leader opens the workbench, and the switchgear works' applicant
sees their own applications and project. The PNGs land in test-artifacts/ (gitignored); every
page is also checked with axe, for scrolling sideways (the page or a table in it) at both screen
sizes, for state badges that no stylesheet colours, and for percentages left unrounded.
"""

import re

from django.utils import timezone
from playwright.sync_api import expect

from keguan.projects import rules
from keguan.projects.models import Application, Project
from tests.browser.helpers import (
    VIEWPORTS,
    check_accessibility,
    has_horizontal_overflow,
    screenshot,
    sign_in,
)


def uncoloured_states(page) -> list[str]:
    """The state badges on the page that no stylesheet gives a colour."""
    return page.evaluate(
        """() => [...document.querySelectorAll(".kg-state")]
            .filter((badge) => getComputedStyle(badge).backgroundColor === "rgba(0, 0, 0, 0)")
            .map((badge) => badge.className + ": " + badge.textContent.trim())"""
    )


def scrolling_tables(page) -> list[str]:
    """The captions of tables too wide for their box, which a user must scroll sideways."""
    return page.evaluate(
        """() => [...document.querySelectorAll(".kg-table-wrap, .table-responsive")]
            .filter((box) => box.scrollWidth > box.clientWidth + 1)
            .map((box) => (box.querySelector("caption") || box).textContent.trim().slice(0, 40))"""
    )


def capture(page, name: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    uncoloured = uncoloured_states(page)
    assert not uncoloured, f"{name} has state badges without a colour: {uncoloured}"
    expect(page.locator("#main")).not_to_contain_text(re.compile(r"\d\.\d{2,}%"))
    for size, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        screenshot(page, f"{name}-{size}")
        assert not has_horizontal_overflow(page), f"{name} scrolls sideways at {size}"
        wide = scrolling_tables(page)
        assert not wide, f"{name} has tables to scroll sideways at {size}: {wide}"
        check_accessibility(page, f"({name} at {size})")


def sign_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def open_link(page, name: str) -> None:
    """Click the link of that name in the page's main table and wait for the new page."""
    page.locator("#main table").get_by_role("link", name=name).first.click()
    page.wait_for_load_state()


def hinted_application() -> Application:
    """This year's first application that the duplicate check flags."""
    this_year = timezone.localdate().year
    for application in Application.objects.filter(call__year=this_year).order_by("pk"):
        if rules.duplicate_hints(application):
            return application
    raise AssertionError("the demo has no application with duplicate hints")


def test_screenshots_of_the_project_pages(page, demo_county_with_projects):
    """Every project page a bureau officer, a leader and an applicant use, as they see it."""
    sign_in(page, "officer")
    capture(page, "projects-officer-workbench")

    page.goto("/work/calls/")
    capture(page, "projects-call-list")
    page.locator("#main table a[href*='/work/calls/']").first.click()
    page.wait_for_load_state()
    capture(page, "projects-call-detail")

    page.goto("/work/candidates/")
    capture(page, "projects-candidate-list")
    open_link(page, "耐高温紫宝香糯新品种选育")
    capture(page, "projects-candidate-detail")

    page.goto("/work/applications/")
    page.locator("#id_state").select_option("checked")
    expect(page).to_have_url(re.compile(r"state=checked"))
    expect(
        page.locator("#main table").get_by_role("link", name="米糠综合利用技术开发")
    ).to_be_visible()
    capture(page, "projects-application-list-checked")
    hinted = hinted_application()
    page.goto(f"/work/applications/{hinted.pk}/")
    expect(page.get_by_role("link", name=rules.duplicate_hints(hinted)[0]["title"])).to_be_visible()
    capture(page, "projects-application-detail-duplicates")

    page.goto("/work/projects/")
    capture(page, "projects-project-list")
    under_way = Project.objects.get(title="紫宝香糯绿色高效栽培技术集成示范")
    page.goto(f"/work/projects/{under_way.pk}/")
    two_years_ago = timezone.localdate().year - 2  # the demo's running projects started then
    expect(
        page.locator("#main table").filter(has_text=f"余科拨〔{two_years_ago}〕001-1")
    ).to_be_visible()
    capture(page, "projects-project-detail-under-way")

    page.goto("/funds/")
    capture(page, "projects-fund-list")
    # That year's S&T budget has allocations and tranches paid, so both tables have rows.
    page.locator("#main tbody tr", has_text=str(two_years_ago)).get_by_role(
        "link", name="科技三项费"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(two_years_ago))
    capture(page, "projects-fund-detail")

    page.goto("/notifications/")
    capture(page, "projects-notifications")
    page.goto("/notifications/calendar/")
    capture(page, "projects-calendar")
    sign_out(page)

    sign_in(page, "leader")
    capture(page, "projects-leader-workbench")
    sign_out(page)

    sign_in(page, "applicant_switchgear")
    capture(page, "projects-applicant-workbench")
    page.goto("/work/applications/")
    capture(page, "projects-applicant-application-list")
    open_link(page, "GM-N型控制器物联网远程运维平台开发")
    capture(page, "projects-applicant-application-detail")
    own = Project.objects.get(title="水电站智能监控终端研制")
    page.goto(f"/work/projects/{own.pk}/")
    capture(page, "projects-applicant-project-detail")
