"""One function per conversational turn: a `Turn` in, a `Reply` out.

Each turn that reads or writes the store does all of it in one unit of work
(`service.reflections`), so a turn is stored whole or not at all; a turn that
needs nothing stored (a tip, a pause, a download link) opens none. The
decisions about a message come from `bot.dialogue`; the actions in `actions/`
only turn the tracker into a `Turn` and the `Reply` into rasa-sdk calls.
Synchronous: the action server runs them in a worker thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable, Dict, List, Optional, Tuple

from bot import commands, cues, dialogue, service, summary, tips, validators, worksheet
from bot.channels import tokens
from bot.settings import get_settings
from bot.store import repository as repo

logger = logging.getLogger(__name__)

FLOW_OF_INTENT = {
    "start_worksheet": "worksheet",
    "start_checkin": "checkin",
    "start_closing": "closing",
    "start_draft": "draft",
}
TIP_BUTTONS = [
    {"title": "Another tip", "payload": "/another_tip"},
    {"title": "Draft something to tell my therapist", "payload": "/start_draft"},
]
MENU_BUTTONS = [
    {"title": "Start the worksheet", "payload": "/start_worksheet"},
    {"title": "Session check-in", "payload": "/start_checkin"},
    {"title": "Closing reflection", "payload": "/start_closing"},
    {"title": "Help", "payload": "/help"},
]
EXPORT_LINK_MINUTES = 10
OPEN_FLOW = "action_open_flow"


@dataclass(frozen=True)
class Turn:
    """The client's latest message and what the conversation holds."""

    client_id: str
    message_id: str = ""
    text: str = ""
    intent: str = ""
    confidence: float = 0.0
    entities: Dict[str, Any] = field(default_factory=dict)  # entity -> its first value
    slots: Dict[str, Any] = field(default_factory=dict)
    today: date = field(default_factory=lambda: today())
    to_form: bool = False  # the message went to the running form (not its activation)
    channel: Optional[str] = None  # the input channel the message came through

    def slot(self, name: str) -> Any:
        return self.slots.get(name)

    @property
    def actor(self) -> str:
        """Who acts, for the audit log: the client only when the widget
        channel checked their token; the local REST channel and the shell
        take the id on trust."""
        return "client" if self.channel == tokens.CHANNEL else f"unverified ({self.channel or 'unknown'} channel)"


@dataclass(frozen=True)
class Message:
    """One message to the client: a response by name with its variables, or text."""

    response: Optional[str] = None
    text: Optional[str] = None
    buttons: Optional[List[Dict[str, str]]] = None
    json_message: Optional[Dict[str, Any]] = None
    variables: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Reply:
    """What a turn answers: messages to send and slots to set, each in order."""

    messages: List[Message] = field(default_factory=list)
    slots: List[Tuple[str, Any]] = field(default_factory=list)
    followed_by: Optional[str] = None  # an action to run next, instead of what the rules would

    def say(
        self,
        response: Optional[str] = None,
        *,
        text: Optional[str] = None,
        buttons=None,
        json_message=None,
        **variables: Any,
    ) -> "Reply":
        self.messages.append(Message(response, text, buttons, json_message, variables))
        return self

    def set(self, slot: str, value: Any) -> "Reply":
        self.slots.append((slot, value))
        return self


def today() -> date:
    """The client's today, in the practice's time zone when one is set."""
    zone = get_settings().timezone
    if zone:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo(zone)).date()
    return datetime.now().date()


def _open_flow_slots(reply: Reply, state: service.FlowState) -> Reply:
    for slot, marker in state.slots.items():
        reply.set(slot, marker)
    reply.set("flow", state.flow).set("invited_more", None)
    if state.flow in service.REPEATED_FLOWS:
        reply.set("flow_run", state.run)
    return reply


def _run_of(flow: str, turn: Turn) -> str:
    if flow in service.REPEATED_FLOWS:
        return turn.slot("flow_run") or "unknown"
    return repo.MAIN_RUN


def answer_buttons(export: Dict[str, Any], payload: str) -> List[Dict[str, str]]:
    """One button per question the client has answered, e.g. to change it or
    keep it private; `payload` has a `{slot}` placeholder."""
    answered = []
    if export.get("checklist"):
        answered.append(worksheet.CHECKLIST_SLOT)
    answered += list((export.get("worksheet_answers") or {}).keys())
    if export.get("checkins"):
        answered += [k for k in export["checkins"][-1] if k != "id"]
    answered += list((export.get("closing_reflection") or {}).keys())
    return [{"title": worksheet.QUESTIONS[s].label, "payload": payload.replace("{slot}", s)} for s in answered]


