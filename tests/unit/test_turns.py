"""The turns themselves, without Rasa: a `Turn` in, a `Reply` out, with a real
SQLite store. Each turn that touches the store does so in exactly one unit of
work; the others open none."""

import inspect
from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from bot import service, turns
from bot.store import repository as repo

CLIENT = "client-t"


def turn(text="", intent="inform", slots=None, entities=None, to_form=False, message_id="m-turn"):
    return turns.Turn(
        client_id=CLIENT,
        message_id=message_id,
        text=text,
        intent=intent,
        confidence=0.97,
        entities=entities or {},
        slots=slots or {},
        today=date(2026, 11, 20),
        to_form=to_form,
    )


@pytest.fixture
def units_of_work():
    """How many transactions the store opened, whichever module opened them."""
    opened = []

    def count(_session, transaction):
        if transaction.parent is None:
            opened.append(transaction)

    event.listen(Session, "after_transaction_create", count)
    yield opened
    event.remove(Session, "after_transaction_create", count)


def _half_way(data_dir):
    """A client half-way through the worksheet, with one check-in and a draft begun."""
    for n, slot in enumerate(["read_intro", "holding_back", "q1_trust_meaning", "q2_past_trust"]):
        value = {"read_intro": "no", "holding_back": ["limited_disclosure"]}.get(slot, "an answer in words")
        service.save_answer(CLIENT, "worksheet", "main", slot, value, f"w{n}")
    for n, (slot, value) in enumerate([("trust_rating", 3), ("safety_rating", 8)]):
        service.save_answer(CLIENT, "checkin", "r1", slot, value, f"c{n}")
    for n, slot in enumerate(["draft_what", "draft_feeling"]):
        service.save_answer(CLIENT, "draft", "d1", slot, "she moved on too fast", f"d{n}")
    service.open_flow(CLIENT, "worksheet")


STORE_TURNS = {
    "greet": lambda: turns.greet(turn("hi", "greet")),
    "open_flow": lambda: turns.open_flow(turn("continue", "resume")),
    "finish_flow": lambda: turns.finish_flow(turn("no", "deny", {"flow": "checkin", "flow_run": "r1"})),
    "change_answer": lambda: turns.change_answer(turn("change my answer to question 1", "change_answer")),
    "form_message": lambda: turns.form_message(
        "draft",
        turn(
            "Ask me before moving on to a new topic",
            slots={"requested_slot": "draft_instead", "flow_run": "d1"},
            to_form=True,
        ),
    ),
    "show_answers": lambda: turns.show_answers(turn("show my answers", "show_answers")),
    "show_summary": lambda: turns.show_summary(turn("what will my therapist see", "what_therapist_sees")),
    "keep_private": lambda: turns.keep_private(turn("keep something private", "keep_private")),
    "delete_my_data": lambda: turns.delete_my_data(turn("yes", "affirm", {"delete_confirmed": "yes"})),
}
PLAIN_TURNS = {
    "pause": lambda: turns.pause(turn("pause", "pause")),
    "give_tip": lambda: turns.give_tip(turn("any tips?", "ask_tip")),
    "download_my_data": lambda: turns.download_my_data(turn("download my data", "download_my_data")),
    "after_escalation": lambda: turns.after_escalation(turn("ok", "affirm")),
    "acknowledge": lambda: turns.acknowledge(turn("been kind of low all week", "feeling")),
    "confirm_delete": lambda: turns.confirm_delete(turn("yes wipe it all", "affirm", to_form=True)),
    "form_message help": lambda: turns.form_message(
        "worksheet", turn("help", "help", {"requested_slot": "q3_safety_meaning"}, to_form=True)
    ),
}


@pytest.mark.parametrize("name, expected", [(n, 1) for n in STORE_TURNS] + [(n, 0) for n in PLAIN_TURNS])
def test_a_turn_is_one_unit_of_work(data_dir, units_of_work, name, expected):
    _half_way(data_dir)
    units_of_work.clear()
    reply = {**STORE_TURNS, **PLAIN_TURNS}[name]()
    assert reply.messages or reply.slots
    assert len(units_of_work) == expected


def test_every_turn_is_counted():
    defined = inspect.getmembers(turns, lambda f: inspect.isfunction(f) and f.__module__ == turns.__name__)
    taking_a_turn = {name for name, f in defined if "turn" in inspect.signature(f).parameters}
    assert {n for n in taking_a_turn if not n.startswith("_")} == {n.split()[0] for n in {**STORE_TURNS, **PLAIN_TURNS}}


def test_the_counter_sees_each_unit_of_work(data_dir, units_of_work):
    service.export(CLIENT)
    service.position(CLIENT)
    assert len(units_of_work) == 2


