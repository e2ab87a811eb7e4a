"""The safety screen decides in the NLU pipeline (bot.nlu.risk_screen): the
intent classifier's crisis guess alone never escalates."""

import pytest

from bot.nlu.risk_screen import mark_risk


def parse(intent, confidence=0.9, second="inform"):
    return {
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}, {"name": second, "confidence": 1 - confidence}],
    }


@pytest.mark.parametrize(
    "text, classifier, intent, level",
    [
        # the screen sees risk: crisis, whatever the intent classifier said
        ("i want to kill myself", "inform", "crisis", "risk"),
        ("he hits me when hes drunk", "inform", "crisis", "risk"),
        # a call for help alone
        ("sos", "inform", "crisis", "help"),
        ("crisis", "start_checkin", "crisis", "help"),
        # the intent classifier says crisis on an everyday sentence: it gives way
        ("I would like you to put it away", "crisis", "inform", None),
        ("this worksheet is killing me", "crisis", "inform", None),
        ("im not suicidal, just tired", "crisis", "inform", None),
        # neither
        ("we talked about my mother", "inform", "inform", None),
    ],
)
def test_the_screen_decides(text, classifier, intent, level):
    data = parse(classifier)
    risk = mark_risk(data, text)
    assert data["intent"]["name"] == intent
    assert (risk or {}).get("level") == level
    if risk:
        assert data["risk"] == risk and "category" in risk
