"""The one way an action runs a turn: the tracker becomes a `Turn`, the turn
runs in a worker thread (it reads and writes the store), and its `Reply`
becomes messages and slot events."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from typing import Any, Callable, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import turns


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


def _entities(tracker: Tracker) -> Dict[str, Any]:
    """The first value of each entity without a role or group, as
    `tracker.get_latest_entity_values` gives it."""
    found: Dict[str, Any] = {}
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("role") is None and entity.get("group") is None:
            found.setdefault(entity.get("entity"), entity.get("value"))
    return found


def turn_of(tracker: Tracker) -> turns.Turn:
    intent = tracker.latest_message.get("intent") or {}
    return turns.Turn(
        client_id=tracker.sender_id,
        message_id=_message_id(tracker),
        text=tracker.latest_message.get("text") or "",
        intent=intent.get("name") or "",
        confidence=float(intent.get("confidence") or 0.0),
        entities=_entities(tracker),
        slots=dict(tracker.slots),
        today=turns.today(),
        to_form=_spoken_to_form(tracker),
        channel=tracker.get_latest_input_channel(),
    )


def emit(reply: turns.Reply, dispatcher: CollectingDispatcher) -> List[EventType]:
    for message in reply.messages:
        dispatcher.utter_message(
            text=message.text,
            response=message.response,
            buttons=message.buttons,
            json_message=message.json_message,
            **message.variables,
        )
    events: List[EventType] = [SlotSet(slot, value) for slot, value in reply.slots]
    return events + ([FollowupAction(reply.followed_by)] if reply.followed_by else [])


class TurnAction(Action, ABC):
    """An action that is one turn of `bot.turns`: `action_name` names it in
    the domain, `turn` is the turn it runs."""

    turn: Callable[[turns.Turn], turns.Reply]  # each action sets it: `turn = staticmethod(...)`

    @property
    @abstractmethod
    def action_name(self) -> str:
        """The action's name in the domain (each action sets it)."""

    def name(self) -> Text:
        return self.action_name

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        return emit(await asyncio.to_thread(self.turn, turn_of(tracker)), dispatcher)