# --- flows: greet, open or resume, finish, pause, change an answer ------------
def greet(turn: Turn) -> Reply:
    """The introduction the first time; later, a welcome back (to the flow the
    client is in, when there is one)."""
    with service.reflections(turn.client_id) as client:
        first = client.first_visit()
        flow = None if first else client.position()[0]
    if first:
        return Reply().say("utter_intro").say("utter_menu", buttons=MENU_BUTTONS)
    if flow:
        return Reply().say(
            "utter_welcome_back_in_flow",
            flow_title=worksheet.FLOW_TITLES[flow],
            buttons=[{"title": "Continue", "payload": "/resume"}] + MENU_BUTTONS[1:],
        )
    return Reply().say("utter_welcome_back", buttons=MENU_BUTTONS)


def open_flow(turn: Turn) -> Reply:
    """Start, continue or resume a flow; the rules then run its form. A yes
    to an offer ("draft it together?") opens what was offered. Something typed
    while no question is open is answered for what it is (a feeling, a
    question about therapy, something that went wrong with the therapist);
    it is never stored as the answer to the question the client stopped at,
    and anything else the client is not understood to want (`inform`) gets
    the choices, with "Continue" first, rather than a resumed flow."""
    reply = Reply().set("offer", None)
    flow = FLOW_OF_INTENT.get(turn.intent)
    if flow is None and (
        _yes_to_the_offer(turn)
        or (
            turn.slot("offer") in worksheet.FLOWS
            and turn.intent in ("affirm", "resume")
            and cues.yes_or_no(turn.text) != "no"
        )
    ):
        flow = turn.slot("offer")
    if flow is None and turn.intent not in ("affirm", "resume", "save_answer"):
        remark = _reply_to_remark(turn, reply)
        if remark is not None:
            return remark.set("flow", "none")
    with service.reflections(turn.client_id) as client:
        position = client.position()[0]
        if flow is None and turn.intent == "inform":
            # neither a yes nor a remark: the client chooses; a flow is not resumed on a guess
            buttons = [{"title": "Continue", "payload": "/resume"}] + MENU_BUTTONS[1:] if position else MENU_BUTTONS
            return reply.say("utter_not_sure", buttons=buttons).set("flow", "none")
        flow = flow or position
        if not flow:
            return reply.say("utter_nothing_to_resume", buttons=MENU_BUTTONS).set("flow", "none")
        state = client.open_flow(flow)
    if state.next_slot is None:
        return reply.say("utter_flow_already_done", flow_title=worksheet.FLOW_TITLES[flow]).set("flow", "none")
    started = any(marker is not None for marker in state.slots.values())
    reply.say("utter_flow_resumed" if started else "utter_flow_started", flow_title=worksheet.FLOW_TITLES[flow])
    return _open_flow_slots(reply, state)


def _reply_to_remark(turn: Turn, reply: Reply) -> Optional[Reply]:
    """A feeling, a question about therapy or a rupture, matched by meaning:
    an acknowledgement, the tip that fits, or the rupture guidance. None when
    the message is about none of these."""
    topic = tips.topic_of(turn.text)
    if topic == "rupture":
        return reply.say("utter_rupture")
    if topic == "feeling":
        return reply.say("utter_acknowledge")
    if topic is None and cues.is_question(turn.text):
        topic = tips.match_tip(turn.text, asked=True)  # "is it normal to...?": the tip that answers it
    if topic in worksheet.TIPS_BY_KEY:
        given = list(turn.slot("tips_given") or [])
        return reply.say("utter_acknowledge_tip", tip=tips.tip_text(topic), buttons=TIP_BUTTONS).set(
            "tips_given", given + [topic]
        )
    return None


def acknowledge(turn: Turn) -> Reply:
    """A feeling shared outside a question: acknowledged, with the tip that
    fits it when one does."""
    if _yes_to_the_offer(turn):
        return Reply(followed_by=OPEN_FLOW)  # the offer is taken there, and the rules run its form
    return _reply_to_remark(turn, Reply()) or Reply().say("utter_acknowledge")


