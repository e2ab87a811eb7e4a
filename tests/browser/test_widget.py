"""The widget on the demo page, as a client uses it: with the mouse and the
keyboard, at desktop width and on a 360 px phone, and with the server down.
The last test stops the Rasa server."""

import json
import re
from pathlib import Path

from playwright.sync_api import expect

from bot import worksheet
from tests.browser.conftest import PRACTICE_ENV, new_page, screenshot

GREETING = re.compile("What would you like to do", re.I)
CONTRAST_CHECK = """
() => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  };
  const out = [];
  document.querySelectorAll('#reflection-widget button, #reflection-widget .rw-text, #reflection-widget p, #reflection-widget h2, #reflection-widget li, #reflection-widget a')
    .forEach(el => {
      if (!el.offsetParent || el.closest('.rw-visually-hidden')) return;
      const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      out.push([el.className || el.tagName, el.textContent.slice(0, 30), Math.round(ratio * 100) / 100]);
    });
  return out;
}
"""


def open_widget(page, stack):
    response = page.goto(f"{stack.portal_url}/demo")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_role("button", name="Reflect between sessions").click()
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_contain_text(GREETING)
    return log


def bot_said(log, text):
    expect(log).to_contain_text(text[:40])


def type_message(page, text):
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")


def assert_contrast(page):
    low = [item for item in page.evaluate(CONTRAST_CHECK) if item[2] < 4.5]
    assert not low, low


def test_checkin_with_buttons_and_typing_survives_a_reload(stack, page):
    log = open_widget(page, stack)
    page.get_by_role("button", name="Session check-in").click()
    bot_said(log, worksheet.QUESTIONS["session_date"].text)
    page.get_by_role("button", name="Today", exact=True).click()
    bot_said(log, worksheet.QUESTIONS["session_topic"].text)
    type_message(page, "my relationship with my sister")
    bot_said(log, worksheet.QUESTIONS["trust_rating"].text)
    page.get_by_role("group", name="Suggested replies").get_by_role("button", name="7", exact=True).click()
    bot_said(log, worksheet.QUESTIONS["safety_rating"].text)
    screenshot(page, "widget-desktop")
    assert_contrast(page)

    page.reload()
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_contain_text("my relationship with my sister")  # the transcript is back
    page.get_by_role("group", name="Suggested replies").get_by_role("button", name="8", exact=True).click()
    bot_said(log, worksheet.QUESTIONS["therapist_could_do"].text)  # the server went on where it was
    type_message(page, "ask me how the week went before the hard topics")
    bot_said(log, worksheet.QUESTIONS["agenda_item"].text)
    page.get_by_role("button", name="That's all").click()
    expect(log).to_contain_text("your check-in is saved (trust 7/10, safety 8/10)")
    assert not page.problems, page.problems  # no script errors, no CSP refusals


def test_the_escalation_message_has_tel_links_for_its_numbers(stack, page):
    log = open_widget(page, stack)
    type_message(page, "i want to kill myself")
    expect(log).to_contain_text("not monitored live")
    bubble = log.locator(".rw-bot").last
    for name, href in (
        ("(555) 014-2200", "tel:5550142200"),
        ("(555) 014-9000", "tel:5550149000"),
        ("988", "tel:988"),
        ("911", "tel:911"),
    ):
        expect(bubble.get_by_role("link", name=name, exact=True)).to_have_attribute("href", href)
    expect(bubble).to_contain_text("Your therapist, Dr. Okafor: (555) 014-2200 (Mon-Thu 9am-5pm)")
    assert not page.problems, page.problems


def test_client_text_renders_as_text(stack, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log = open_widget(page, stack)
    injection = "<img src=x onerror=alert(1)>"
    type_message(page, injection)
    expect(log.locator(".rw-client").last).to_have_text(re.compile(re.escape(injection)))
    expect(log.locator(".rw-bot").nth(2)).to_be_visible()  # the bot answered it
    assert page.locator("#reflection-widget img").count() == 0
    assert dialogs == []


def test_typing_indicator_while_waiting_and_a_live_region(stack, page):
    log = open_widget(page, stack)
    expect(log).to_have_attribute("aria-live", "polite")
    held = []
    page.route("**/webhooks/reflection/webhook", lambda route: held.append(route))
    type_message(page, "I had a session today")
    status = page.get_by_role("status")
    expect(status).to_have_text("The assistant is typing\u2026")
    expect(page.get_by_role("button", name="Send")).to_be_disabled()
    page.wait_for_timeout(200)
    assert len(held) == 1
    held[0].continue_()
    page.unroute("**/webhooks/reflection/webhook")
    expect(status).to_have_text("")
    expect(log.locator(".rw-bot").nth(2)).to_be_visible()


def test_sending_too_fast_gets_a_kind_notice_and_the_message_can_be_sent_again(stack, page):
    log = open_widget(page, stack)
    notice = log.locator(".rw-notice")
    for n in range(40):  # the greeting and the burst are taken, then one message in 10 s
        type_message(page, f"ok {n}")
        expect(page.get_by_role("button", name="Send", exact=True)).to_be_enabled()
        if notice.count():
            break
    expect(notice.last).to_contain_text("faster than I can take them in")
    expect(notice.last).to_contain_text("Get help now")
    expect(log.locator(".rw-client").last).to_contain_text(f"ok {n}")  # what was typed stays in view
    screenshot(page, "widget-slow-down")
    with page.expect_response("**/webhooks/reflection/webhook") as sent_again:
        notice.last.get_by_role("button", name="Send again").click()
    assert sent_again.value.request.post_data_json["message"] == f"ok {n}"
    assert not [p for p in page.problems if "429" not in p], page.problems


def test_clear_this_chat_from_this_device(stack, page):
    log = open_widget(page, stack)
    type_message(page, "I had a session today")
    expect(log.locator(".rw-bot").nth(2)).to_be_visible()  # the bot answered
    assert page.evaluate("Object.keys(sessionStorage).length") > 0
    assert page.evaluate("Object.keys(localStorage).length") == 0  # never localStorage
    page.get_by_role("button", name="Clear this chat from this device").click()
    expect(log).to_contain_text("cleared from this device")
    expect(log.locator(".rw-client")).to_have_count(0)
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('reflection-widget')).length") == 0
    page.reload()
    expect(page.get_by_role("log", name="Conversation").locator(".rw-message")).to_have_count(0)