def test_typed_after_a_pause_is_not_taken_as_the_answer_nor_resumes_the_flow(data_dir):
    _half_way(data_dir)
    reply = turns.open_flow(turn("omg i forgot this existed"))
    assert [m.response for m in reply.messages] == ["utter_not_sure"]
    assert reply.messages[0].buttons[0] == {"title": "Continue", "payload": "/resume"}
    assert ("flow", "none") in reply.slots
    assert "q3_safety_meaning" not in service.export(CLIENT)["worksheet_answers"]
    resumed = turns.open_flow(turn("/resume", "resume"))
    assert [m.response for m in resumed.messages] == ["utter_flow_resumed"]
    assert ("q3_safety_meaning", None) in resumed.slots


@pytest.mark.parametrize(
    "text, response",
    [
        ("been feeling really low this week, work has been a lot", "utter_acknowledge"),
        ("my therapist yawned while I was telling her about my breakup", "utter_rupture"),
        ("i keep cancelling my sessions at the last minute", "utter_acknowledge_tip"),
        ("is it normal to forget everything I wanted to say the moment I sit down?", "utter_acknowledge_tip"),
    ],
)
def test_a_remark_outside_a_question_gets_a_reply_to_what_was_said(data_dir, text, response):
    _half_way(data_dir)
    reply = turns.open_flow(turn(text))
    assert [m.response for m in reply.messages] == [response] and ("flow", "none") in reply.slots
    assert "q3_safety_meaning" not in service.export(CLIENT)["worksheet_answers"]


def test_a_yes_to_the_draft_offer_opens_the_draft(data_dir):
    reply = turns.open_flow(turn("yeah go on", "affirm", {"offer": "draft"}))
    assert reply.messages[0].response == "utter_flow_started" and ("flow", "draft") in reply.slots
    assert reply.slots[0] == ("offer", None)


@pytest.mark.parametrize(
    "action, text, intent",
    [
        (turns.give_tip, "Sure thing, though honestly I'm never sure how to phrase feedback", "ask_tip"),
        (turns.acknowledge, "yes please. I get so anxious about saying it to her face", "feeling"),
        (turns.open_flow, "ok - that would be good, I'd like that", "inform"),
    ],
)
def test_a_yes_said_first_takes_the_offer_whatever_follows(data_dir, action, text, intent):
    said = turn(text, intent, {"offer": "draft"})
    reply = action(said)
    if action is not turns.open_flow:  # handed on to the action that opens flows
        assert (reply.messages, reply.followed_by) == ([], turns.OPEN_FLOW)
        reply = turns.open_flow(said)
    assert reply.messages[0].response == "utter_flow_started" and ("flow", "draft") in reply.slots


def test_a_no_anywhere_is_not_a_yes_to_the_offer(data_dir):
    reply = turns.give_tip(turn("ok but not now, maybe later", "ask_tip", {"offer": "draft"}))
    assert reply.messages[0].response == "utter_tip"


@pytest.mark.parametrize(
    "text, intent, confirmed",
    [
        ("ya im sure", "resume", "yes"),
        ("yes wipe it all", "delete_my_data", "yes"),
        ("nooo keep it i changed my mind", "keep_private", "no"),
        ("hmm no wait", "ask_tip", "no"),
        ("/affirm", "affirm", "yes"),
        ("what happens to my check-ins?", "inform", None),
    ],
)
def test_delete_everything_is_answered_in_the_client_s_words(data_dir, text, intent, confirmed):
    reply = turns.confirm_delete(turn(text, intent, to_form=True))
    assert reply.slots == [("delete_confirmed", confirmed)]
    if confirmed is None:
        assert [m.response for m in reply.messages] == ["utter_yes_or_no"]


def test_without_a_yes_nothing_is_deleted(data_dir):
    _half_way(data_dir)
    reply = turns.delete_my_data(turn("no", "deny", {"delete_confirmed": "no"}))
    assert [m.response for m in reply.messages] == ["utter_delete_cancelled"]
    assert service.export(CLIENT)["worksheet_answers"]


def test_the_last_draft_question_reads_the_draft_back(data_dir):
    _half_way(data_dir)
    reply = turns.form_message(
        "draft",
        turn("Ask me before moving on", slots={"requested_slot": "draft_instead", "flow_run": "d1"}, to_form=True),
    )
    assert reply.slots == [("draft_instead", "stored"), ("invited_more", None), ("pending_answer", None)]
    assert reply.messages[-1].response == "utter_draft_shown"
    assert "Ask me before moving on" in reply.messages[-1].variables["draft"]


def test_keep_it_keeps_the_draft_as_it_was_read_back(data_dir):
    _half_way(data_dir)
    service.save_answer(CLIENT, "draft", "d1", "draft_instead", "ask me first", "d3")
    reply = turns.form_message(
        "draft", turn("keep it", slots={"requested_slot": "draft_text", "flow_run": "d1"}, to_form=True)
    )
    assert reply.messages == [] and reply.slots == [
        ("draft_text", "stored"),
        ("invited_more", None),
        ("pending_answer", None),
    ]
    kept = service.export(CLIENT)["drafts"][0]["draft_text"]["value"]
    assert "she moved on too fast" in kept and "ask me first" in kept