def finish_flow(turn: Turn) -> Reply:
    """The form is done: a changed answer is confirmed; a finished flow gets its
    closing words (a check-in its ratings and, where they fit, a tip). A form
    left for a command (`after_form`: a pause, a change) is not finished: the
    command is carried out."""
    flow = turn.slot("flow")
    command = turn.slot("after_form")
    if command == "change_answer":  # the form was left, not finished: which answer?
        with service.reflections(turn.client_id) as client:
            return _ask_which_answer(client).set("after_form", None)
    if command:
        return pause(turn).set("after_form", None)
    reply = Reply().set("flow", None).set("change_target", None)
    if turn.slot("change_target"):
        return reply.say("utter_answer_updated")
    run = turn.slot("flow_run")
    with service.reflections(turn.client_id) as client:
        client.finish_flow()
        checkins = client.export()["checkins"] if flow == "checkin" else []
        draft = client.answers_of("draft", run).get("draft_text") if flow == "draft" else None
    if flow == "checkin":
        index = next((i for i, c in enumerate(checkins) if c["id"] == run), None)
        checkin = checkins[index] if index is not None else {}
        previous = checkins[index - 1] if index else {}
        reply.say(
            "utter_checkin_done", trust=_rating(checkin, "trust_rating"), safety=_rating(checkin, "safety_rating")
        )
        _offer_after_checkin(reply, turn, checkin, previous)
    elif flow == "draft":
        reply.say("utter_draft_saved", draft=draft or "")
    elif flow in ("worksheet", "closing"):
        reply.say(f"utter_{flow}_done", buttons=MENU_BUTTONS[1:])
    return reply


def _rating(checkin: Dict[str, Any], slot: str) -> str:
    answer = checkin.get(slot) or {}
    return dialogue.describe_value(slot, answer["value"]) if answer.get("value") else "skipped"


def _offer_after_checkin(reply: Reply, turn: Turn, checkin: Dict[str, Any], previous: Dict[str, Any]) -> None:
    """A low or falling rating: a gentle tip and an offer to draft feedback;
    a rise: celebrate progress. Once per conversation."""
    if turn.slot("tip_offered"):
        return
    value = lambda c, k: (c.get(k) or {}).get("value")  # noqa: E731
    change = tips.after_checkin(
        value(checkin, "trust_rating"),
        value(checkin, "safety_rating"),
        value(previous, "trust_rating"),
        value(previous, "safety_rating"),
    )
    if change == "low":
        reply.say(
            "utter_low_rating_tip",
            tip=tips.tip_text("feedback"),
            buttons=[
                {"title": "Draft feedback together", "payload": "/start_draft"},
                {"title": "Not now", "payload": "/deny"},
            ],
        )
        reply.set("offer", "draft")
    elif change == "rise":
        reply.say("utter_celebrate", tip=tips.tip_text("celebrate_progress"))
    else:
        return
    reply.set("tip_offered", True)


def pause(turn: Turn) -> Reply:
    return Reply().say("utter_goodbye" if turn.intent == "goodbye" else "utter_paused").set("invited_more", None)


def change_answer(turn: Turn) -> Reply:
    """Re-open one earlier question; its form then asks it again. The old
    answer stays in the history."""
    target = turn.entities.get("change_target") or validators.find_question(turn.text) or ""
    with service.reflections(turn.client_id) as client:
        if worksheet.SLOT_TO_FLOW.get(target) in (None, "draft") or target == worksheet.INTRO_SLOT:
            return _ask_which_answer(client)
        flow = worksheet.SLOT_TO_FLOW[target]
        run = client.latest_run(flow)
        if run is None:
            return Reply().say("utter_nothing_to_change").set("flow", "none")
        state = client.open_flow(flow, run)
    reply = _open_flow_slots(Reply().say("utter_changing_answer"), state)
    return reply.set(target, None).set("change_target", target)


def _ask_which_answer(client: service.Reflections) -> Reply:
    buttons = answer_buttons(client.export(), '/change_answer{"change_target":"{slot}"}')
    return Reply().say("utter_ask_which_answer", buttons=buttons).set("flow", "none")


