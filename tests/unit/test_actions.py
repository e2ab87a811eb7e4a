"""Actions with a fresh dispatcher and an inline tracker; the store is a real
SQLite database in a temporary folder."""

import asyncio
from pathlib import Path

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.flows import ActionChangeAnswer, ActionFinishFlow, ActionGreet, ActionOpenFlow
from actions.forms import ValidateCheckinForm, ValidateWorksheetForm
from bot import service
from bot.store import repository
from bot.worksheet import FLOWS


def tracker(
    text,
    intent,
    slots=None,
    message_id="m1",
    latest_action="action_listen",
    loop=None,
    sender="client-a",
    entities=None,
):
    """As Rasa sends it: for a form's validator, the form's own run comes last."""
    events = [{"event": "action", "name": latest_action}, {"event": "user", "text": text, "message_id": message_id}]
    if loop:
        events.append({"event": "action", "name": loop})
    return Tracker(
        sender_id=sender,
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.97}, "entities": entities or []},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": loop} if loop else {},
        latest_action_name=latest_action,
    )


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return events, dispatcher.messages


def test_first_greeting_introduces_the_assistant_then_welcomes_back(data_dir):
    events, messages = run(ActionGreet(), tracker("hi", "greet"))
    assert events == []
    assert [m["response"] for m in messages] == ["utter_intro", "utter_menu"]
    events, messages = run(ActionGreet(), tracker("hi", "greet"))
    assert [m["response"] for m in messages] == ["utter_welcome_back"]


def test_opening_the_worksheet_sets_its_slots(data_dir):
    events, messages = run(ActionOpenFlow(), tracker("start the worksheet", "start_worksheet"))
    assert events == [SlotSet("offer", None)] + [SlotSet(s, None) for s in FLOWS["worksheet"]] + [
        SlotSet("flow", "worksheet"),
        SlotSet("invited_more", None),
    ]
    assert [m["response"] for m in messages] == ["utter_flow_started"]


def test_resume_with_nothing_started(data_dir):
    events, messages = run(ActionOpenFlow(), tracker("continue", "resume"))
    assert events == [SlotSet("offer", None), SlotSet("flow", "none")]
    assert [m["response"] for m in messages] == ["utter_nothing_to_resume"]


def test_an_answer_is_stored_at_once(data_dir):
    slots = {"requested_slot": "q1_trust_meaning"}
    t = tracker("Trust is knowing I can be honest without being judged", "inform", slots, loop="worksheet_form")
    events, messages = run(ValidateWorksheetForm(), t)
    assert events == [
        SlotSet("q1_trust_meaning", "stored"),
        SlotSet("invited_more", None),
        SlotSet("pending_answer", None),
    ]
    assert messages == []
    stored = service.export("client-a")["worksheet_answers"]["q1_trust_meaning"]
    assert stored["value"] == "Trust is knowing I can be honest without being judged"


def test_one_word_answer_is_stored_and_invites_more(data_dir):
    t = tracker("honesty", "inform", {"requested_slot": "q1_trust_meaning"}, loop="worksheet_form")
    events, messages = run(ValidateWorksheetForm(), t)
    assert events == [SlotSet("q1_trust_meaning", None), SlotSet("invited_more", "q1_trust_meaning")]
    assert [m["response"] for m in messages] == ["utter_invite_more"]
    assert service.export("client-a")["worksheet_answers"]["q1_trust_meaning"]["value"] == "honesty"


def test_invalid_rating_is_reasked_and_not_stored(data_dir):
    t = tracker("11", "inform", {"requested_slot": "trust_rating", "flow_run": "r1"}, loop="checkin_form")
    events, messages = run(ValidateCheckinForm(), t)
    assert events == [SlotSet("trust_rating", None)]
    assert [m["response"] for m in messages] == ["utter_rating_invalid"]
    assert service.export("client-a")["checkins"] == []


def test_rating_in_words_is_stored_as_a_number(data_dir):
    t = tracker("about seven", "inform", {"requested_slot": "trust_rating", "flow_run": "r1"}, loop="checkin_form")
    events, _ = run(ValidateCheckinForm(), t)
    assert events == [SlotSet("trust_rating", "stored"), SlotSet("invited_more", None), SlotSet("pending_answer", None)]
    assert service.export("client-a")["checkins"][0]["trust_rating"]["value"] == 7


def test_skip_is_recorded(data_dir):
    t = tracker("skip", "skip", {"requested_slot": "q2_past_trust"}, loop="worksheet_form")
    events, messages = run(ValidateWorksheetForm(), t)
    assert events == [SlotSet("q2_past_trust", "skipped"), SlotSet("invited_more", None)]
    assert [m["response"] for m in messages] == ["utter_skipped"]
    assert service.export("client-a")["worksheet_answers"]["q2_past_trust"]["status"] == "skipped"


