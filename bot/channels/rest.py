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

from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels import tokens
from bot.channels.conversation import DeliveringInput, Refused
from bot.settings import demo_warning, get_settings, unsafe_demo_settings

logger = logging.getLogger(__name__)


class ReflectionRestInput(DeliveringInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def client_of(self, request: Request, body: Any) -> str:
        sender = body.get("sender") if isinstance(body, dict) else None
        if not tokens.valid_client_id(sender):
            raise Refused(400, 'A "sender" (the client id: 1-128 letters, digits and . _ : @ -) is required.')
        return str(sender)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        settings = get_settings()
        if settings.local_rest_channel:
            refusal = unsafe_demo_settings(settings)
            if refusal:
                raise SystemExit(f"The Rasa server cannot start: {refusal}")
            logger.warning(demo_warning(settings))
            return super().blueprint(on_new_message)
        hook = Blueprint("reflection_rest_webhook", __name__)

        @hook.route("/<rest:path>", methods=["GET", "POST"])
        @hook.route("/", methods=["GET", "POST"])
        async def switched_off(_request: Request, rest: str = ""):
            return response.json({"error": "The local REST channel is off (LOCAL_REST_CHANNEL)."}, status=404)

        return hook
