"""What every web channel of the assistant does with one client message:
check it, deliver it at most once, and return the bot's replies.

A message carries an optional `message_id` chosen by the client. When the same
id arrives again (a retry after a dropped connection), the message is not
processed again: the replies it got the first time are returned.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels import speedups
from bot.limits import retry_after

speedups.install()  # every channel of the assistant runs in the Rasa server
logger = logging.getLogger(__name__)
MAX_MESSAGE_CHARS = 5000
# A message of MAX_MESSAGE_CHARS, each written as a JSON escape, fits well.
MAX_BODY_BYTES = 64 * 1024
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
# Every message the bot takes gets a reply; none means a part of it (the
# action server, restarting after a crash) could not act on it, and the
# answer was not kept. Said instead of silence; sent again, it is taken.
TRY_AGAIN = (
    "Sorry, I couldn't take that in just now. Please send it again in a moment. "
    'If you need help now, use "Get help now".'
)

# Over the fair-use limit (bot/limits.py): the widget keeps the message to send again.
SLOW_DOWN = (
    "You're sending messages faster than I can take them in. Please wait a few seconds, then send that "
    'again. If you need help now, use "Get help now".'
)


class BadMessage(ValueError):
    """A request the channel cannot take; the text is safe to show the client."""


class Refused(Exception):
    """The channel cannot tell who the client is: the reply to give instead."""

    def __init__(self, status: int, message: str, headers: Optional[Dict[str, str]] = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def check_message(body: Any) -> tuple:
    """Returns (text, message_id) from a request body or raises BadMessage."""
    if not isinstance(body, dict):
        raise BadMessage('Please send a JSON object with a "message".')
    text = body.get("message")
    if not isinstance(text, str) or not text.strip():
        raise BadMessage("The message is empty. Please type something and send it again.")
    # Invalid Unicode (a lone surrogate) is repaired, not refused: the message
    # is still screened and answered.
    text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if len(text) > MAX_MESSAGE_CHARS:
        raise BadMessage(
            f"That message is too long for me. Please split it into parts of up to {MAX_MESSAGE_CHARS} characters."
        )
    message_id = body.get("message_id")
    if message_id is not None and (not isinstance(message_id, str) or not MESSAGE_ID.match(message_id)):
        raise BadMessage("The message id is not valid.")
    return text, message_id


def _replies_to(events: List[Any], message_id: str) -> Optional[List[Dict[str, Any]]]:
    """The bot replies that followed the user message with this id, if any."""
    for index, event in enumerate(events):
        if isinstance(event, UserUttered) and event.message_id == message_id:
            replies = []
            for later in events[index + 1 :]:
                if isinstance(later, UserUttered):
                    break
                if isinstance(later, BotUttered):
                    reply = {"recipient_id": None, "text": later.text}
                    reply.update({k: v for k, v in (later.data or {}).items() if v})
                    replies.append(reply)
            return replies
    return None


def _indexed(store: Any) -> Any:
    """The project's tracker store under Rasa's wrappers, if it indexes message ids."""
    for _ in range(3):
        if hasattr(store, "replies_to"):
            return store
        store = getattr(store, "_tracker_store", None)
    return None


async def _earlier_replies(agent: Any, sender_id: str, message_id: str) -> Optional[List[Dict[str, Any]]]:
    """The replies a message with this id got, by the store's index (a lookup,
    whatever the conversation's length), else from the whole tracker."""
    indexed = _indexed(agent.tracker_store)
    if indexed is not None:
        return indexed.replies_to(sender_id, message_id)
    tracker = await agent.tracker_store.retrieve(sender_id)
    return _replies_to(list(tracker.events), message_id) if tracker is not None else None


class Deliverer:
    """Delivers messages to the agent at most once per (client, message id)."""

    def __init__(self) -> None:
        self._locks: Dict[tuple, asyncio.Lock] = {}

    async def deliver(
        self,
        agent: Any,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sender_id: str,
        text: str,
        message_id: Optional[str],
        input_channel: str,
    ) -> List[Dict[str, Any]]:
        if not message_id:
            return await self._process(on_new_message, sender_id, text, None, input_channel)
        key = (sender_id, message_id)
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                earlier = await _earlier_replies(agent, sender_id, message_id) if agent else None
                if earlier:  # none: it was not taken in, so it is taken now
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
        await on_new_message(
            UserMessage(text, collector, sender_id, input_channel=input_channel, message_id=message_id)
        )
        if not collector.messages:
            logger.warning("A message got no reply (is the action server down?); the client is asked to resend")
            return [{"recipient_id": sender_id, "text": TRY_AGAIN}]
        return collector.messages


async def _shows_risk(text: str) -> bool:
    """The safety screen's verdict on a message about to be refused: any sign
    of risk, or a screen that fails, and it is taken after all."""
    from bot.nlu.risk_screen import verdict_of

    return (await asyncio.to_thread(verdict_of, text)).level != "none"


async def _json_body(request: Request) -> Any:
    """The request's JSON (None when it is not JSON); Refused when too large."""
    chunks, size = [], 0
    while request.stream is not None:
        chunk = await request.stream.read()
        if chunk is None:
            break
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise Refused(
                413,
                f"That message is too long for me. Please split it into parts of up to "
                f"{MAX_MESSAGE_CHARS} characters.",
            )
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks))
    except ValueError:
        return None


class DeliveringInput(InputChannel):
    """A web channel of the assistant: `GET /` answers health checks, `POST
    /webhook` takes a client's message, checks it and delivers it at most once.
    Each channel says who the client is (`client_of`) and may rewrite what
    they typed (`typed`)."""

    def __init__(self) -> None:
        self.deliverer = Deliverer()

    def client_before_body(self, request: Request) -> Optional[str]:
        """The client, from the request's headers alone, or None when the
        channel reads it from the body (`client_of`). Raises Refused."""
        return None

    def client_of(self, request: Request, body: Any) -> str:
        raise NotImplementedError

    def typed(self, text: str) -> str:
        return text

    def wait_before(self, request: Request, client_id: str) -> float:
        """Seconds the client must wait before this message is taken (fair
        use), 0 to take it now. No limit unless the channel sets one."""
        return 0.0

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint(f"reflection_{self.name()}_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_request: Request):
            return response.json({"status": "ok"})

        @hook.route("/ready", methods=["GET"])
        async def ready(request: Request):
            from bot.health import rasa_readiness

            status, body = await rasa_readiness(getattr(request.app.ctx, "agent", None))
            return response.json(body, status=status)

        @hook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request):
            # Streamed: who is writing is checked before the body is read, and
            # no more than MAX_BODY_BYTES of it is.
            try:
                # off the event loop: the token check looks up erasures in the store
                client_id = await asyncio.to_thread(self.client_before_body, request)
                body = await _json_body(request)
                if client_id is None:
                    client_id = self.client_of(request, body)
            except Refused as refusal:
                return response.json({"error": refusal.message}, status=refusal.status, headers=refusal.headers)
            try:
                text, message_id = check_message(body)
                text = self.typed(text)
                if not text.strip():
                    raise BadMessage("The message is empty. Please type something and send it again.")
            except BadMessage as problem:
                return response.json({"error": str(problem)}, status=400)
            wait = self.wait_before(request, client_id)
            if wait and not await _shows_risk(text):  # a message that shows risk is always taken
                return response.json({"error": SLOW_DOWN}, status=429, headers={"Retry-After": retry_after(wait)})
            agent = getattr(request.app.ctx, "agent", None)
            replies = await self.deliverer.deliver(agent, on_new_message, client_id, text, message_id, self.name())
            return response.json(replies)

        return hook
