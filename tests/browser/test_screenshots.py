"""Screenshots of the main pages at two common screen sizes, in Chinese, for a human eye.

They land in test-artifacts/ (gitignored). Each page is also checked with axe and for
horizontal scrolling at both sizes.
"""

import re

from playwright.sync_api import expect

from tests.browser.helpers import (
    VIEWPORTS,
    check_accessibility,
    enrol_two_factor,
    has_horizontal_overflow,
    screenshot,
    sign_in,
)


def capture(page, name: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    for size, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        screenshot(page, f"{name}-{size}")
        assert not has_horizontal_overflow(page), f"{name} scrolls sideways at {size}"
        check_accessibility(page, f"({name} at {size})")


def sign_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    check_accessibility(page, "(after signing out)")


def test_screenshots_of_the_main_pages(page, demo_county):
    page.goto("/")
    capture(page, "portal")

    page.goto("/accounts/login/")
    capture(page, "login")

    sign_in(page, "officer")
    capture(page, "officer-workbench")
    page.get_by_role("navigation", name=re.compile("Main menu|主菜单")).get_by_role(
        "link", name=re.compile("Organizations|单位")
    ).click()
    capture(page, "organization-list")
    page.get_by_role("table").get_by_role("link", name="县电器开关厂").click()
    capture(page, "organization-detail")
    sign_out(page)

    sign_in(page, "inspector")
    page.goto("/audit/")
    capture(page, "audit-trail")
    sign_out(page)

    sign_in(page, "sysadmin")
    capture(page, "two-factor-setup")
    enrol_two_factor(page, "sysadmin")
    page.goto("/accounts/users/")
    capture(page, "user-list")
