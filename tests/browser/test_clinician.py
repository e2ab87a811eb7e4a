"""The clinician in the browser: sign in, open a client's summary with its
chart, acknowledge a safety flag; the summary prints on one page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.integration.servers import running
from tests.integration.test_portal_over_http import PASSWORD, SEED


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    with running(tmp_path_factory.mktemp("clinician"), chat=False) as started:
        started.add_clinician("alice", PASSWORD)
        started.cli("assign", "client-7", "alice")
        started.python(SEED)
        started.start_portal()
        yield started


def test_sign_in_read_a_summary_with_its_chart_and_acknowledge_a_flag(portal, page):
    page.goto(f"{portal.portal_url}/clinician/login")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="client-7").click()
    expect(page.get_by_role("heading", name="Pre-session summary: client-7")).to_be_visible()
    flags = page.get_by_role("region", name="Safety flags not yet acknowledged")
    expect(flags).to_contain_text("Self-harm")
    chart = page.get_by_role("img", name=re.compile("Chart of trust and safety"))
    expect(chart).to_be_visible()
    assert page.evaluate("document.querySelector('img.chart').naturalWidth") > 300  # the PNG loaded
    assert flags.bounding_box()["y"] < page.get_by_role("heading", name="Latest check-in").bounding_box()["y"]
    screenshot(page, "clinician-summary", full_page=True)

    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one printed page

    flags.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("heading", name="Pre-session summary: client-7")).to_be_visible()
    expect(page.get_by_role("region", name="Safety flags not yet acknowledged")).to_have_count(0)
    flag = portal.export("client-7")["escalations"][0]
    assert flag["acknowledged_by"] == "alice"
    assert not page.problems, page.problems
