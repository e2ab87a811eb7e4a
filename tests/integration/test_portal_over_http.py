"""The clinician's portal over HTTP: sign-in, lockout, CSRF, only their own
clients, acknowledging flags, the audit log, the summary and its downloads."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.integration.servers import running

PASSWORD = "correct horse battery"
SEED = """
from bot import service
for i, (day, trust, safety) in enumerate([("2026-10-01", 4, 5), ("2026-10-08", 6, 6), ("2026-10-15", 7, 8)]):
    run = service.open_flow("client-7", "checkin").run
    for slot, value in [("session_date", day), ("session_topic", "my sister <b>"), ("trust_rating", trust),
                        ("safety_rating", safety), ("therapist_could_do", "slow down"),
                        ("agenda_item", f"talk about pacing {i}")]:
        service.save_answer("client-7", "checkin", run, slot, value, f"m{i}{slot}")
    service.finish_flow("client-7")
service.save_answer("client-7", "worksheet", "main", "holding_back", ["limited_disclosure", "resistance_to_feedback"], "m-hb")
service.save_answer("client-7", "worksheet", "main", "q1_trust_meaning", "Being able to say hard things", "m-q1")
service.save_answer("client-7", "worksheet", "main", "q2_past_trust", "a private thought", "m-q2")
service.keep_private("client-7", "q2_past_trust")
service.record_escalation("client-7", "self_harm", "rules", "m-x")
service.record_escalation("client-9", "abuse", "rules", "m-y")
"""


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    with running(tmp_path_factory.mktemp("portal"), chat=False) as started:
        for name in ("alice", "bob", "carol"):
            started.add_clinician(name, PASSWORD)
        started.cli("assign", "client-7", "alice")
        started.cli("assign", "client-9", "bob")
        started.python(SEED)
        started.start_portal()
        yield started


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, base):
        self.base, self.jar = base, http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def go(self, path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as reply:
                return reply.status, reply.headers, reply.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def csrf(self, path):
        return re.search(rb'name="csrf_token" value="([^"]+)"', self.go(path)[2]).group(1).decode()

    def sign_in(self, username, password=PASSWORD):
        return self.go(
            "/clinician/login",
            {"csrf_token": self.csrf("/clinician/login"), "username": username, "password": password},
        )


def test_sign_in_sets_an_http_only_same_site_cookie(portal):
    client = Browser(portal.portal_url)
    status, headers, _ = client.sign_in("alice")
    assert status == 302 and headers["Location"] == "/clinician/"
    cookie = [c for c in headers.get_all("Set-Cookie") if c.startswith("reflection_portal=")][0]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/clinician" in cookie
    assert b"client-7" in client.go("/clinician/")[2]


def test_the_summary_page_in_order_without_private_answers(portal):
    client = Browser(portal.portal_url)
    client.sign_in("alice")
    status, headers, page = client.go("/clinician/clients/client-7")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    page = page.decode()
    order = [
        page.index(t)
        for t in (
            "Safety flags not yet acknowledged",
            "Self-harm",
            "Latest check-in",
            "Trust and safety across sessions",
            "checklist items ticked",
            "Worksheet answers",
            "Agenda items and drafts",
            "Closing reflection",
        )
    ]
    assert order == sorted(order)
    assert "my sister &lt;b&gt;" in page and "<b>" not in page  # text is escaped
    assert "Being able to say hard things" in page and "a private thought" not in page
    assert "talk about pacing 2" in page and 'src="/clinician/clients/client-7/chart.png"' in page
    status, headers, png = client.go("/clinician/clients/client-7/chart.png")
    assert status == 200 and headers["Content-Type"] == "image/png" and png[:4] == b"\x89PNG"
    status, headers, csv = client.go("/clinician/clients/client-7/summary.csv")
    assert "attachment" in headers["Content-Disposition"]
    assert b"trust 7, safety 8" in csv and b"a private thought" not in csv
    status, headers, html = client.go("/clinician/clients/client-7/summary.html")
    assert status == 200 and b"data:image/png;base64," in html and b"@media print" in html


def test_another_clinicians_client_is_not_found(portal):
    client = Browser(portal.portal_url)
    client.sign_in("alice")
    for path in (
        "/clinician/clients/client-9",
        "/clinician/clients/client-9/chart.png",
        "/clinician/clients/client-9/summary.csv",
        "/clinician/clients/client-9/summary.html",
        "/clinician/clients/no-such-client",
        "/clinician/clients/..%2F..%2Fetc",
    ):
        assert client.go(path)[0] == 404, path
    csrf = client.csrf("/clinician/")
    assert client.go("/clinician/clients/client-9/flags/2/acknowledge", {"csrf_token": csrf})[0] == 404
    assert client.go("/clinician/clients/client-7/flags/2/acknowledge", {"csrf_token": csrf})[0] == 404  # bob's flag


def test_not_signed_in_goes_to_the_sign_in_page(portal):
    client = Browser(portal.portal_url)
    status, headers, _ = client.go("/clinician/clients/client-7")
    assert status == 302 and headers["Location"] == "/clinician/login"


def test_forms_without_the_csrf_token_are_refused(portal):
    client = Browser(portal.portal_url)
    client.go("/clinician/login")
    assert client.go("/clinician/login", {"username": "alice", "password": PASSWORD})[0] == 403
    client.sign_in("alice")
    assert client.go("/clinician/clients/client-7/flags/1/acknowledge", {"csrf_token": "forged"})[0] == 403
    assert "Safety flags not yet acknowledged" in client.go("/clinician/clients/client-7")[2].decode()


def test_acknowledging_a_flag_records_who_and_when_and_the_audit_log(portal):
    client = Browser(portal.portal_url)
    client.sign_in("alice")
    page = client.go("/clinician/clients/client-7")[2].decode()
    action = re.search(r'action="(/clinician/clients/client-7/flags/\d+/acknowledge)"', page).group(1)
    status, headers, _ = client.go(action, {"csrf_token": client.csrf("/clinician/")})
    assert status == 302
    assert "Safety flags not yet acknowledged" not in client.go("/clinician/clients/client-7")[2].decode()
    flag = portal.export("client-7")["escalations"][0]
    assert flag["acknowledged_by"] == "alice" and flag["acknowledged_at"]
    log = portal.cli("audit")
    assert re.search(r"clinician:alice\s+viewed_summary\s+client-7", log)
    assert re.search(r"clinician:alice\s+acknowledged_flag\s+client-7", log)
    assert "clinician:alice" in client.go("/clinician/audit")[2].decode()


def test_a_sign_in_form_value_the_server_did_not_sign_is_refused(portal):
    client = Browser(portal.portal_url)
    client.go("/clinician/login")
    forged = "made-up.0123"
    client.jar.clear()
    request = urllib.request.Request(
        portal.portal_url + "/clinician/login",
        method="POST",
        data=urllib.parse.urlencode({"csrf_token": forged, "username": "alice", "password": PASSWORD}).encode(),
        headers={"Cookie": f"reflection_login_csrf={forged}"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403


def test_beyond_this_machine_the_cookies_are_host_only_and_secure(tmp_path_factory):
    with running(
        tmp_path_factory.mktemp("secure-portal"),
        {"PORTAL_PUBLIC_URL": "https://portal.practice.example", "PORTAL_DEMO": "on"},
        chat=False,
        portal=True,
    ) as started:
        started.add_clinician("fay", PASSWORD)
        status, headers, _ = Browser(started.portal_url).go("/clinician/login")
        cookie = [c for c in headers.get_all("Set-Cookie") if c.startswith("__Host-reflection_login_csrf=")][0]
        assert "Secure" in cookie and "Path=/;" in cookie + ";" and "Domain" not in cookie


def test_a_form_needs_a_session_before_its_body_is_read_and_bodies_are_small(portal):
    client = Browser(portal.portal_url)
    status, _, body = client.go("/clinician/clients/client-7/flags/1/acknowledge", {"csrf_token": "x" * 200_000})
    assert status == 401 and b"sign in" in body
    client.sign_in("alice")
    assert client.go("/clinician/clients/client-7/flags/1/acknowledge", {"csrf_token": "x" * 200_000})[0] == 413
    assert client.go("/clinician/clients/client-7")[0] == 200  # still signed in
    assert client.go("/nowhere")[0] == 404


def test_demo_chats_are_limited_per_address(portal):
    client = Browser(portal.portal_url)
    statuses = [client.go("/demo/token", {})[0] for _ in range(21)]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429


def test_the_demo_is_refused_on_a_portal_that_listens_beyond_this_machine(portal):
    import subprocess

    from tests.integration.servers import ROOT, VENV_BIN

    env = {**portal.env, "PORTAL_HOST": "0.0.0.0", "PORTAL_DEMO": "on"}
    started = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "bot.portal"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert started.returncode != 0
    assert "PORTAL_DEMO" in started.stderr
    assert "must be off when a server listens beyond this machine (PORTAL_HOST=0.0.0.0)" in started.stderr
    checked = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "bot", "check-settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 1 and "Cannot start" in checked.stderr


def test_a_disabled_clinician_is_signed_out_at_once_and_a_removed_one_is_gone(portal):
    portal.add_clinician("gus", PASSWORD)
    portal.cli("assign", "client-g", "gus")
    client = Browser(portal.portal_url)
    client.sign_in("gus")
    assert client.go("/clinician/")[0] == 200
    assert "signed out" in portal.cli("disable-clinician", "gus")
    status, headers, _ = client.go("/clinician/")
    assert status == 302 and headers["Location"] == "/clinician/login"
    check = "from bot.portal import auth; r = auth.sign_in('gus', {!r}, 'elsewhere'); assert r.ok is {}, r"
    portal.python(check.format(PASSWORD, False))
    portal.cli("disable-clinician", "gus", "--enable")
    portal.python(check.format(PASSWORD, True))
    assert "1 client(s)" in portal.cli("remove-clinician", "gus")
    portal.python(check.format(PASSWORD, False))
    audit = portal.cli("audit")
    assert all(
        re.search(rf"administrator\s+{action}", audit)
        for action in ("disabled_clinician", "enabled_clinician", "removed_clinician")
    )


# Last: it leaves this address throttled.
def test_failed_sign_ins_are_throttled_per_address_not_by_locking_the_account(portal):
    client = Browser(portal.portal_url)
    for name in ["carol", "nobody"] * 5:
        status, _, page = client.sign_in(name, "wrong password!")
        assert status == 401 and b"do not match" in page  # unknown or wrong: the same answer
    for name, password in (("carol", PASSWORD), ("nobody", "x")):
        status, _, page = client.sign_in(name, password)
        assert status == 401 and b"Too many failed sign-ins from this address" in page
    assert re.search(r"unknown\s+sign_in_throttled", portal.cli("audit"))
    assert not re.search(r"account_locked", portal.cli("audit"))
    # Carol herself is not locked out: the same password from the command line's store works.
    portal.python("from bot.portal import auth; assert auth.sign_in('carol', 'correct horse battery', 'elsewhere').ok")
