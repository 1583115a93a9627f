"""What the browser tests share: axe-core checks, signing in, screenshots."""

from functools import cache
from pathlib import Path

import pytest

from keguan.core.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"

DESKTOP = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1366, "height": 768}
VIEWPORTS = {"1920x1080": DESKTOP, "1366x768": LAPTOP}

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def check_accessibility(page, context: str = "") -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA) and fail on any serious or critical violation.

    axe is evaluated through the DevTools protocol, which `script-src 'self'` does not
    govern; page.add_script_tag() would insert an inline script the app's CSP refuses.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map((n) => n.target.join(" "))}));
        }""",
        AXE_TAGS,
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        where = f"{page.url} {context}".strip()
        lines = [f"axe found {len(blocking)} serious or critical violation(s) on {where}:"]
        for v in blocking:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']}")
            lines.extend(f"    at {target}" for target in v["targets"])
        pytest.fail("\n".join(lines), pytrace=False)


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Fill the sign-in form (already open, or opened here) and send it."""
    if "/accounts/login/" not in page.url:
        page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#main form").get_by_role("button").click()
    page.wait_for_load_state()


def has_horizontal_overflow(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG under test-artifacts/ (gitignored) for a human to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def current_totp(username: str) -> str:
    """The code the user's authenticator app would show now (the device is in the DB)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username)
    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{code:0{device.digits}d}"


def enrol_two_factor(page, username: str) -> None:
    """On the two-factor setup page: type the current code and confirm."""
    page.locator("#id_code").fill(current_totp(username))
    page.locator("#main form").get_by_role("button").click()
    page.wait_for_load_state()
