"""NLU pipeline component: the safety screen (`bot.safety.screen`) on every
message, after the intent classifier and before any dialogue decision.

When the screen sees clear risk, possible risk or a call for help, the
message's intent becomes `crisis` whatever the classifier said, and the parse
carries `risk` = {level, category, layer, rule, score}; the CrisisPolicy acts
on it, and the escalation record keeps category and layer (never the text).
When the screen sees nothing, a `crisis` guess of the intent classifier gives
way to its next intent: one overconfident intent never escalates on its own.
If the screen itself fails, the message is treated as possible risk (fail
closed): the client is asked whether they are safe, with the crisis line.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from bot.safety.classifier import classifier
from bot.safety.screen import Verdict, screen

logger = logging.getLogger(__name__)
CRISIS_INTENT = "crisis"


def verdict_of(text: Optional[Text]) -> Verdict:
    try:
        return screen(text)
    except Exception:  # noqa: BLE001 - fail closed, never silent
        logger.exception("The safety screen failed on a message; asking the client whether they are safe")
        return Verdict("possible", "unspecified", "screen_error", "screen_error", 1.0)


def mark_risk(data: Dict[Text, Any], text: Optional[Text]) -> Optional[Dict[Text, Any]]:
    """Sets the crisis intent and `risk` on one parse result; returns the risk."""
    verdict = verdict_of(text)
    ranking = [r for r in data.get("intent_ranking") or [] if r.get("name") != CRISIS_INTENT]
    if verdict.level == "none":
        if (data.get("intent") or {}).get("name") == CRISIS_INTENT:
            data["intent"] = ranking[0] if ranking else {"name": "inform", "confidence": 0.0}
            data["intent_ranking"] = ranking
        return None
    crisis = {"name": CRISIS_INTENT, "confidence": 1.0}
    data["intent"] = crisis
    data["intent_ranking"] = [crisis] + ranking
    risk = {
        "level": verdict.level,
        "category": verdict.category,
        "layer": verdict.layer,
        "rule": verdict.rule,
        "score": round(verdict.score, 4),
    }
    data["risk"] = risk
    return risk


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RiskScreen(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RiskScreen":
        classifier()  # fit the risk classifier and build the rules once, at load time
        screen("warm up")
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            data = {"intent": message.get("intent"), "intent_ranking": message.get("intent_ranking")}
            before = data["intent"]
            risk = mark_risk(data, message.get("text"))
            if data["intent"] != before:
                message.set("intent", data["intent"], add_to_output=True)
                message.set("intent_ranking", data["intent_ranking"], add_to_output=True)
            if risk is not None:
                message.set("risk", risk, add_to_output=True)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
