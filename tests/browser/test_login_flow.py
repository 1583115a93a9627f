"""Signing in and out, switching language, two-factor enrolment, and the public pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    VIEWPORTS,
    check_accessibility,
    enrol_two_factor,
    has_horizontal_overflow,
    sign_in,
)


def test_officer_signs_in_in_chinese_switches_to_english_and_signs_out(page, demo_county):
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    check_accessibility(page)

    sign_in(page, "officer")
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("刘先来")
    check_accessibility(page)

    nav = page.get_by_role("navigation", name=re.compile("Main menu|主菜单"))
    nav.locator("#kg-language").select_option("en")  # submits itself on change
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(nav.get_by_role("link", name="Workbench")).to_be_visible()
    expect(nav.get_by_role("link", name="Organizations")).to_be_visible()
    check_accessibility(page)

    nav.get_by_role("link", name="Organizations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organizations")
    check_accessibility(page)

    page.get_by_role("table").get_by_role("link", name="县电器开关厂").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("县电器开关厂")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_be_visible()
    check_accessibility(page)

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the choice outlives the session
    check_accessibility(page)


@pytest.mark.parametrize("path", ["/", "/accounts/login/"], ids=["portal", "login"])
def test_public_pages_pass_axe_at_common_sizes_and_with_text_zoomed(page, demo_county, path):
    page.goto(path)
    for name, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        for font_size in ("100%", "200%"):
            page.evaluate(
                "(size) => { document.documentElement.style.fontSize = size; }", font_size
            )
            context = f"at {name}, text {font_size}"
            assert not has_horizontal_overflow(page), f"horizontal scrolling {context}"
            check_accessibility(page, context)


def test_public_pages_reflow_on_a_narrow_screen(page, demo_county):
    # 320 CSS pixels wide is a 1280-pixel screen at 400 % zoom (WCAG 1.4.10 Reflow).
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/", "/accounts/login/"):
        page.goto(path)
        assert not has_horizontal_overflow(page), f"horizontal scrolling on {path} at 320 px"
        check_accessibility(page, "at 320 px")


def test_admin_must_enrol_two_factor_before_reaching_the_workbench(page, demo_county):
    sign_in(page, "sysadmin")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/$"))
    expect(page.get_by_role("img")).to_be_visible()  # the QR code
    check_accessibility(page)

    for path in ("/home/", "/accounts/users/", "/audit/"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/$"))
    check_accessibility(page)

    enrol_two_factor(page, "sysadmin")
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("系统管理员")
    check_accessibility(page)
