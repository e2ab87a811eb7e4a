"""The client's control of their data, through the chat and the running
servers: what the therapist sees, keeping an answer private, a download,
deleting everything; nothing the client wrote readable on disk; and no one
but the Rasa server can run these actions in a client's name."""

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import jwt
import pytest

from tests.integration.servers import running
from tests.integration.test_portal_over_http import PASSWORD, Browser

WIDGET_SECRET = "control-widget-secret-" + "y" * 32

MARKER = "zebra lantern marmalade"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with running(tmp_path_factory.mktemp("control"), {"WIDGET_JWT_SECRET": WIDGET_SECRET}, portal=True) as started:
        yield started


def checkin_with_marker(servers, client):
    servers.say(client, "start a check-in")
    servers.say(client, "yesterday")
    assert "How much did you trust" in servers.say(client, f"we talked about the {MARKER}")
    servers.say(client, "7")


def test_a_known_answer_is_in_no_raw_database_file(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    checkin_with_marker(servers, client)
    assert MARKER in servers.export(client)["checkins"][0]["session_topic"]["value"]
    assert len(servers.events(client)) > 10  # the conversation is stored, too
    files = [p for p in servers.workdir.rglob("*") if p.is_file() and not p.name.endswith(".log")]
    assert any(p.name == "tracker.db" for p in files) and any(p.name == "reflections.db" for p in files)
    for path in files:
        assert MARKER.encode() not in path.read_bytes(), path
    for log in servers.workdir.glob("*.log"):
        assert MARKER not in log.read_text(errors="replace"), log


def test_what_my_therapist_sees_and_keeping_an_answer_private(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    checkin_with_marker(servers, client)
    servers.say(client, "pause")
    seen = servers.say(client, "what will my therapist see?")
    assert "exactly this" in seen and MARKER in seen and "Trust (1-10): 7/10" in seen
    reply = servers.say(client, "keep an answer private")
    assert "Which answer would you like to keep private" in reply
    reply = servers.say(client, '/keep_private{"private_target":"session_topic"}')
    assert "Topic discussed" in reply and "private now" in reply
    seen = servers.say(client, "what will my therapist see?")
    assert MARKER not in seen and "Trust (1-10): 7/10" in seen
    # The clinician's summary leaves it out too.
    servers.add_clinician("erin", PASSWORD)
    servers.cli("assign", client, "erin")
    browser = Browser(servers.portal_url)
    browser.sign_in("erin")
    page = browser.go(f"/clinician/clients/{client}")[2].decode()
    assert "7/10" in page and MARKER not in page


def _post_form(url, **fields):
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(fields).encode(),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    return urllib.request.urlopen(request, timeout=30)


def test_a_download_of_my_own_data_works_once_and_never_from_a_query_string(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    checkin_with_marker(servers, client)
    servers.say(client, "pause")
    reply = servers.say(client, "can I download my data")
    link = re.search(r"(http://\S+/me/export)#token=(\S+)", reply)
    page, token = link.group(1), link.group(2)
    with urllib.request.urlopen(page, timeout=30) as answer:  # the page the link opens
        assert "/widget/export.js" in answer.read().decode()
    with pytest.raises(urllib.error.HTTPError) as refused:  # a token in a query string does nothing
        urllib.request.urlopen(f"{page}?token={token}", data=b"", timeout=30)
    assert refused.value.code == 401
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    with pytest.raises(urllib.error.HTTPError) as refused:
        _post_form(page, token=forged)
    assert refused.value.code == 401
    with _post_form(page, token=token) as answer:
        assert "attachment" in answer.headers["Content-Disposition"]
        data = json.loads(answer.read())
    assert data["client_id"] == client and MARKER in data["checkins"][0]["session_topic"]["value"]
    with pytest.raises(urllib.error.HTTPError) as refused:  # a link works once
        _post_form(page, token=token)
    assert refused.value.code == 401 and "used already" in refused.value.read().decode()
    assert len(re.findall(rf"downloaded_own_export\s+{client}", servers.cli("audit"))) == 1


def test_delete_my_data_asks_first_then_erases_answers_and_conversation(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    checkin_with_marker(servers, client)
    reply = servers.say(client, "delete my data")
    assert "cannot be undone" in reply
    assert "Nothing was deleted" in servers.say(client, "no")
    assert servers.export(client)["checkins"]
    servers.say(client, "please erase all my data")
    status, replies = servers.post({"sender": client, "message": "yes"})
    assert "deleted" in replies[0]["text"]
    assert {"erase_transcript": True} in [r.get("custom") for r in replies]  # the widget clears the tab
    export = servers.export(client)
    assert export["checkins"] == [] and export["worksheet_answers"] == {}
    assert servers.events(client) == []  # the conversation is gone from the tracker store
    # The local REST channel takes the client id on trust: the audit says so.
    assert re.search(rf"unverified \(rest channel\)\s+deleted_own_data\s+{client}\s+answers=\d+", servers.cli("audit"))
    assert "reflection assistant" in servers.say(client, "hi")  # a fresh start


def test_through_the_widget_channel_the_audit_names_the_client(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    token = jwt.encode(
        {"sub": client, "iat": int(time.time()), "exp": int(time.time()) + 600}, WIDGET_SECRET, algorithm="HS256"
    )

    def say(text):
        status, replies = servers.post(
            {"message": text}, "/webhooks/reflection/webhook", headers={"Authorization": f"Bearer {token}"}
        )
        assert status == 200, (status, replies)
        return "\n".join(r.get("text") or "" for r in replies)

    for text in ("start a check-in", "yesterday", f"we talked about the {MARKER}", "7", "delete my data"):
        reply = say(text)
    assert "cannot be undone" in reply
    assert "deleted" in say("yes")
    assert re.search(rf"(?m)^\S+ \S+\s+client\s+deleted_own_data\s+{client}\s", servers.cli("audit"))


def _call_action_server(servers, path, body=None, headers=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{servers.action_port}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="GET" if body is None else "POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_the_action_server_refuses_a_call_without_the_shared_secret_and_nothing_changes(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    checkin_with_marker(servers, client)
    tracker = {
        "sender_id": client,
        "slots": {"delete_confirmed": "yes"},
        "latest_message": {"text": "yes"},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }
    call = {
        "next_action": "action_delete_my_data",
        "sender_id": client,
        "tracker": tracker,
        "domain": {},
        "version": "3.6.2",
    }
    for headers in (
        {},
        {"X-Reflection-Action-Secret": "a guess"},
        {"X-Reflection-Action-Secret": servers.env["ACTION_SERVER_SECRET"] + "x"},
    ):
        status, body = _call_action_server(servers, "/webhook", call, headers)
        assert status == 401, (status, body)
    assert _call_action_server(servers, "/actions")[0] == 401
    assert MARKER in json.dumps(servers.export(client))  # nothing was deleted
    assert not re.search(rf"deleted_own_data\s+{client}", servers.cli("audit"))
    log = (servers.workdir / "actions.log").read_text()
    assert log.count("Refused a call to the action server without the shared secret") >= 4
    # Its own health check is open; an unknown path is a 404, not a 500.
    assert _call_action_server(servers, "/health")[0] == 200
    assert _call_action_server(servers, "/")[0] == 404
    # The Rasa server, which has the secret, is let in.
    status, body = _call_action_server(
        servers, "/actions", headers={"X-Reflection-Action-Secret": servers.env["ACTION_SERVER_SECRET"]}
    )
    assert status == 200 and {"name": "action_delete_my_data"} in body


def test_the_servers_make_their_files_readable_by_their_own_account_only(servers):
    checkin_with_marker(servers, f"client-{uuid.uuid4().hex[:8]}")
    data = servers.workdir / "data"
    assert data.stat().st_mode & 0o777 == 0o700
    made = [p for p in [*data.iterdir(), servers.workdir / "tracker.db"] if p.is_file()]
    assert {p.name for p in made} >= {"reflections.db", "answers.key", "tracker.db"}
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in made} == {p.name: "0o600" for p in made}
