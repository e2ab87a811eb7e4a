"""The escalation message comes from anywhere, with the practice's numbers
from .env, and reaches the client even with the action server down."""
import uuid

import pytest

from bot import worksheet
from tests.integration.servers import running

PRACTICE_ENV = {
    "CLINICIAN_NAME": "Dr. Rivera",
    "CLINICIAN_PHONE": "(555) 010-4477",
    "CLINICIAN_HOURS": "Tue-Sat 10am-6pm",
    "AFTERCARE_CONTACTS": "Lakeside Community Mental Health Center (555) 010-9000; Night Nurse Line (555) 010-1212",
    "CRISIS_LINE": "Call or text 988",
    "EMERGENCY_NUMBER": "112",
}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with running(tmp_path_factory.mktemp("escalation"), PRACTICE_ENV) as started:
        yield started


def assert_full_escalation(reply: str) -> None:
    assert "not monitored live" in reply
    for value in ("Dr. Rivera", "(555) 010-4477", "Tue-Sat 10am-6pm", "Lakeside Community Mental Health Center (555) 010-9000",
                  "Night Nurse Line (555) 010-1212", "Call or text 988", "call 112"):
        assert value in reply, value
    assert "stay in this chat" in reply


def test_escalation_before_the_greeting(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    assert_full_escalation(servers.say(client, "i want to kill myself"))
    assert servers.export(client)["escalations"][0]["category"]


def test_escalation_mid_question_pauses_the_worksheet_until_the_client_goes_on(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    servers.say(client, "start the worksheet")
    servers.say(client, "no")
    assert worksheet.QUESTIONS["q1_trust_meaning"].text[:20] in servers.say(client, "none")
    assert_full_escalation(servers.say(client, "i dont want to be alive anymore"))
    reply = servers.say(client, "yes I want to go on")
    assert worksheet.QUESTIONS["q1_trust_meaning"].text[:20] in reply
    data = servers.export(client)
    assert "q1_trust_meaning" not in data["worksheet_answers"]  # the crisis message is not an answer
    assert len(data["escalations"]) == 1


def test_escalation_mid_checkin_with_the_action_server_down(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    servers.say(client, "I had a session today")
    servers.say(client, "yesterday")
    servers.stop_actions()
    try:
        assert_full_escalation(servers.say(client, "i took a whole bottle of pills"))
    finally:
        servers.start_actions()


def test_escalation_mid_checklist_and_mid_closing_reflection(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    servers.say(client, "start the worksheet")
    assert "Check off any statements" in servers.say(client, "no")
    assert_full_escalation(servers.say(client, "he hits me when hes drunk and im scared to go home"))
    assert "Check off any statements" in servers.say(client, "continue")
    servers.say(client, "pause")
    assert worksheet.QUESTIONS["closing_trust"].text in servers.say(client, "closing reflection")
    assert_full_escalation(servers.say(client, "i want to hurt myself tonight"))
    assert [e["category"] for e in servers.export(client)["escalations"]] == ["abuse", "self_harm"]


def test_escalation_with_the_database_down(servers):
    """The reflection store is unreachable: the message still comes, whole."""
    servers.stop_actions()
    servers.env["DATABASE_URL"] = "postgresql+psycopg2://nobody:nothing@127.0.0.1:9/none"
    servers.start_actions()
    try:
        client = f"client-{uuid.uuid4().hex[:8]}"
        assert_full_escalation(servers.say(client, "i overdosed and my chest hurts"))
    finally:
        servers.stop_actions()
        del servers.env["DATABASE_URL"]
        servers.start_actions()


def test_labelled_set_through_the_running_server(servers):
    """Every must-escalate message escalates; at most 5% of the others do."""
    from scripts.safety_report import MAX_FALSE_RATE, load, server_escalates

    escalates = server_escalates(f"http://127.0.0.1:{servers.rasa_port}/webhooks/rest/webhook")
    entries = load()
    missed = [e["category"] for e in entries if e["escalate"] and not escalates(e["text"])]
    benign = [e for e in entries if not e["escalate"]]
    false_alarms = [e["category"] for e in benign if escalates(e["text"])]
    assert len(entries) >= 300
    assert missed == []
    assert len(false_alarms) / len(benign) <= MAX_FALSE_RATE, false_alarms
