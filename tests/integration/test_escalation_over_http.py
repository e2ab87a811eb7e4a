"""The escalation message comes from anywhere, with the practice's numbers
from .env, and reaches the client even with the action server down."""

import uuid

import pytest

from bot import worksheet
from tests.integration import servers as servers_module
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
    for value in (
        "Dr. Rivera",
        "(555) 010-4477",
        "Tue-Sat 10am-6pm",
        "Lakeside Community Mental Health Center (555) 010-9000",
        "Night Nurse Line (555) 010-1212",
        "Call or text 988",
        "call 112",
    ):
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
    assert "I'm here with you" in servers.say(client, "i just feel so alone")  # stays, stores nothing
    reply = servers.say(client, "yes I want to go on")
    assert worksheet.QUESTIONS["q2_past_trust"].text[:20] in reply
    data = servers.export(client)
    # Risk inside an answer: the answer is the client's and is kept, the flow pauses.
    assert "alive" in data["worksheet_answers"]["q1_trust_meaning"]["value"]
    assert len(data["escalations"]) == 1


def test_escalation_mid_checkin_with_the_action_server_down(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    servers.say(client, "I had a session today")
    servers.say(client, "yesterday")
    servers.stop_actions()
    try:
        reply = servers.say(client, "i took a whole bottle of pills")
        assert_full_escalation(reply)
        assert reply.index("call 112") < reply.index("not monitored live")  # the emergency number first
    finally:
        servers.start_actions()
    # Recorded by the Rasa server itself: the clinician sees the flag.
    assert [e["category"] for e in servers.export(client)["escalations"]] == ["medical"]
    assert summary_flags(servers, client) == ["medical"]


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


def test_escalation_with_the_store_down_is_shown_kept_and_recorded_when_it_is_back(servers):
    """The reflection store is unreachable for both servers: the message still
    comes, whole; the record waits in the encrypted spool and reaches the
    store with the next message once it is back."""
    servers.stop()
    servers.env["DATABASE_URL"] = "postgresql+psycopg2://nobody:nothing@127.0.0.1:9/none"
    servers.start()
    client = f"client-{uuid.uuid4().hex[:8]}"
    try:
        assert_full_escalation(servers.say(client, "i overdosed and my chest hurts"))
        spool = servers.workdir / "data" / "escalations.spool"
        assert spool.exists() and "overdosed" not in spool.read_text()
    finally:
        servers.stop()
        del servers.env["DATABASE_URL"]
        servers.start()
    servers.say(f"client-{uuid.uuid4().hex[:8]}", "thank you")  # any reply the Rasa server renders
    assert [e["category"] for e in servers.export(client)["escalations"]] == ["medical"]
    assert not spool.exists()


def summary_flags(servers, client):
    import json
    import subprocess

    out = subprocess.run(
        [
            str(servers_module.VENV_BIN / "python"),
            "-c",
            "import json; from bot import service; " f"print(json.dumps(service.summary_of({client!r})['flags']))",
        ],
        cwd=servers_module.ROOT,
        env=servers.env,
        capture_output=True,
        text=True,
        check=True,
    )
    return [flag["category"] for flag in json.loads(out.stdout)]


def test_a_call_for_help_alone_shows_the_contacts_and_is_no_risk_flag(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    for text in ("crisis", "sos", "help me"):
        reply = servers.say(client, text)
        assert "Crisis line: Call or text 988" in reply and "Dr. Rivera" in reply, text
    assert {e["category"] for e in servers.export(client)["escalations"]} == {"help_request"}
    assert summary_flags(servers, client) == []


def test_invalid_unicode_is_repaired_and_screened(servers):
    body = b'{"sender": "client-surrogate", "message": "i want to kill myself \\ud800"}'
    status, replies = servers.post(body)
    assert status == 200
    assert_full_escalation("\n".join(r.get("text") or "" for r in replies))


def test_everyday_sentences_while_drafting_are_answers_not_risk(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    servers.say(client, "I'd like to draft something to tell my therapist")
    for text in ("I would like you to put it away", "cut it out", "stop doing that"):
        reply = servers.say(client, text)
        assert "not monitored live" not in reply and "safe right now" not in reply, (text, reply)


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


POSSIBLE_RISK = [
    "sometimes i think about not being here",
    "i just want to disappear for a while",
    "i feel like giving up",
    "i dont know anymore",
]


def a_possible_risk_message():
    from bot.safety.screen import screen

    found = [text for text in POSSIBLE_RISK if screen(text).level == "possible"]
    assert found, "none of the candidate messages is in the classifier's 'are you safe?' band"
    return found[0]


def test_possible_risk_asks_are_you_safe_and_acts_on_the_answer(servers):
    text = a_possible_risk_message()
    safe_client, unsure_client = (f"client-{uuid.uuid4().hex[:8]}" for _ in range(2))
    for client in (safe_client, unsure_client):
        servers.say(client, "start the worksheet")
        servers.say(client, "no")
        servers.say(client, "none")
        reply = servers.say(client, text)
        assert "safe right now" in reply and "Call or text 988" in reply and "Dr. Rivera" in reply
    reply = servers.say(safe_client, "yes, I'm safe right now")
    assert "glad" in reply and "not monitored live" not in reply
    # The message was the answer to the open question: it is kept, and the worksheet goes on after it.
    assert worksheet.QUESTIONS["q2_past_trust"].text[:20] in servers.say(safe_client, "/resume")
    assert servers.export(safe_client)["worksheet_answers"]["q1_trust_meaning"]["value"] == text
    assert_full_escalation(servers.say(unsure_client, "i dont know"))
    assert [e["category"] for e in servers.export(safe_client)["escalations"]] == ["possible_risk"]
    assert len(servers.export(unsure_client)["escalations"]) == 2
