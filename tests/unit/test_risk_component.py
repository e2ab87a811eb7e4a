"""How the two nets combine in the NLU pipeline (bot.nlu.risk_detector)."""
import pytest

from bot.nlu.risk_detector import mark_risk


def parse(intent, confidence=0.9, second="inform"):
    return {"intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence},
                               {"name": second, "confidence": 1 - confidence}]}


@pytest.mark.parametrize("text, classifier, intent, layer", [
    # the rules fire: crisis, whatever the classifier said
    ("i want to kill myself", "inform", "crisis", "rules"),
    ("he hits me when hes drunk", "inform", "crisis", "rules"),
    # only the classifier fires, on words the rules do not know: it stands
    ("ive written letters to everyone saying goodbye", "crisis", "crisis", "nlu"),
    # the rules saw the risk words and judged them harmless: the classifier gives way
    ("this worksheet is killing me", "crisis", "inform", None),
    ("im not suicidal, just tired", "crisis", "inform", None),
    ("my friends brother died by suicide last year", "crisis", "inform", None),
    # neither
    ("we talked about my mother", "inform", "inform", None),
])
def test_two_nets(text, classifier, intent, layer):
    data = parse(classifier)
    risk = mark_risk(data, text)
    assert data["intent"]["name"] == intent
    assert (risk or {}).get("layer") == layer
    if risk:
        assert data["risk"] == risk and "category" in risk
