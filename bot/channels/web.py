"""The authenticated web channel behind the widget: `/webhooks/reflection/webhook`.

Each request carries `Authorization: Bearer <token>` (see `tokens.py`). The
conversation is the token's `sub` and nothing else; a `sender` in the body is
ignored. A request without a valid token gets a 401 and reaches nothing.

The body is `{"message": ..., "message_id": ...}` as for the REST channel. A
typed message that starts with "/" would trigger an intent directly in Rasa;
only the intents the bot's own buttons send are let through, anything else
is delivered as the words the client typed.
"""

from __future__ import annotations

import json
import logging
import re

from sanic.request import Request

from bot.dialogue import COMMAND_CHOICES, SAVE_ANSWER
from bot.channels import tokens
from bot.channels.conversation import DeliveringInput, Refused
from bot.limits import Buckets
from bot.settings import get_settings

logger = logging.getLogger(__name__)

# The intents sent by the bot's buttons (domain responses and actions).
BUTTON_INTENTS = frozenset(
    {
        "greet",
        "affirm",
        "deny",
        "help",
        "resume",
        "start_worksheet",
        "start_checkin",
        "start_closing",
        "start_draft",
        "another_tip",
        "change_answer",
        "keep_private",
        SAVE_ANSWER,
    }
) | frozenset(COMMAND_CHOICES)  # "pause here, or save that as your answer?"
INTENT_PAYLOAD = re.compile(r"^/([A-Za-z_]+)(\{.*\})?$", re.S)
UNAUTHORISED = (
    "This chat link has expired or is not valid. Please open the chat again "
    'from your practice\'s web site. If you need help now, use "Get help now".'
)


BUTTON_ENTITIES = frozenset({"change_target", "private_target"})


def _button_payload(text: str) -> bool:
    match = INTENT_PAYLOAD.match(text)
    if not match or match.group(1) not in BUTTON_INTENTS:
        return False
    if not match.group(2):
        return True
    try:
        entities = json.loads(match.group(2))
    except ValueError:
        return False
    return (
        isinstance(entities, dict)
        and set(entities) <= BUTTON_ENTITIES
        and all(isinstance(v, str) and len(v) <= 64 for v in entities.values())
    )


def as_typed(text: str) -> str:
    """The text to hand to Rasa: a button's payload as is; any other text
    starting with "/" loses its leading slashes, so it is read as words."""
    stripped = text.strip()
    if _button_payload(stripped):
        return stripped
    return re.sub(r"^[\s/]+", "", stripped) if stripped.startswith("/") else text


class ReflectionWebInput(DeliveringInput):
    def __init__(self) -> None:
        super().__init__()
        settings = get_settings()
        self.per_client = Buckets(settings.chat_per_minute, settings.chat_burst)
        per_address = settings.chat_per_minute_per_address
        self.per_address = Buckets(per_address, max(per_address // 3, 1))

    @classmethod
    def name(cls) -> str:
        return tokens.CHANNEL

    def client_before_body(self, request: Request) -> str:
        try:
            return tokens.client_of(tokens.bearer(request.headers.get("Authorization")))
        except tokens.BadToken as problem:
            logger.info("Refused a widget request: %s token", problem)
            raise Refused(401, UNAUTHORISED, {"WWW-Authenticate": "Bearer"}) from None

    def typed(self, text: str) -> str:
        return as_typed(text)

    def wait_before(self, request: Request, client_id: str) -> float:
        return self.per_client.take(client_id) or self.per_address.take(request.remote_addr or request.ip)
