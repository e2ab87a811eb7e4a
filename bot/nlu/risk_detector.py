"""NLU pipeline component: the rule-based risk detector as the first net.

Runs after the intent classifier. When the detector (bot.safety.detector)
finds current risk, the message's intent becomes `crisis` whatever the
classifier said; when only the classifier says `crisis`, that stands too
(the trained intent is the second net), unless the rules saw risk words and
judged them harmless (an idiom, a negation, the past, someone else's story).
Either way an escalating message carries
`risk` = {category, layer}, which the escalation record keeps (never the text).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from bot.safety.detector import assess

CRISIS_INTENT = "crisis"


def mark_risk(data: Dict[Text, Any], text: Optional[Text]) -> Optional[Dict[Text, str]]:
    """Sets the crisis intent and `risk` on one parse result; returns the risk."""
    found, cleared = assess(text or "")
    intent = (data.get("intent") or {}).get("name")
    if found is None and cleared and intent == CRISIS_INTENT:
        # The rules saw the risk words and judged them harmless ("this worksheet
        # is killing me", "I'm not suicidal, just tired"): the classifier's
        # crisis guess gives way to its next intent.
        ranking = [r for r in data.get("intent_ranking") or [] if r.get("name") != CRISIS_INTENT]
        data["intent"] = ranking[0] if ranking else {"name": "inform", "confidence": 0.0}
        data["intent_ranking"] = ranking
        return None
    if found is not None:
        risk = {"category": found.category, "layer": "rules", "rule": found.rule}
        crisis = {"name": CRISIS_INTENT, "confidence": 1.0}
        ranking = [r for r in data.get("intent_ranking") or [] if r.get("name") != CRISIS_INTENT]
        data["intent"] = crisis
        data["intent_ranking"] = [crisis] + ranking
    elif intent == CRISIS_INTENT:
        risk = {"category": "unspecified", "layer": "nlu", "rule": "crisis_intent"}
    else:
        return None
    data["risk"] = risk
    return risk


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RiskDetector(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "RiskDetector":
        assess("warm up")  # build the spaCy pipeline once, at load time
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
