"""Response generation inside the Rasa server that fills in the practice's
contacts from `.env`. The escalation message is a domain response, so it needs
neither the action server nor the database; a change of number needs only a
restart of the Rasa server, not a retrain.

It also fits the escalation's first line to the risk (the emergency number
first for a medical emergency or danger now), and records each safety reply
as it is rendered (`bot.safety.recorder`): the record does not depend on the
action server either.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator

from bot.safety import recorder
from bot.safety.screen import EMERGENCY_FIRST
from bot.settings import get_settings

logger = logging.getLogger(__name__)

FIRST_LINE = "Thank you for telling me. What you're feeling matters, and you deserve support right now."
EMERGENCY_LINE = (
    "If you or anyone is in danger right now or this is a medical emergency, "
    "please call {emergency_number} now. Thank you for telling me; you deserve help right now."
)
# Safety replies and what each records: (category, layer); None = from the message's risk.
RECORDED = {"utter_crisis": None, "utter_ask_safe": ("possible_risk", None), "utter_help_now": ("help_request", "help")}


def first_line(category: Optional[str], values: Dict[str, str]) -> str:
    return EMERGENCY_LINE.format(**values) if category in EMERGENCY_FIRST else FIRST_LINE


class PracticeNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Any = None, domain: Any = None) -> None:
        super().__init__(domain.responses if domain is not None else {})
        practice = get_settings().practice
        self.values = practice.as_template_values()
        if practice.example_values_in_use:
            logger.warning(
                "EXAMPLE CONTACT DETAILS IN USE for %s: set the practice's own numbers in .env "
                "before clients use this assistant.",
                ", ".join(practice.example_values_in_use),
            )

    async def generate(
        self, utter_action: Text, tracker: Any, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        message = tracker.latest_message
        risk = ((message.parse_data or {}).get("risk") or {}) if message else {}
        try:
            if utter_action in RECORDED:
                category, layer = RECORDED[utter_action] or (None, None)
                await recorder.record(
                    tracker, category or risk.get("category") or "unspecified", layer or risk.get("layer") or "asked"
                )
            else:
                await recorder.drain_soon()
        except Exception:  # noqa: BLE001 - the reply must still go out
            logger.exception("Could not record a safety reply")
        values = {**self.values, "first_line": first_line(risk.get("category"), self.values)}
        return self.generate_from_slots(
            utter_action, tracker.current_slot_values(), output_channel, **{**values, **kwargs}
        )

    def generate_from_slots(
        self, utter_action: Text, filled_slots: Dict[Text, Any], output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        values = {"first_line": FIRST_LINE, **self.values, **kwargs}
        return super().generate_from_slots(utter_action, filled_slots, output_channel, **values)
