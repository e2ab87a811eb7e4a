"""A dialogue policy that answers a crisis message before anything else.

Rasa gives an active form priority over every rule, and a form needs the
action server to validate. So that the escalation message reaches the client
from any point (mid-question, mid-check-in) and even when the action server is
down, this policy, with a priority above the rule policy, predicts right after
a crisis message: the escalation response (a domain response rendered inside
the Rasa server), then pausing any active form (kept resumable in the store),
then recording the escalation, then listening.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.engine.graph import ExecutionContext
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

CRISIS_INTENT = "crisis"
# The steps after a crisis message, in order.
ESCALATION_STEPS = ("utter_crisis", "action_deactivate_loop", "action_record_escalation", ACTION_LISTEN_NAME)


def next_escalation_step(tracker: DialogueStateTracker, crisis_intent: str = CRISIS_INTENT) -> Optional[str]:
    """The next action of the escalation, or None when it does not apply.

    Runs before every prediction, so it walks back only over the current turn
    instead of copying the whole conversation."""
    done: List[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if (event.intent or {}).get("name") != crisis_intent:
                return None
            break
        if isinstance(event, ActionExecuted) and event.action_name:
            done.insert(0, event.action_name)
    else:
        return None  # no user message yet
    if len(done) >= len(ESCALATION_STEPS) or list(ESCALATION_STEPS[: len(done)]) != done:
        return None
    return ESCALATION_STEPS[len(done)]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class CrisisPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Above the RulePolicy (6), so that it wins even over an active form.
        return {"priority": 7, "crisis_intent": CRISIS_INTENT}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self, tracker: DialogueStateTracker, domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None, **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        step = next_escalation_step(tracker, self.config["crisis_intent"])
        if step is None or step not in domain.action_names_or_texts:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(step)] = 1.0
        # Marked as a prediction that does not use the user's input, like the rule
        # policy's "continue the active form": the ensemble compares only
        # predictions of the same kind, and then the higher priority wins.
        return self._prediction(probabilities, is_no_user_prediction=True)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "CrisisPolicy":
        return cls(config, model_storage, resource, execution_context)