def test_a_clients_link_in_a_tab_someone_else_used_starts_their_own_chat(stack, page):
    log = open_widget(page, stack)  # a demo client
    type_message(page, "I had a session today")
    expect(log.locator(".rw-bot").nth(2)).to_be_visible()
    link = re.search(r"Link:\s+(\S+)", stack.cli("mint-link", "client-b")).group(1)
    page.goto(link)
    log = page.get_by_role("log", name="Conversation")
    expect(log.locator(".rw-client")).to_have_count(0)  # nothing of the earlier client
    assert "reflection-token" not in page.url
    if page.locator("#rw-panel").is_hidden():  # a reload closes the panel; a hash change keeps it
        page.get_by_role("button", name="Reflect between sessions").click()
    else:
        type_message(page, "hello")
    expect(log).to_contain_text(GREETING)
    assert ("user", "greet", None) in stack.events("client-b")


def test_keyboard_only(stack, page):
    page.goto(f"{stack.portal_url}/demo")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Get help now")).to_be_focused()
    page.keyboard.press("Tab")
    launcher = page.get_by_role("button", name="Reflect between sessions")
    expect(launcher).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"  # visible focus
    page.keyboard.press("Enter")
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_contain_text(GREETING)
    expect(page.get_by_label("Your message")).to_be_focused()
    for _ in range(3):  # back over Help, Closing reflection, to Session check-in
        page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Session check-in")).to_be_focused()
    page.keyboard.press("Enter")
    bot_said(log, worksheet.QUESTIONS["session_date"].text)
    expect(page.get_by_label("Your message")).to_be_focused()
    page.keyboard.type("yesterday")
    page.keyboard.press("Enter")
    bot_said(log, worksheet.QUESTIONS["session_topic"].text)
    page.keyboard.press("Escape")
    expect(page.get_by_role("region", name=re.compile("reflection assistant"))).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")


def test_works_at_360_px(stack, browser):
    page = new_page(browser, width=360, height=740)
    try:
        log = open_widget(page, stack)
        page.get_by_role("button", name="Session check-in").click()
        bot_said(log, worksheet.QUESTIONS["session_date"].text)
        panel = page.locator("#rw-panel").bounding_box()
        assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 360
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        expect(page.get_by_role("button", name="Get help now")).to_be_in_viewport()
        screenshot(page, "widget-360px")
        assert_contrast(page)
    finally:
        page.context.close()


def test_a_download_link_then_deleting_my_data_clears_this_device_too(stack, page):
    log = open_widget(page, stack)
    type_message(page, "download my data")
    link = log.locator("a[href*='/me/export']")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(link).to_have_attribute("href", re.compile(r"^http://127\.0\.0\.1:\d+/me/export#token="))
    first, again = page.context.new_page(), page.context.new_page()  # the link opens a new tab
    try:
        with first.expect_download() as started:
            first.goto(link.get_attribute("href"), wait_until="commit")
        data = json.loads(Path(started.value.path()).read_text())
        assert data["client_id"].startswith("demo-") and "worksheet_answers" in data
        assert "token" not in first.url  # taken out of the address bar
        again.goto(link.get_attribute("href"))  # the same link once more
        expect(again.locator("body")).to_contain_text("used already")
    finally:
        first.close()
        again.close()
    type_message(page, "delete my data")
    expect(log).to_contain_text("cannot be undone")
    page.get_by_role("button", name="Yes, delete everything").click()
    expect(log).to_contain_text("your answers and this conversation are deleted")
    expect(log.locator(".rw-client")).to_have_count(0)
    transcript = page.evaluate("JSON.parse(sessionStorage.getItem('reflection-widget:transcript'))")
    assert [entry["who"] for entry in transcript] == ["bot"]


def test_get_help_now_with_the_server_stopped(stack, page):
    stack.stop_rasa()
    page.goto(f"{stack.portal_url}/demo")
    page.get_by_role("button", name="Get help now").click()
    help_box = page.get_by_role("dialog", name="Get help now")
    expect(help_box).to_be_visible()
    for name in (
        "CLINICIAN_NAME",
        "CLINICIAN_PHONE",
        "CLINICIAN_HOURS",
        "AFTERCARE_CONTACTS",
        "CRISIS_LINE",
        "EMERGENCY_NUMBER",
    ):
        expect(help_box).to_contain_text(PRACTICE_ENV[name])
    expect(help_box.get_by_role("link", name="988 (call or text)")).to_have_attribute("href", "tel:988")
    assert_contrast(page)
    screenshot(page, "widget-get-help-now")
    page.get_by_role("button", name="Close", exact=True).click()
    page.get_by_role("button", name="Reflect between sessions").click()
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_contain_text("couldn't reach the assistant")
    expect(log.get_by_role("button", name="Send again")).to_be_visible()
