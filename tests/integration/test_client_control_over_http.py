"""The client's control of their data, through the chat and the running
servers: what the therapist sees, keeping an answer private, a download,
deleting everything; and nothing the client wrote readable on disk."""
import json
import re
import urllib.error
import urllib.request
import uuid

import pytest

from tests.integration.servers import running
from tests.integration.test_portal_over_http import PASSWORD, Browser

MARKER = "zebra lantern marmalade"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with running(tmp_path_factory.mktemp("control"), portal=True) as started:
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


def test_a_download_of_my_own_data(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    checkin_with_marker(servers, client)
    servers.say(client, "pause")
    reply = servers.say(client, "can I download my data")
    link = re.search(r"(http://\S+/me/export\?token=\S+)", reply).group(1)
    with urllib.request.urlopen(link, timeout=30) as answer:
        assert "attachment" in answer.headers["Content-Disposition"]
        data = json.loads(answer.read())
    assert data["client_id"] == client and MARKER in data["checkins"][0]["session_topic"]["value"]
    forged = link[:-3] + ("abc" if not link.endswith("abc") else "xyz")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=30)
    assert refused.value.code == 401


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
    assert re.search(rf"client\s+deleted_own_data\s+{client}\s+answers=\d+", servers.cli("audit"))
    assert "reflection assistant" in servers.say(client, "hi")  # a fresh start