# --- forms: each message given to a form ----------------------------------------
def form_message(flow: str, turn: Turn) -> Reply:
    """`validate_<flow>_form`: interprets a message given to the form, stores
    the answer at once, and answers help, skip, tips and the client's data
    commands without leaving the form. An empty reply rejects the form, so that
    pause, change and the other redirects are handled by the rules. When the
    store fails, the client is told so and the question stays open."""
    slot = turn.slot("requested_slot")
    if not turn.to_form or slot not in worksheet.FLOWS[flow]:
        return Reply()  # activation: nothing was said to this form yet
    # What the message asks for, from the repository's data alone (not the
    # trained model), so that no retraining can move this decision.
    intent, confidence = commands.intent_of(turn.text)
    outcome = dialogue.decide(
        slot,
        turn.text,
        intent,
        confidence,
        turn.today,
        turn.slot("invited_more"),
        pending=turn.slot("pending_answer"),
        day_first=get_settings().day_first,
    )
    if outcome.kind in dialogue.FORM_EXITS and turn.intent != outcome.kind:
        return _leave_form(Reply(), outcome.kind)  # the message's intent says otherwise: no rule would
    if outcome.kind in dialogue.REDIRECT_INTENTS:
        return Reply()  # rejects the form: the rules handle the message's intent
    if outcome.kind == "reask":
        return Reply().say(outcome.note).set(slot, None)
    if outcome.kind == "explain":
        return Reply().say("utter_explain_question", hint=outcome.note).set(slot, None)
    if outcome.kind == "clarify":
        return _clarify(slot, outcome)
    if outcome.kind == "remark":
        return _remark(turn, outcome).set(slot, None)
    stored = _STORED_IN_FORM.get(outcome.kind)
    try:
        if stored:
            return _after_answer(stored(flow, slot, outcome, turn), outcome.then, flow, slot, turn)
        return _ASKED_IN_FORM[outcome.kind](turn).set(slot, None)  # then the same question again
    except Exception:  # the store is down: say so, keep the question open
        logger.exception("Could not store an answer for %s", slot)
        return Reply().say("utter_save_failed").set(slot, None)


def _leave_form(reply: Reply, command: str) -> Reply:
    """Ends the question without finishing the flow: `finish_flow` then
    carries out the command (a pause, a change of an earlier answer)."""
    return reply.set("after_form", command).set("requested_slot", None)


def _after_answer(reply: Reply, command: Optional[str], flow: str, slot: str, turn: Turn) -> Reply:
    """What the client asked for beside their answer, once it is stored."""
    if command is None:
        return reply
    if command == "skip":  # "...then skip the next one": the question after this one
        later = worksheet.FLOWS[flow][worksheet.FLOWS[flow].index(slot) + 1 :]
        following = next((s for s in later if turn.slot(s) is None), None)
        if following is not None:
            skipped = _skip(flow, following, dialogue.Outcome("skip"), turn)
            reply.messages += skipped.messages
            reply.slots += skipped.slots
        return reply
    if command in dialogue.FORM_EXITS:
        return _leave_form(reply, command)
    if command == dialogue.EXPLAIN:
        return reply.say("utter_explain_question", hint=worksheet.QUESTION_HINTS.get(slot))
    asked = _ASKED_IN_FORM.get(command)
    if asked is not None:
        extra = asked(turn)
        reply.messages += extra.messages
        reply.slots += extra.slots
    return reply


def _remark(turn: Turn, outcome: dialogue.Outcome) -> Reply:
    """A feeling, a rupture or a question of the client's own, mid-question:
    acknowledged (with the tip that fits, or the rupture guidance), then the
    question again. In a free-text question the message is kept, and the
    client can still have it saved as their answer."""
    topic = tips.topic_of(turn.text)
    reply = Reply()
    if topic == "rupture":
        reply.say("utter_rupture")
    else:
        given = list(turn.slot("tips_given") or [])
        if topic not in worksheet.TIPS_BY_KEY and outcome.note == "question":
            # their own question: the tip that answers it, else the next one not given
            topic = tips.match_tip(turn.text, asked=True) or tips.next_tip(given)
        if topic in worksheet.TIPS_BY_KEY:
            reply.say("utter_acknowledge_tip", tip=tips.tip_text(topic)).set("tips_given", given + [topic])
        else:
            reply.say("utter_acknowledge_in_question")
    if outcome.value and outcome.note != "question":
        reply.say(
            "utter_offer_save", buttons=[{"title": "Save it as my answer", "payload": f"/{dialogue.SAVE_ANSWER}"}]
        )
        reply.set("pending_answer", outcome.value)
    return reply


