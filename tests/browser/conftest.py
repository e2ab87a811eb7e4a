"""Browser tests: Debian's chromium, headless, driven by Playwright, against
the real Rasa server, action server and portal on loopback."""

from pathlib import Path

import pytest

from tests.integration.servers import ROOT, running

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "results" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PRACTICE_ENV = {
    "PRACTICE_NAME": "Harbor Light Counseling",
    "CLINICIAN_NAME": "Dr. Okafor",
    "CLINICIAN_PHONE": "(555) 014-2200",
    "CLINICIAN_HOURS": "Mon-Thu 9am-5pm",
    "AFTERCARE_CONTACTS": "Bayside Mental Health Center (555) 014-9000",
    "CRISIS_LINE": "988 (call or text)",
    "EMERGENCY_NUMBER": "911",
}
_saved = []


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running(
        tmp_path_factory.mktemp("browser"),
        {**PRACTICE_ENV, "CHAT_MESSAGES_PER_MINUTE": "6"},  # the burst of 30, then one in 10 s
        {"LOCAL_REST_CHANNEL": "off"},
        portal=True,
    ) as started:
        yield started


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium (.ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def new_page(browser, width=1280, height=800):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    return page


@pytest.fixture
def page(browser):
    opened = new_page(browser)
    yield opened
    opened.context.close()


def screenshot(page, name: str, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    _saved.append(path)
    return path


def pytest_terminal_summary(terminalreporter):
    if _saved:
        terminalreporter.write_sep("-", "browser screenshots")
        for path in _saved:
            terminalreporter.write_line(str(path))
