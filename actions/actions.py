"""Custom actions: thin and async. The decisions live in `bot.dialogue`, the
storage in `bot.service`; store calls run in a worker thread.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import dialogue, service, summary, tips, validators, worksheet
from bot.channels import tokens
from bot.settings import get_settings
from bot.store import repository as repo

logger = logging.getLogger(__name__)

FLOW_OF_INTENT = {
    "start_worksheet": "worksheet", "start_checkin": "checkin", "start_closing": "closing",
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


def _client_id(tracker: Tracker) -> str:
    return tracker.sender_id


def _message_id(tracker: Tracker) -> str:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return str(event.get("message_id") or "")
    return ""


def _spoken_to_form(tracker: Tracker) -> bool:
    """True when the client's latest message went to the running form, False
    when the form is being activated. Rasa calls the validator with the form's
    own run appended; the action before it is `action_listen` only in the loop."""
    actions = [e.get("name") for e in tracker.events if e.get("event") == "action"]
    return len(actions) >= 2 and actions[-2] == "action_listen"


def _intent(tracker: Tracker) -> tuple:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def _today():
    zone = get_settings().timezone
    if zone:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo(zone)).date()
    return datetime.now().date()


def _flow_events(state: service.FlowState) -> List[EventType]:
    events: List[EventType] = [SlotSet(slot, marker) for slot, marker in state.slots.items()]
    events += [SlotSet("flow", state.flow), SlotSet("invited_more", None)]
    if state.flow in service.REPEATED_FLOWS:
        events.append(SlotSet("flow_run", state.run))
    return events


async def _run(func, *args, **kwargs):
    return await asyncio.to_thread(func, *args, **kwargs)


class ActionGreet(Action):
    def name(self) -> Text:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        client = _client_id(tracker)
        if await _run(service.first_visit, client):
            dispatcher.utter_message(response="utter_intro")
            dispatcher.utter_message(response="utter_menu", buttons=MENU_BUTTONS)
            return []
        flow, _run_id = await _run(service.position, client)
        if flow:
            dispatcher.utter_message(
                response="utter_welcome_back_in_flow", flow_title=worksheet.FLOW_TITLES[flow],
                buttons=[{"title": "Continue", "payload": "/resume"}] + MENU_BUTTONS[1:],
            )
        else:
            dispatcher.utter_message(response="utter_welcome_back", buttons=MENU_BUTTONS)
        return []


class ActionOpenFlow(Action):
    """Start, continue or resume a flow; the rules then run its form."""

    def name(self) -> Text:
        return "action_open_flow"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        client = _client_id(tracker)
        intent, _confidence = _intent(tracker)
        position, _ = await _run(service.position, client)
        flow = FLOW_OF_INTENT.get(intent) or position
        if not flow:
            dispatcher.utter_message(response="utter_nothing_to_resume", buttons=MENU_BUTTONS)
            return [SlotSet("flow", "none")]
        state = await _run(service.open_flow, client, flow)
        if state.next_slot is None:
            dispatcher.utter_message(response="utter_flow_already_done", flow_title=worksheet.FLOW_TITLES[flow])
            return [SlotSet("flow", "none")]
        if intent == "inform":
            # Something typed while no question was open, after a pause or a new
            # session: it answers the question the client stopped at.
            state = await self._take_as_answer(tracker, client, state) or state
            if state.next_slot is None:
                dispatcher.utter_message(response="utter_saved")
                return _flow_events(state)
        started = any(marker is not None for marker in state.slots.values())
        dispatcher.utter_message(
            response="utter_flow_resumed" if started else "utter_flow_started",
            flow_title=worksheet.FLOW_TITLES[flow],
        )
        return _flow_events(state)

    async def _take_as_answer(self, tracker: Tracker, client: str, state: service.FlowState) -> Optional[service.FlowState]:
        intent, confidence = _intent(tracker)
        outcome = dialogue.decide(state.next_slot, tracker.latest_message.get("text"), intent, confidence, _today())
        if outcome.kind != "answer" or outcome.value is None:
            return None
        await _run(service.save_answer, client, state.flow, state.run, state.next_slot,
                   outcome.value, _message_id(tracker))
        return await _run(service.open_flow, client, state.flow, state.run)


# --- the client's control of their data ------------------------------------
EXPORT_LINK_MINUTES = 10


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


async def show_summary(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    dispatcher.utter_message(text=summary.as_text(await _run(service.summary_of, _client_id(tracker))))


async def keep_private(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    client = _client_id(tracker)
    target = next(tracker.get_latest_entity_values("private_target"), None) or validators.find_question(
        tracker.latest_message.get("text"))
    if target in worksheet.QUESTIONS and await _run(service.keep_private, client, target):
        dispatcher.utter_message(response="utter_kept_private", label=worksheet.QUESTIONS[target].label)
        return
    buttons = answer_buttons(await _run(service.export, client), '/keep_private{"private_target":"{slot}"}')
    dispatcher.utter_message(response="utter_ask_which_private" if buttons else "utter_nothing_to_keep_private",
                             buttons=buttons)


def download_link(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    settings = get_settings()
    token = tokens.mint(_client_id(tracker), EXPORT_LINK_MINUTES / 60, settings, purpose="export")
    dispatcher.utter_message(response="utter_download_link", link=f"{settings.portal_url}/me/export?token={token}")


class FlowFormValidator(Action):
    """`validate_<flow>_form`: interprets each message given to a form,
    stores the answer at once, and answers help, skip and "show my answers"
    without leaving the form. Returning no events rejects the form, so that
    pause, change and the other redirects are handled by the rules."""

    flow = ""

    def name(self) -> Text:
        return f"validate_{self.flow}_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        slot = tracker.get_slot("requested_slot")
        if not _spoken_to_form(tracker) or slot not in worksheet.FLOWS[self.flow]:
            return []  # activation: nothing was said to this form yet
        intent, confidence = _intent(tracker)
        invited = tracker.get_slot("invited_more")
        outcome = dialogue.decide(slot, tracker.latest_message.get("text"), intent, confidence, _today(), invited)
        if outcome.kind in dialogue.REDIRECT_INTENTS:
            return []  # rejects the form: the rules handle pause, change, switching flows
        handler = getattr(self, f"_on_{outcome.kind}")
        try:
            return await handler(dispatcher, tracker, slot, outcome)
        except Exception:  # the store is down: say so, keep the question open
            logger.exception("Could not store an answer for %s", slot)
            dispatcher.utter_message(response="utter_save_failed")
            return [SlotSet(slot, None)]

    def _run_id(self, tracker: Tracker) -> str:
        if self.flow in service.REPEATED_FLOWS:
            return tracker.get_slot("flow_run") or "unknown"
        return repo.MAIN_RUN

    async def _save(self, tracker: Tracker, slot: str, value: Any, status: str = repo.ANSWERED) -> None:
        await _run(service.save_answer, _client_id(tracker), self.flow, self._run_id(tracker), slot,
                   value, _message_id(tracker), status)

    async def _on_answer(self, dispatcher, tracker, slot, outcome) -> List[EventType]:
        if slot == "draft_text" and dialogue.keeps_draft(outcome.value, _intent(tracker)[0]):
            parts = await _run(service.answers_of, _client_id(tracker), self.flow, self._run_id(tracker))
            outcome.value = worksheet.compose_draft(
                parts.get("draft_what"), parts.get("draft_feeling"), parts.get("draft_instead"))
            outcome.note = None
        if outcome.value is not None:
            await self._save(tracker, slot, outcome.value)
        if outcome.note == "utter_invite_more":
            dispatcher.utter_message(response="utter_invite_more")
            return [SlotSet(slot, None), SlotSet("invited_more", slot)]
        if outcome.note:
            dispatcher.utter_message(response=outcome.note)
        events = [SlotSet(slot, dialogue.STORED), SlotSet("invited_more", None)]
        if slot == worksheet.CHECKLIST_SLOT:
            dispatcher.utter_message(response="utter_checklist_noted",
                                     items=dialogue.describe_value(slot, outcome.value))
            events += self._offer_checklist_tips(dispatcher, tracker, outcome.value)
        if slot == "draft_instead":
            parts = await _run(service.answers_of, _client_id(tracker), self.flow, self._run_id(tracker))
            draft = worksheet.compose_draft(parts.get("draft_what"), parts.get("draft_feeling"), parts.get("draft_instead"))
            dispatcher.utter_message(response="utter_draft_shown", draft=draft)
        return events

    @staticmethod
    def _offer_checklist_tips(dispatcher, tracker, items) -> List[EventType]:
        """Once per conversation: the tips that answer the items ticked."""
        keys = tips.tips_for_checklist(items)
        if not keys or tracker.get_slot("tip_offered"):
            return []
        dispatcher.utter_message(response="utter_tips_for_checklist",
                                 tips="\n".join(f"- {tips.tip_text(k)}" for k in keys))
        given = list(tracker.get_slot("tips_given") or [])
        return [SlotSet("tip_offered", True), SlotSet("tips_given", given + [k for k in keys if k not in given])]

    async def _on_ask_tip(self, dispatcher, tracker, slot, outcome) -> List[EventType]:
        return give_tip(dispatcher, tracker) + [SlotSet(slot, None)]

    _on_another_tip = _on_ask_tip

    async def _on_skip(self, dispatcher, tracker, slot, outcome) -> List[EventType]:
        await self._save(tracker, slot, None, repo.SKIPPED)
        dispatcher.utter_message(response="utter_skipped")
        return [SlotSet(slot, dialogue.SKIPPED), SlotSet("invited_more", None)] + [
            SlotSet(s, v) for s, v in outcome.fills.items()
        ]

    async def _on_nothing(self, dispatcher, tracker, slot, outcome) -> List[EventType]:
        await self._save(tracker, slot, None)
        return [SlotSet(s, v) for s, v in outcome.fills.items()] + [SlotSet("invited_more", None)]

    async def _on_help(self, dispatcher, tracker, slot, outcome) -> List[EventType]:
        dispatcher.utter_message(response="utter_help")
        return [SlotSet(slot, None)]

    async def _on_ask_bot(self, dispatcher, tracker, slot, outcome) -> List[EventType]:
        dispatcher.utter_message(response="utter_what_i_am")
        return [SlotSet(slot, None)]

    async def _on_show_answers(self, dispatcher, tracker, slot, outcome) -> List[EventType]:
        export = await _run(service.export, _client_id(tracker))
        dispatcher.utter_message(text=dialogue.answers_text(export))
        return [SlotSet(slot, None)]

    async def _on_what_therapist_sees(self, dispatcher, tracker, slot, outcome) -> List[EventType]:
        await show_summary(dispatcher, tracker)
        return [SlotSet(slot, None)]

    async def _on_keep_private(self, dispatcher, tracker, slot, outcome) -> List[EventType]:
        await keep_private(dispatcher, tracker)
        return [SlotSet(slot, None)]

    async def _on_download_my_data(self, dispatcher, tracker, slot, outcome) -> List[EventType]:
        download_link(dispatcher, tracker)
        return [SlotSet(slot, None)]

    async def _on_reask(self, dispatcher, tracker, slot, outcome) -> List[EventType]:
        dispatcher.utter_message(response=outcome.note)
        return [SlotSet(slot, None)]


class ValidateWorksheetForm(FlowFormValidator):
    flow = "worksheet"


class ValidateCheckinForm(FlowFormValidator):
    flow = "checkin"


class ValidateClosingForm(FlowFormValidator):
    flow = "closing"


class ValidateDraftForm(FlowFormValidator):
    flow = "draft"


def give_tip(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """A tip: the one asked for in the client's words, else the next one not given."""
    intent, _ = _intent(tracker)
    given = list(tracker.get_slot("tips_given") or [])
    key = tips.match_tip(tracker.latest_message.get("text")) if intent == "ask_tip" else None
    key = key or tips.next_tip(given)
    dispatcher.utter_message(response="utter_tip", tip=tips.tip_text(key), buttons=TIP_BUTTONS)
    return [SlotSet("tips_given", given + [key])]


