"""The rule-based risk detector: a table of representative cases, then the labelled set."""

from pathlib import Path

import pytest
import yaml

from bot.safety.detector import CATEGORIES, Risk, detect

LABELLED = Path(__file__).resolve().parent.parent / "safety" / "labelled.yml"
MAX_FALSE_RATE = 0.05


@pytest.mark.parametrize(
    "text, category",
    [
        # suicide: direct, inflected, misspelled, slang, indirect
        ("i want to kill myself", "suicide"),
        ("i keep thinking about killing myself", "suicide"),
        ("im suicidle again", "suicide"),
        ("i wanna die", "suicide"),
        ("dont want to live anymore", "suicide"),
        ("kms", "suicide"),
        ("i want to unalive myself", "suicide"),
        ("thinking about sewerslide", "suicide"),
        ("everyone would be better off without me", "suicide"),
        ("ive been giving my things away", "suicide"),
        ("i wont be around much longer", "suicide"),
        ("i cant go on like this", "suicide"),
        ("i tried to kill myself last night", "suicide"),
        ("i used to be fine but now i want to die", "suicide"),
        # self-harm now
        ("i cut myself again", "self_harm"),
        ("relapsed on self harm", "self_harm"),
        ("i burned myself on purpose", "self_harm"),
        ("i cant stop cutting", "self_harm"),
        # medical
        ("i took too many pills", "medical"),
        ("i think i od'd", "medical"),
        ("i cant breath", "medical"),
        ("having chest pain right now", "medical"),
        # harm to others
        ("im going to kill my boss", "harm_to_others"),
        ("i want to hurt him", "harm_to_others"),
        ("if he comes back ill kill him", "harm_to_others"),
        # abuse / not safe at home
        ("he hits me", "abuse"),
        ("i dont feel safe at home", "abuse"),
        ("he threatened to kill me", "abuse"),
        ("he touches me when i dont want him to", "abuse"),
        # no future, in so many words; on a ledge
        ("honestly i do not expect to have another birthday", "suicide"),
        ("we did goals. pointless when i dont plan to be around.", "suicide"),
        ("im out on the ledge of my balcony", "suicide"),
        ("thought about topping myself every day this month", "suicide"),
        ("I'm at the edge of the quarry. Don't know why I came here.", "suicide"),
        ("id like to give feedback that i want to be dead", "suicide"),
        ("1. nothing is worth staying for", "suicide"),
        # danger right now; how many pills it would take; the void; cutting now
        ("the topic was my ex, who is standing outside my door right now", "danger"),
        ("a stranger is trying to get in", "danger"),
        ("how much insulin would it take, for me", "suicide"),
        ("the abyss is calling me again tonight", "suicide"),
        ("i burned earlier, the usual place", "self_harm"),
        ("5. ok im gonna go cut rn", "self_harm"),
    ],
)
def test_escalates(text, category):
    risk = detect(text)
    assert risk is not None, text
    assert risk.category == category
    assert risk.rule


@pytest.mark.parametrize(
    "text",
    [
        # idioms
        "this worksheet is killing me",
        "id die for a coffee right now",
        "i could kill for a pizza",
        "my boss will kill me if im late",
        "im dying to know what my therapist thinks",
        "overdosed on netflix this weekend lol",
        # negated
        "im not suicidal, just tired",
        "i would never hurt myself",
        "i dont want to die i just want things to change",
        # past
        "i used to self harm years ago but im doing better",
        "when i was a teen i tried to kill myself, im safe now",
        "my dad used to hit me as a kid",
        # other people
        "my friends brother died by suicide last year",
        "a character in a show killed himself",
        # worksheet answers and everyday
        "safety means nobody hurts me",
        "trust means knowing she wont hurt me",
        "i cant go on holiday this year, money is tight",
        "i cut myself shaving",
        "I don't plan to be around for the holidays, we're visiting my sister",
        "the pigeons sit on the window ledge every morning",
        "topping myself up with coffee before the session",
        "we walked along the edge of the cliff path on holiday last year",
        "nothing is worth staying for at that party, we left early",
        "i dont want to be dead tired at work tomorrow",
    ],
)
def test_does_not_escalate(text):
    assert detect(text) is None


def test_risk_shape_and_empty_input():
    risk = detect("I want to KILL myself.")
    assert isinstance(risk, Risk) and risk.category in CATEGORIES
    assert CATEGORIES == ("suicide", "self_harm", "medical", "danger", "harm_to_others", "abuse")
    assert detect("") is None and detect("   ") is None


def test_labelled_set():
    entries = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    escalate = [e for e in entries if e["escalate"]]
    benign = [e for e in entries if not e["escalate"]]
    assert len(escalate) >= 150 and len(benign) >= 170
    assert {e["category"] for e in escalate} == set(CATEGORIES)

    missed = [e["text"] for e in escalate if detect(e["text"]) is None]
    false_escalations = [e["text"] for e in benign if detect(e["text"]) is not None]
    assert not missed, f"recall {1 - len(missed) / len(escalate):.1%}; missed: {missed}"
    false_rate = len(false_escalations) / len(benign)
    assert false_rate <= MAX_FALSE_RATE, f"false-escalation rate {false_rate:.1%}: {false_escalations}"


@pytest.mark.parametrize(
    "text",
    [
        "my car is in the driveway right now",
        "the kids are outside in the garden right now",
        "how many tablets do i take for a migraine",
        "the cat climbed over the back fence",
    ],
)
def test_ordinary_places_and_doses_are_not_danger(text):
    assert detect(text) is None
