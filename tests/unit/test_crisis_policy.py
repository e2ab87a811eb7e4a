from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.safety.policy import next_escalation_step


def _tracker(*events):
    return DialogueStateTracker.from_events("c", list(events), slots=Domain.empty().slots)


def test_escalation_steps_follow_a_crisis_message_even_inside_a_form():
    user = UserUttered("i want to end it all", intent={"name": "crisis", "confidence": 0.9})
    steps = [ActiveLoop("worksheet_form"), ActionExecuted("action_listen"), user]
    expected = ["utter_crisis", "action_deactivate_loop", "action_record_escalation", "action_listen", None]
    seen = []
    for step in expected:
        seen.append(next_escalation_step(_tracker(*steps)))
        if step:
            steps.append(ActionExecuted(step))
    assert seen == expected


def test_no_escalation_for_other_intents():
    user = UserUttered("this worksheet is killing me", intent={"name": "inform", "confidence": 0.9})
    assert next_escalation_step(_tracker(ActionExecuted("action_listen"), user)) is None
