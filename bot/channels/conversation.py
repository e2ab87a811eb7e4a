"""What every web channel of the assistant does with one client message:
check it, deliver it at most once, and return the bot's replies.

A message carries an optional `message_id` chosen by the client. When the same
id arrives again (a retry after a dropped connection), the message is not
processed again: the replies it got the first time are returned.
"""
from __future__ import annotations

import asyncio
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered

MAX_MESSAGE_CHARS = 5000
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


class BadMessage(ValueError):
    """A request the channel cannot take; the text is safe to show the client."""


def check_message(body: Any) -> tuple:
    """Returns (text, message_id) from a request body or raises BadMessage."""
    if not isinstance(body, dict):
        raise BadMessage("Please send a JSON object with a \"message\".")
    text = body.get("message")
    if not isinstance(text, str) or not text.strip():
        raise BadMessage("The message is empty. Please type something and send it again.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise BadMessage(f"That message is too long for me. Please split it into parts of up to {MAX_MESSAGE_CHARS} characters.")
    message_id = body.get("message_id")
    if message_id is not None and (not isinstance(message_id, str) or not MESSAGE_ID.match(message_id)):
        raise BadMessage("The message id is not valid.")
    return text, message_id


def _replies_to(events: List[Any], message_id: str) -> Optional[List[Dict[str, Any]]]:
    """The bot replies that followed the user message with this id, if any."""
    for index, event in enumerate(events):
        if isinstance(event, UserUttered) and event.message_id == message_id:
            replies = []
            for later in events[index + 1:]:
                if isinstance(later, UserUttered):
                    break
                if isinstance(later, BotUttered):
                    reply = {"recipient_id": None, "text": later.text}
                    reply.update({k: v for k, v in (later.data or {}).items() if v})
                    replies.append(reply)
            return replies
    return None


class Deliverer:
    """Delivers messages to the agent at most once per (client, message id)."""

    def __init__(self) -> None:
        self._locks: Dict[tuple, asyncio.Lock] = {}

    async def deliver(self, agent: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                      sender_id: str, text: str, message_id: Optional[str],
                      input_channel: str) -> List[Dict[str, Any]]:
        if not message_id:
            return await self._process(on_new_message, sender_id, text, None, input_channel)
        key = (sender_id, message_id)
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                tracker = await agent.tracker_store.retrieve(sender_id) if agent else None
                if tracker is not None:
                    earlier = _replies_to(list(tracker.events), message_id)
                    if earlier is not None:
                        for reply in earlier:
                            reply["recipient_id"] = sender_id
                        return earlier
                return await self._process(on_new_message, sender_id, text, message_id, input_channel)
        finally:
            if not lock.locked():
                self._locks.pop(key, None)

    @staticmethod
    async def _process(on_new_message, sender_id, text, message_id, input_channel) -> List[Dict[str, Any]]:
        collector = CollectingOutputChannel()
        await on_new_message(UserMessage(text, collector, sender_id, input_channel=input_channel,
                                         message_id=message_id))
        return collector.messages
