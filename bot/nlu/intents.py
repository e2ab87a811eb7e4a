"""NLU pipeline component: the intent of a message, from the repository's
data alone (`bot.commands.understand`: the words in `bot.cues` where they are
unmistakable, else a deterministic classifier over data/nlu). No neural
network and no random seed: the same commit makes the same decisions on every
machine, whatever its thread counts (issue: reproducible training)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from bot import commands

# How many intents the parse lists besides the first.
RANKING_LENGTH = 10


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IntentClassifier(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IntentClassifier":
        commands.warm()  # fit once, at load time
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            ranked = [
                {"name": name, "confidence": confidence}
                for name, confidence in commands.understand(message.get("text"))[:RANKING_LENGTH]
            ]
            message.set("intent", ranked[0], add_to_output=True)
            message.set("intent_ranking", ranked, add_to_output=True)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data