def test_help_keeps_the_question_open(data_dir):
    t = tracker("help", "help", {"requested_slot": "q2_past_trust"}, loop="worksheet_form")
    events, messages = run(ValidateWorksheetForm(), t)
    assert events == [SlotSet("q2_past_trust", None)]
    assert [m["response"] for m in messages] == ["utter_help"]


def test_pause_ends_the_question_and_finishing_pauses_instead(data_dir):
    # Whatever intent the trained model gave, the form itself is left...
    t = tracker("I'll come back to this later", "inform", {"requested_slot": "q2_past_trust"}, loop="worksheet_form")
    events, messages = run(ValidateWorksheetForm(), t)
    assert events == [SlotSet("after_form", "pause"), SlotSet("requested_slot", None)] and messages == []
    # ...and action_finish_flow pauses without finishing the flow.
    t = tracker("I'll come back to this later", "inform", {"after_form": "pause", "flow": "worksheet"})
    events, messages = run(ActionFinishFlow(), t)
    assert [m["response"] for m in messages] == ["utter_paused"]
    assert SlotSet("after_form", None) in events
    assert service.export("client-a")["worksheet_answers"] == {}


def test_switching_flow_rejects_the_form_so_the_rules_take_over(data_dir):
    t = tracker("/start_checkin", "start_checkin", {"requested_slot": "q2_past_trust"}, loop="worksheet_form")
    events, messages = run(ValidateWorksheetForm(), t)
    assert events == [] and messages == []


def test_nothing_is_validated_at_activation(data_dir):
    t = tracker("start the worksheet", "start_worksheet", {"requested_slot": "q1_trust_meaning"}, loop="worksheet_form")
    t.events.insert(2, {"event": "action", "name": "action_open_flow"})
    assert run(ValidateWorksheetForm(), t) == ([], [])


def test_store_down_gives_a_kind_answer_and_keeps_the_question(data_dir, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(repository, "record_answer", broken)
    t = tracker("being listened to", "inform", {"requested_slot": "q4_safety_conditions"}, loop="worksheet_form")
    events, messages = run(ValidateWorksheetForm(), t)
    assert events == [SlotSet("q4_safety_conditions", None)]
    assert [m["response"] for m in messages] == ["utter_save_failed"]


def test_change_answer_reopens_that_question(data_dir):
    for slot in FLOWS["worksheet"]:
        service.save_answer("client-a", "worksheet", "main", slot, "x y", f"m-{slot}")
    t = tracker("change my answer to question 3", "change_answer")
    events, messages = run(ActionChangeAnswer(), t)
    assert events[-2:] == [SlotSet("q3_safety_meaning", None), SlotSet("change_target", "q3_safety_meaning")]
    assert SlotSet("flow", "worksheet") in events
    assert [m["response"] for m in messages] == ["utter_changing_answer"]


def test_change_answer_without_a_target_offers_buttons(data_dir):
    service.save_answer("client-a", "worksheet", "main", "q1_trust_meaning", "x y", "m1")
    events, messages = run(ActionChangeAnswer(), tracker("I want to change an answer", "change_answer"))
    assert events == [SlotSet("flow", "none")]
    assert messages[0]["response"] == "utter_ask_which_answer"
    assert messages[0]["buttons"] == [
        {"title": "What trust means to me", "payload": '/change_answer{"change_target":"q1_trust_meaning"}'}
    ]


def test_finishing_a_checkin_reports_its_ratings(data_dir):
    service.save_answer("client-a", "checkin", "r1", "trust_rating", 6, "m1")
    service.save_answer("client-a", "checkin", "r1", "safety_rating", 8, "m2")
    t = tracker("nothing", "deny", {"flow": "checkin", "flow_run": "r1"}, latest_action="checkin_form")
    events, messages = run(ActionFinishFlow(), t)
    assert events == [SlotSet("flow", None), SlotSet("change_target", None)]
    assert messages[0]["response"] == "utter_checkin_done"
    assert (messages[0]["trust"], messages[0]["safety"]) == ("6/10", "8/10")


def test_every_action_of_the_domain_is_registered():
    import glob

    import yaml
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    in_domain = set()
    for path in glob.glob(str(Path(__file__).resolve().parents[2] / "domain" / "*.yml")):
        in_domain |= set(yaml.safe_load(Path(path).read_text()).get("actions") or [])
    assert in_domain and set(executor.actions) == in_domain
