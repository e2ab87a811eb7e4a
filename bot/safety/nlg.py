"""Response generation inside the Rasa server that fills in the practice's
contacts from `.env`. The escalation message is a domain response, so it needs
neither the action server nor the database; a change of number needs only a
restart of the Rasa server, not a retrain.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator

from bot.settings import get_settings

logger = logging.getLogger(__name__)


class PracticeNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Any = None, domain: Any = None) -> None:
        super().__init__(domain.responses if domain is not None else {})
        practice = get_settings().practice
        self.values = practice.as_template_values()
        if practice.example_values_in_use:
            logger.warning(
                "EXAMPLE CONTACT DETAILS IN USE for %s: set the practice's own numbers in .env "
                "before clients use this assistant.", ", ".join(practice.example_values_in_use))

    def generate_from_slots(self, utter_action: Text, filled_slots: Dict[Text, Any],
                            output_channel: Text, **kwargs: Any) -> Optional[Dict[Text, Any]]:
        return super().generate_from_slots(utter_action, filled_slots, output_channel,
                                           **{**self.values, **kwargs})