def _clarify(slot: str, outcome: dialogue.Outcome) -> Reply:
    """ "Would you like to pause here, or shall I save that as your answer?"
    The message is kept until the client chooses."""
    choice = dialogue.COMMAND_CHOICES.get(outcome.note or "", "pause here")
    buttons = [{"title": choice[:1].upper() + choice[1:], "payload": f"/{outcome.note}"}]
    if outcome.value is None:  # nothing that could be saved ("can't say" to a rating)
        return Reply().say("utter_choice_or_answer", choice=choice, buttons=buttons).set(slot, None)
    buttons.append({"title": "Save it as my answer", "payload": f"/{dialogue.SAVE_ANSWER}"})
    return (
        Reply()
        .say("utter_answer_or_command", choice=choice, buttons=buttons)
        .set("pending_answer", outcome.value)
        .set(slot, None)
    )


def _answer(flow: str, slot: str, outcome: dialogue.Outcome, turn: Turn) -> Reply:
    """Stores the answer; a one-word answer invites more, the checklist offers
    its tips, the last drafting question reads the draft back, and "keep it"
    keeps the draft as it was read back."""
    value, note, draft = outcome.value, outcome.note, None
    run = _run_of(flow, turn)
    with service.reflections(turn.client_id) as client:
        if slot == "draft_text" and dialogue.keeps_draft(value, turn.intent):
            value, note = _draft(client.answers_of(flow, run)), None
        if value is not None:
            client.save_answer(flow, run, slot, value, turn.message_id)
        if slot == "draft_instead" and note != "utter_invite_more":
            draft = _draft(client.answers_of(flow, run))
    if note == "utter_invite_more":
        return Reply().say(note).set(slot, None).set("invited_more", slot)
    reply = Reply().say(note) if note else Reply()
    reply.set(slot, dialogue.STORED).set("invited_more", None).set("pending_answer", None)
    if slot == worksheet.CHECKLIST_SLOT:
        reply.say("utter_checklist_noted", items=dialogue.describe_value(slot, value))
        _offer_checklist_tips(reply, turn, value)
    if draft is not None:
        reply.say("utter_draft_shown", draft=draft)
    return reply


def _draft(parts: Dict[str, Any]) -> str:
    return worksheet.compose_draft(parts.get("draft_what"), parts.get("draft_feeling"), parts.get("draft_instead"))


def _offer_checklist_tips(reply: Reply, turn: Turn, items: Any) -> None:
    """Once per conversation: the tips that answer the items ticked."""
    keys = tips.tips_for_checklist(items)
    if not keys or turn.slot("tip_offered"):
        return
    reply.say("utter_tips_for_checklist", tips="\n".join(f"- {tips.tip_text(k)}" for k in keys))
    given = list(turn.slot("tips_given") or [])
    reply.set("tip_offered", True).set("tips_given", given + [k for k in keys if k not in given])


def _skip(flow: str, slot: str, outcome: dialogue.Outcome, turn: Turn) -> Reply:
    with service.reflections(turn.client_id) as client:
        client.save_answer(flow, _run_of(flow, turn), slot, None, turn.message_id, repo.SKIPPED)
    reply = Reply().say("utter_skipped").set(slot, dialogue.SKIPPED).set("invited_more", None)
    for filled, marker in outcome.fills.items():
        reply.set(filled, marker)
    return reply


def _nothing(flow: str, slot: str, outcome: dialogue.Outcome, turn: Turn) -> Reply:
    with service.reflections(turn.client_id) as client:
        client.save_answer(flow, _run_of(flow, turn), slot, None, turn.message_id)
    reply = Reply()
    for filled, marker in outcome.fills.items():
        reply.set(filled, marker)
    return reply.set("invited_more", None)


_STORED_IN_FORM: Dict[str, Callable[[str, str, dialogue.Outcome, Turn], Reply]] = {
    "answer": _answer,
    "skip": _skip,
    "nothing": _nothing,
}


# --- tips -------------------------------------------------------------------------
def _yes_to_the_offer(turn: Turn) -> bool:
    """A yes said first to an open offer ("draft it together?"), however much
    follows it: the offer is taken, whatever the rest sounded like."""
    return turn.slot("offer") in worksheet.FLOWS and cues.opens_with_yes(turn.text)