class ActionGiveTip(Action):
    def name(self) -> Text:
        return "action_give_tip"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        return give_tip(dispatcher, tracker)


class ActionFinishFlow(Action):
    def name(self) -> Text:
        return "action_finish_flow"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        flow = tracker.get_slot("flow")
        events: List[EventType] = [SlotSet("flow", None), SlotSet("change_target", None)]
        if tracker.get_slot("change_target"):
            dispatcher.utter_message(response="utter_answer_updated")
            return events
        await _run(service.finish_flow, _client_id(tracker))
        if flow == "checkin":
            export = await _run(service.export, _client_id(tracker))
            run = tracker.get_slot("flow_run")
            index = next((i for i, c in enumerate(export["checkins"]) if c["id"] == run), None)
            checkin = export["checkins"][index] if index is not None else {}
            previous = export["checkins"][index - 1] if index else {}
            dispatcher.utter_message(response="utter_checkin_done",
                                     trust=self._rating(checkin, "trust_rating"),
                                     safety=self._rating(checkin, "safety_rating"))
            events += self._offer_after_checkin(dispatcher, tracker, checkin, previous)
        elif flow == "draft":
            parts = await _run(service.answers_of, _client_id(tracker), "draft", tracker.get_slot("flow_run"))
            dispatcher.utter_message(response="utter_draft_saved", draft=parts.get("draft_text") or "")
        elif flow in ("worksheet", "closing"):
            dispatcher.utter_message(response=f"utter_{flow}_done", buttons=MENU_BUTTONS[1:])
        return events

    @staticmethod
    def _offer_after_checkin(dispatcher, tracker, checkin, previous) -> List[EventType]:
        """A low or falling rating: a gentle tip and an offer to draft feedback;
        a rise: celebrate progress. Once per conversation."""
        if tracker.get_slot("tip_offered"):
            return []
        value = lambda c, k: (c.get(k) or {}).get("value")  # noqa: E731
        change = tips.after_checkin(value(checkin, "trust_rating"), value(checkin, "safety_rating"),
                                    value(previous, "trust_rating"), value(previous, "safety_rating"))
        if change == "low":
            dispatcher.utter_message(response="utter_low_rating_tip", tip=tips.tip_text("feedback"),
                                     buttons=[{"title": "Draft feedback together", "payload": "/start_draft"},
                                              {"title": "Not now", "payload": "/deny"}])
        elif change == "rise":
            dispatcher.utter_message(response="utter_celebrate", tip=tips.tip_text("celebrate_progress"))
        else:
            return []
        return [SlotSet("tip_offered", True)]

    @staticmethod
    def _rating(checkin: Dict[str, Any], slot: str) -> str:
        answer = checkin.get(slot) or {}
        return dialogue.describe_value(slot, answer["value"]) if answer.get("value") else "skipped"


