"""A dialogue policy that answers the safety screen before anything else.

Rasa gives an active form priority over every rule, and a form needs the
action server to validate. So that the safety replies reach the client from
any point (mid-question, mid-check-in, a confirmation) and even when the
action server is down, this policy, with a priority above the rule policy,
decides the turn after a message the screen marked (intent `crisis` with a
`risk` verdict, see `bot.nlu.risk_screen`), and the turn after the "are you
safe right now?" question:

- clear risk: the escalation message, then the active form is paused
  (resumable from the store) and the flow cleared, then listen;
- possible risk: "are you safe right now?" (with the crisis line shown), the
  form paused, listen; the answer is read here: a plain "yes, I'm safe" gets a
  kind reply and the choice to go on; "no", anything unclear, or more risk
  gets the escalation message;
- a call for help only ("help me", "sos"): the help contacts, listen;
- after the escalation message, a message that is neither risk nor a wish to
  go on (more words, a "no", a greeting) gets a reply that stays with the
  client; risk in it is escalated (and recorded) again.

The escalation is recorded by the Rasa server itself when the message is
rendered (`bot.safety.recorder`), so this needs no action server.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.safety.answers import is_safe_answer

CRISIS_INTENT = "crisis"
ASK_SAFE = "utter_ask_safe"
# The steps of each safety reply, in order.
ESCALATION_STEPS = ("utter_crisis", "action_deactivate_loop", "action_after_escalation", ACTION_LISTEN_NAME)
ASK_STEPS = (ASK_SAFE, "action_deactivate_loop", "action_after_escalation", ACTION_LISTEN_NAME)
HELP_STEPS = ("utter_help_now", ACTION_LISTEN_NAME)
SAFE_STEPS = ("utter_glad_safe", ACTION_LISTEN_NAME)
STAY_STEPS = ("utter_stay_with_you", ACTION_LISTEN_NAME)
# After the escalation message, these go on as usual; anything else (more
# words, a "no", a greeting) gets a reply that stays with the client.
GO_ON_INTENTS = frozenset(
    {
        "affirm",
        "resume",
        "start_worksheet",
        "start_checkin",
        "start_closing",
        "start_draft",
        "help",
        "pause",
        "goodbye",
        "thanks",
        "show_answers",
        "what_therapist_sees",
        "keep_private",
        "delete_my_data",
        "download_my_data",
        "ask_tip",
        "another_tip",
    }
)
# Actions that do not count as the bot's last question.
PASSING = frozenset({ACTION_LISTEN_NAME, "action_deactivate_loop", "action_after_escalation", "action_session_start"})


def _turn(tracker: DialogueStateTracker) -> Tuple[Optional[UserUttered], List[str], Optional[str]]:
    """(the latest user message, the actions done since, the bot's last
    question before it), walking back over the current turn only."""
    done: List[str] = []
    user: Optional[UserUttered] = None
    for event in reversed(tracker.events):
        if user is None:
            if isinstance(event, UserUttered):
                user = event
            elif isinstance(event, ActionExecuted) and event.action_name:
                done.insert(0, event.action_name)
            continue
        if isinstance(event, UserUttered):
            return user, done, None
        if isinstance(event, ActionExecuted) and event.action_name and event.action_name not in PASSING:
            return user, done, event.action_name
    return user, done, None


def plan_for(user: UserUttered, asked_before: Optional[str], crisis_intent: str = CRISIS_INTENT) -> Optional[tuple]:
    """The safety reply this message needs, or None to carry on."""
    intent = (user.intent or {}).get("name")
    level = ((user.parse_data or {}).get("risk") or {}).get("level", "risk")
    if intent == crisis_intent:
        if level == "help":
            return HELP_STEPS
        if level == "possible" and asked_before != ASK_SAFE:
            return ASK_STEPS
        return ESCALATION_STEPS
    if asked_before == ASK_SAFE:
        return SAFE_STEPS if is_safe_answer(user.text or "") else ESCALATION_STEPS
    if asked_before in (ESCALATION_STEPS[0], STAY_STEPS[0]) and intent not in GO_ON_INTENTS:
        return STAY_STEPS
    return None


def next_safety_step(tracker: DialogueStateTracker, crisis_intent: str = CRISIS_INTENT) -> Optional[str]:
    """The next action of the safety reply, or None when it does not apply."""
    user, done, asked_before = _turn(tracker)
    if user is None:
        return None
    steps = plan_for(user, asked_before, crisis_intent)
    if steps is None or len(done) >= len(steps) or list(steps[: len(done)]) != done:
        return None
    return steps[len(done)]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class CrisisPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Above the RulePolicy (6), so that it wins even over an active form.
        return {"priority": 7, "crisis_intent": CRISIS_INTENT}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        step = next_safety_step(tracker, self.config["crisis_intent"])
        if step is None or step not in domain.action_names_or_texts:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(step)] = 1.0
        # Marked as a prediction that does not use the user's input, like the rule
        # policy's "continue the active form": the ensemble compares only
        # predictions of the same kind, and then the higher priority wins.
        return self._prediction(probabilities, is_no_user_prediction=True)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CrisisPolicy":
        return cls(config, model_storage, resource, execution_context)