def give_tip(turn: Turn) -> Reply:
    """A tip: the one asked for in the client's words, else the next one not given."""
    if _yes_to_the_offer(turn):
        return Reply(followed_by=OPEN_FLOW)  # the offer is taken there, and the rules run its form
    given = list(turn.slot("tips_given") or [])
    key = tips.match_tip(turn.text, asked=True) if turn.intent == "ask_tip" else None
    key = key or tips.next_tip(given)
    return Reply().say("utter_tip", tip=tips.tip_text(key), buttons=TIP_BUTTONS).set("tips_given", given + [key])


# --- the client's control of their data ------------------------------------------
def show_answers(turn: Turn) -> Reply:
    with service.reflections(turn.client_id) as client:
        export = client.export()
    return Reply().say(text=dialogue.answers_text(export))


def show_summary(turn: Turn) -> Reply:
    """What the clinician will see, exactly as the summary holds it."""
    with service.reflections(turn.client_id) as client:
        data = client.summary()
    return Reply().say(text=summary.as_text(data))


def keep_private(turn: Turn) -> Reply:
    """Leaves the answer named out of the summary, or asks which one."""
    target = turn.entities.get("private_target") or validators.find_question(turn.text)
    with service.reflections(turn.client_id) as client:
        if target in worksheet.QUESTIONS and client.keep_private(target, turn.actor):
            return Reply().say("utter_kept_private", label=worksheet.QUESTIONS[target].label)
        buttons = answer_buttons(client.export(), '/keep_private{"private_target":"{slot}"}')
    return Reply().say("utter_ask_which_private" if buttons else "utter_nothing_to_keep_private", buttons=buttons)


def download_my_data(turn: Turn) -> Reply:
    """A link to the client's own export, for this client and a few minutes."""
    settings = get_settings()
    token = tokens.mint(turn.client_id, EXPORT_LINK_MINUTES / 60, settings, purpose="export")
    return Reply().say("utter_download_link", link=f"{settings.portal_url}/me/export#token={token}")


def confirm_delete(turn: Turn) -> Reply:
    """`validate_delete_form`: the answer to "delete everything?", read as a
    yes or a no in the client's words; anything else asks again. A way out
    (pause, goodbye) keeps the data."""
    if not turn.to_form:
        return Reply()  # activation: the question is asked
    said = cues.yes_or_no(turn.text, deleting=True)
    if said is None and turn.confidence >= dialogue.MIN_COMMAND_CONFIDENCE:
        said = {"affirm": "yes", "deny": "no", "pause": "no", "goodbye": "no", "keep_private": "no"}.get(turn.intent)
    if said is None and cues.strong_command(turn.text or "") == "pause":
        said = "no"
    if said is None:
        return Reply().say("utter_yes_or_no").set("delete_confirmed", None)
    return Reply().set("delete_confirmed", said)


def delete_my_data(turn: Turn) -> Reply:
    """After the client answered "delete everything?": on a yes, erase their
    reflections here, and (through the `data_erased` slot) their conversation
    in the tracker store; on a no, keep everything."""
    if turn.slot("delete_confirmed") != "yes":
        return Reply().say("utter_delete_cancelled").set("delete_confirmed", None)
    try:
        with service.reflections(turn.client_id) as client:
            client.delete_all(turn.actor)
    except Exception:
        logger.exception("Could not delete a client's data")
        return Reply().say("utter_delete_failed")
    return Reply().say("utter_data_deleted", json_message={"erase_transcript": True}).set("data_erased", True)


# Commands answered inside a form, after which the same question is asked again.
_ASKED_IN_FORM: Dict[str, Callable[[Turn], Reply]] = {
    "help": lambda turn: Reply().say("utter_help"),
    "ask_bot": lambda turn: Reply().say("utter_what_i_am"),
    "ask_tip": give_tip,
    "another_tip": give_tip,
    "show_answers": show_answers,
    "what_therapist_sees": show_summary,
    "keep_private": keep_private,
    "download_my_data": download_my_data,
}


# --- safety -----------------------------------------------------------------------
def after_escalation(turn: Turn) -> Reply:
    """After a safety reply: nothing resumes until the client asks to go on.
    (The escalation itself is shown and recorded by the Rasa server.)"""
    return Reply().set("flow", None)