class ActionPause(Action):
    def name(self) -> Text:
        return "action_pause"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        intent, _ = _intent(tracker)
        dispatcher.utter_message(response="utter_goodbye" if intent == "goodbye" else "utter_paused")
        return [SlotSet("invited_more", None)]


class ActionShowAnswers(Action):
    def name(self) -> Text:
        return "action_show_answers"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        export = await _run(service.export, _client_id(tracker))
        dispatcher.utter_message(text=dialogue.answers_text(export))
        return []


class ActionChangeAnswer(Action):
    """Re-open one earlier question; its form then asks it again. The old
    answer stays in the history."""

    def name(self) -> Text:
        return "action_change_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        client = _client_id(tracker)
        target = next(tracker.get_latest_entity_values("change_target"), None) or validators.find_question(
            tracker.latest_message.get("text"))
        if worksheet.SLOT_TO_FLOW.get(target) in (None, "draft") or target == worksheet.INTRO_SLOT:
            export = await _run(service.export, client)
            dispatcher.utter_message(response="utter_ask_which_answer", buttons=answer_buttons(export, '/change_answer{"change_target":"{slot}"}'))
            return [SlotSet("flow", "none")]
        flow = worksheet.SLOT_TO_FLOW[target]
        run = await _run(service.latest_run, client, flow) if flow == "checkin" else repo.MAIN_RUN
        if run is None:
            dispatcher.utter_message(response="utter_nothing_to_change")
            return [SlotSet("flow", "none")]
        state = await _run(service.open_flow, client, flow, run)
        dispatcher.utter_message(response="utter_changing_answer")
        return _flow_events(state) + [SlotSet(target, None), SlotSet("change_target", target)]


