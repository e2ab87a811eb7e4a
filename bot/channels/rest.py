"""Rasa's REST channel for local use, delivering each message at most once.

Same address and request as Rasa's own (`/webhooks/rest/webhook`, JSON with
`sender` and `message`), plus an optional `message_id`. It takes the client id
from the request body, so it trusts its caller: for a terminal, tests and a
server on loopback, never for the public web.

It answers only while LOCAL_REST_CHANNEL is on (off by default and in the
production example); otherwise every request gets a 404.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels.conversation import BadMessage, Deliverer, check_message
from bot.settings import get_settings

logger = logging.getLogger(__name__)


class ReflectionRestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def __init__(self) -> None:
        self.deliverer = Deliverer()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("reflection_rest_webhook", __name__)
        if not get_settings().local_rest_channel:
            @hook.route("/<rest:path>", methods=["GET", "POST"])
            @hook.route("/", methods=["GET", "POST"])
            async def switched_off(_request: Request, rest: str = ""):
                return response.json({"error": "The local REST channel is off (LOCAL_REST_CHANNEL)."}, status=404)

            return hook

        @hook.route("/", methods=["GET"])
        async def health(_request: Request):
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            try:
                body = request.json
            except Exception:
                body = None
            sender = body.get("sender") if isinstance(body, dict) else None
            if not isinstance(sender, str) or not sender.strip() or len(sender) > 128:
                return response.json({"error": "A \"sender\" (the client id) is required."}, status=400)
            try:
                text, message_id = check_message(body)
            except BadMessage as problem:
                return response.json({"error": str(problem)}, status=400)
            agent = getattr(request.app.ctx, "agent", None)
            replies = await self.deliverer.deliver(agent, on_new_message, sender, text, message_id, self.name())
            return response.json(replies)

        return hook