def test_a_failed_read_after_a_save_keeps_nothing_and_the_question_open(data_dir, monkeypatch):
    """The turn is stored whole or not at all: the answer saved before the
    store failed is rolled back with the rest."""
    _half_way(data_dir)
    reads = []

    def failing_second_read(self, flow, run):
        reads.append(flow)
        raise RuntimeError("database went away")

    monkeypatch.setattr(service.Reflections, "answers_of", failing_second_read)
    reply = turns.form_message(
        "draft",
        turn("Ask me before moving on", slots={"requested_slot": "draft_instead", "flow_run": "d1"}, to_form=True),
    )
    assert reads == ["draft"]
    assert [m.response for m in reply.messages] == ["utter_save_failed"]
    assert reply.slots == [("draft_instead", None)]
    assert "draft_instead" not in service.export(CLIENT)["drafts"][0]


def test_a_low_checkin_offers_a_tip_once(data_dir):
    _half_way(data_dir)
    reply = turns.finish_flow(turn("no", "deny", {"flow": "checkin", "flow_run": "r1"}))
    assert [m.response for m in reply.messages] == ["utter_checkin_done", "utter_low_rating_tip"]
    assert reply.slots == [("flow", None), ("change_target", None), ("offer", "draft"), ("tip_offered", True)]
    assert service.position(CLIENT) == (None, None)
    again = turns.finish_flow(turn("no", "deny", {"flow": "checkin", "flow_run": "r1", "tip_offered": True}))
    assert [m.response for m in again.messages] == ["utter_checkin_done"]


def test_a_failed_delete_says_so_and_keeps_the_conversation(data_dir, monkeypatch):
    _half_way(data_dir)

    def broken(*_args):
        raise RuntimeError("database is down")

    monkeypatch.setattr(repo, "delete_client", broken)
    reply = turns.delete_my_data(turn("yes", "affirm", {"delete_confirmed": "yes"}))
    assert [m.response for m in reply.messages] == ["utter_delete_failed"] and reply.slots == []
    assert service.export(CLIENT)["worksheet_answers"]


@pytest.mark.parametrize(
    "text, then_response, leaves",
    [
        ("A room where nobody shouts. I have to stop there for tonight though", None, "pause"),
        ("A room where nobody shouts - what have I written so far?", "show_answers", None),
    ],
)
def test_an_answer_with_a_command_is_stored_and_the_command_carried_out(data_dir, text, then_response, leaves):
    _half_way(data_dir)
    reply = turns.form_message("worksheet", turn(text, slots={"requested_slot": "q3_safety_meaning"}, to_form=True))
    stored = service.export(CLIENT)["worksheet_answers"]["q3_safety_meaning"]["value"]
    assert stored.startswith("A room where nobody shouts") and "?" not in stored and "tonight" not in stored
    assert ("q3_safety_meaning", "stored") in reply.slots
    if leaves:
        assert reply.slots[-2:] == [("after_form", leaves), ("requested_slot", None)]
        finished = turns.finish_flow(turn(text, slots={"after_form": leaves, "flow": "worksheet"}))
        assert [m.response for m in finished.messages] == ["utter_paused"]
        assert service.position(CLIENT)[0] == "worksheet"  # paused, not finished
    else:
        assert any("Here is what you have written" in (m.text or "") for m in reply.messages)


def test_an_answer_then_skip_the_next_one_stores_it_and_skips_the_next_question(data_dir):
    _half_way(data_dir)
    reply = turns.form_message(
        "worksheet",
        turn(
            "A room where nobody shouts. Then skip the next one please",
            slots={"requested_slot": "q3_safety_meaning"},
            to_form=True,
        ),
    )
    answers = service.export(CLIENT)["worksheet_answers"]
    assert answers["q3_safety_meaning"]["value"] == "A room where nobody shouts."
    assert answers["q4_safety_conditions"]["status"] == "skipped"
    assert ("q4_safety_conditions", "skipped") in reply.slots
    assert [m.response for m in reply.messages] == ["utter_skipped"]


def test_a_feeling_mid_question_is_acknowledged_kept_and_saved_only_when_asked(data_dir):
    _half_way(data_dir)
    text = "ngl this one is making me a bit emotional"
    reply = turns.form_message("worksheet", turn(text, slots={"requested_slot": "q3_safety_meaning"}, to_form=True))
    assert [m.response for m in reply.messages][-1] == "utter_offer_save"
    assert ("pending_answer", text) in reply.slots and ("q3_safety_meaning", None) in reply.slots
    assert "q3_safety_meaning" not in service.export(CLIENT)["worksheet_answers"]
    turns.form_message(
        "worksheet",
        turn(
            "/save_answer",
            "save_answer",
            to_form=True,
            slots={"requested_slot": "q3_safety_meaning", "pending_answer": text},
        ),
    )
    assert service.export(CLIENT)["worksheet_answers"]["q3_safety_meaning"]["value"] == text