class ActionAfterEscalation(Action):
    """After a safety reply: nothing resumes until the client asks to go on.
    (The escalation itself is shown and recorded by the Rasa server.)"""

    def name(self) -> Text:
        return "action_after_escalation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        return [SlotSet("flow", None)]


class ActionShowSummary(Action):
    """What the clinician will see, exactly as the summary holds it."""

    def name(self) -> Text:
        return "action_show_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        await show_summary(dispatcher, tracker)
        return []


class ActionKeepPrivate(Action):
    def name(self) -> Text:
        return "action_keep_private"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        await keep_private(dispatcher, tracker)
        return []


class ActionDownloadMyData(Action):
    def name(self) -> Text:
        return "action_download_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        download_link(dispatcher, tracker)
        return []


class ActionDeleteMyData(Action):
    """After the client confirmed: erase their reflections here, and (through
    the `data_erased` slot) their conversation in the tracker store."""

    def name(self) -> Text:
        return "action_delete_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        try:
            await _run(service.delete_client_data, _client_id(tracker))
        except Exception:
            logger.exception("Could not delete a client's data")
            dispatcher.utter_message(response="utter_delete_failed")
            return []
        dispatcher.utter_message(response="utter_data_deleted", json_message={"erase_transcript": True})
        return [SlotSet("data_erased", True)]
