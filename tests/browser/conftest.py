"""Browser tests: headless Debian Chromium through pytest-playwright, against `live_server`.

Every test in this folder is marked `browser` and runs on a transactional database, so the
live server's thread sees what the test wrote. Helpers live in `tests.browser.helpers`.
"""

import os
from pathlib import Path

import pytest

from keguan.core import demo
from tests.browser.helpers import LAPTOP

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("KEGUAN_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium; `playwright install` is never run (these machines cannot download).
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # No bypass_csp: axe goes in through page.evaluate, so the app's strict CSP stays on and
    # a page that needs an inline script fails here as it would for users.
    return {
        **browser_context_args,
        "locale": "zh-CN",  # a county office's browser asks for Chinese
        "timezone_id": "Asia/Shanghai",
        "viewport": LAPTOP,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """pytest-playwright resolves relative page.goto() paths against the live server."""
    return live_server.url


@pytest.fixture
def demo_county(transactional_db):
    """The demo county (bureaus, organizations, accounts), loaded through the services.

    tests/conftest.py makes password hashing cheap and lets the flush pass the audit triggers.
    The projects' history is left out: it costs seconds per test and these tests do not
    need it (`demo_county_with_projects` loads it).
    """
    return demo.load(projects=False)


@pytest.fixture
def demo_county_with_projects(transactional_db):
    """The whole demo, projects included, for tests that show project pages."""
    return demo.load()


@pytest.fixture
def page(page):
    """The page, failing the test on any script error or CSP violation it reports."""
    problems = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(
                f"console {message.type}: {message.text} ({message.location.get('url')})"
            )
            if message.type == "error"
            else None
        ),
    )
    yield page
    assert not problems, "the browser reported:\n" + "\n".join(problems)
