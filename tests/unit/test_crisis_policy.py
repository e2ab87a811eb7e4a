"""The CrisisPolicy's steps after each safety verdict, and after "are you safe?"."""

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.safety.policy import ASK_STEPS, ESCALATION_STEPS, HELP_STEPS, SAFE_STEPS, STAY_STEPS, next_safety_step


def _tracker(*events):
    return DialogueStateTracker.from_events("c", list(events), slots=Domain.empty().slots)


def _crisis(text, level):
    return UserUttered(
        text,
        intent={"name": "crisis", "confidence": 1.0},
        parse_data={
            "intent": {"name": "crisis", "confidence": 1.0},
            "risk": {"level": level, "category": "suicide", "layer": "rules"},
        },
    )


def _walk(before, user):
    steps, seen = list(before) + [user], []
    while True:
        step = next_safety_step(_tracker(*steps))
        seen.append(step)
        if step is None or len(seen) > 6:
            return seen
        steps.append(ActionExecuted(step))


def test_clear_risk_inside_a_form_gets_the_escalation_steps():
    before = [ActiveLoop("worksheet_form"), ActionExecuted("action_listen")]
    assert _walk(before, _crisis("i want to end it all", "risk")) == list(ESCALATION_STEPS) + [None]


def test_possible_risk_asks_and_a_call_for_help_gets_the_contacts():
    assert _walk([ActionExecuted("action_listen")], _crisis("i cant do this anymore", "possible")) == list(
        ASK_STEPS
    ) + [None]
    assert _walk([ActionExecuted("action_listen")], _crisis("sos", "help")) == list(HELP_STEPS) + [None]


@pytest.mark.parametrize(
    "answer, steps",
    [
        ("yes, I'm safe right now", SAFE_STEPS),
        ("yeah im ok", SAFE_STEPS),
        ("no", ESCALATION_STEPS),
        ("not really", ESCALATION_STEPS),
        ("i dont know", ESCALATION_STEPS),
        ("why do you ask", ESCALATION_STEPS),
    ],
)
def test_the_answer_to_are_you_safe_is_understood(answer, steps):
    asked = [
        ActionExecuted("action_listen"),
        _crisis("i cant do this anymore", "possible"),
        *[ActionExecuted(a) for a in ASK_STEPS],
    ]
    user = UserUttered(answer, intent={"name": "affirm", "confidence": 0.9})
    assert _walk(asked, user) == list(steps) + [None]


def test_possible_risk_again_after_the_question_escalates():
    asked = [
        ActionExecuted("action_listen"),
        _crisis("i cant do this anymore", "possible"),
        *[ActionExecuted(a) for a in ASK_STEPS],
    ]
    assert _walk(asked, _crisis("i dont know anymore", "possible")) == list(ESCALATION_STEPS) + [None]


def test_nothing_for_other_messages():
    user = UserUttered("this worksheet is killing me", intent={"name": "inform", "confidence": 0.9})
    assert next_safety_step(_tracker(ActionExecuted("action_listen"), user)) is None


@pytest.mark.parametrize(
    "text, intent, steps",
    [
        ("i just feel so alone", "inform", STAY_STEPS),
        ("no", "deny", STAY_STEPS),
        ("hello?", "greet", STAY_STEPS),
        ("yes I want to go on", "affirm", None),
        ("continue", "resume", None),
    ],
)
def test_after_the_escalation_the_bot_stays_with_the_client(text, intent, steps):
    escalated = [
        ActionExecuted("action_listen"),
        _crisis("i want to die", "risk"),
        *[ActionExecuted(a) for a in ESCALATION_STEPS],
    ]
    user = UserUttered(text, intent={"name": intent, "confidence": 0.9})
    assert _walk(escalated, user) == (list(steps) + [None] if steps else [None])
