"""The embedded run as `make run` starts it (scripts/serve.sh under
supervisord): a crashed process is started again while the others go on
serving, and nothing a client wrote meanwhile is lost."""

import os
import signal
import time
import uuid

import pytest

from bot import worksheet
from bot.channels.conversation import TRY_AGAIN
from tests.integration.servers import Supervised
from tests.integration.test_escalation_over_http import PRACTICE_ENV, assert_full_escalation


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    started = Supervised(tmp_path_factory.mktemp("supervised"), PRACTICE_ENV)
    try:
        yield started.start()
    finally:
        started.stop()


def wait_until(check, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


def crash(stack, program):
    pid = int(stack.supervisorctl("pid", program))
    os.kill(pid, signal.SIGKILL)
    return pid


def test_every_process_reports_readiness(stack):
    assert stack.ready(stack.rasa_port, "/webhooks/reflection/ready") == (
        200,
        {"model": "up", "reflections_store": "up", "action_server": "up"},
    )
    assert stack.ready(stack.action_port) == (200, {"reflections_store": "up"})
    assert stack.ready(stack.portal_port) == (200, {"reflections_store": "up"})
    status = stack.supervisorctl("status")
    for program in ("actions", "rasa", "portal", "housekeeping", "watchdog"):
        assert f"{program}" in status and "RUNNING" in status.split(program, 1)[1].split("\n", 1)[0]


def test_the_action_server_killed_mid_checkin(stack):
    client = f"client-{uuid.uuid4().hex[:8]}"
    stack.say(client, "I had a session today")
    assert "topic" in stack.say(client, "yesterday")
    old = crash(stack, "actions")
    # Risk first: shown at once by the Rasa server, and recorded.
    assert_full_escalation(stack.say(client, "i took a whole bottle of pills", "m-risk"))
    assert stack.ready(stack.rasa_port, "/webhooks/reflection/ready")[0] == 200  # still taking traffic
    assert stack.ready(stack.portal_port)[0] == 200  # the portal goes on serving
    assert wait_until(lambda: stack.ready(stack.action_port)[0] == 200), "the action server was not restarted"
    assert int(stack.supervisorctl("pid", "actions")) != old
    reply = stack.say(client, "yes I want to go on")
    assert "topic" in reply, reply
    # An answer while it is down (held down here, so the test does not race
    # the restart): the client is asked to send it again and nothing is
    # stored in its place; sent again once it is back, it is kept, once.
    assert "stopped" in stack.supervisorctl("stop", "actions")
    assert stack.say(client, "my sister and the holidays", "m-topic") == TRY_AGAIN
    assert "session_topic" not in stack.export(client)["checkins"][-1]
    assert "started" in stack.supervisorctl("start", "actions")
    reply = stack.say(client, "my sister and the holidays", "m-topic")  # the widget's resend
    assert "trust" in reply.lower(), reply
    data = stack.export(client)
    checkin = data["checkins"][-1]
    assert (
        checkin["session_topic"]["value"] == "my sister and the holidays" and checkin["session_topic"]["history"] == []
    )
    assert [e["category"] for e in data["escalations"]] == ["medical"]
    log = (stack.workdir / "logs" / "supervisord.log").read_text()
    assert "exited: actions (terminated by SIGKILL; not expected)" in log and log.count("spawned: 'actions'") >= 3


def test_a_hung_action_server_is_restarted_by_the_watchdog(stack):
    pid = int(stack.supervisorctl("pid", "actions"))
    assert wait_until(lambda: stack.ready(stack.action_port)[0] == 200)
    time.sleep(20)  # the watchdog leaves a process alone for its first 20 seconds
    os.kill(pid, signal.SIGSTOP)  # up, but answering nothing
    try:
        assert wait_until(
            lambda: stack.supervisorctl("pid", "actions") not in ("", "0", str(pid))
            and stack.ready(stack.action_port)[0] == 200,
            90,
        ), "the hung server was not replaced"
    finally:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass
    assert "actions has not answered" in (stack.workdir / "logs" / "watchdog.log").read_text()


def test_the_portal_and_the_rasa_server_come_back_too(stack):
    for program, port, path in (
        ("portal", stack.portal_port, "/ready"),
        ("rasa", stack.rasa_port, "/webhooks/reflection/ready"),
    ):
        old = crash(stack, program)
        assert wait_until(lambda: stack.ready(port, path)[0] == 200, 180), f"{program} was not restarted"
        assert int(stack.supervisorctl("pid", program)) != old
    client = f"client-{uuid.uuid4().hex[:8]}"
    assert worksheet.QUESTIONS["session_date"].text[:20] in stack.say(client, "I had a session today")
