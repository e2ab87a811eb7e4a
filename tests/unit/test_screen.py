"""The safety screen's three outcomes (plus a call for help), the answer to
"are you safe right now?", and the small pieces around it."""

import pytest

from bot.safety.answers import is_safe_answer
from bot.safety.classifier import MAX_FALSE_AT_ASK, RECALL_AT_ASK, classifier, load_corpus
from bot.safety.screen import repaired, screen
from bot.settings import Practice


@pytest.mark.parametrize("text", ["help me", "sos", "SOS!", "crisis", "I need help", "help me please"])
def test_a_call_for_help_alone_gets_the_contacts_not_a_risk_flag(text):
    assert screen(text).level == "help"


@pytest.mark.parametrize(
    "text",
    [
        "i want to kill myself",
        "he hits me when hes drunk and im scared to go home",
        "i took a whole bottle of pills",
        "the last time i felt like this i ended up in hospital, and its like that again",
        "the overdose in the spring, honestly part of me wishes it had worked",
        "i wish i hadnt woken up after last time",
        "going to sleep now and i hope i dont wake up",
        "answer: kindly please. i get yelled at and hit at home most nights",
        "we discussed goals. bit pointless when i dont plan to be around much longer",
        "im out on the ledge of my balcony",
        "also im on a ledge at the car park rn",
    ],
)
def test_clear_risk(text):
    assert screen(text).level == "risk"


@pytest.mark.parametrize(
    "text",
    [
        # everyday sentences inside the drafting flow and as check-in answers
        "I would like you to put it away",
        "put it away",
        "stop doing that",
        "I want you to leave it",
        "cut it out",
        "end the session on time",
        "we talked about homework and my week",
        "my cousin was in hospital for that years ago",
        "this worksheet is killing me",
        "we talked about my mother",
        "I wish it would work out with my sister",
        "I used to get hit at home as a kid but that's long over",
        "going to sleep now, night",
        "the pigeons sit on the window ledge every morning",
    ],
)
def test_no_risk(text):
    assert screen(text).level == "none", screen(text)


def test_invalid_unicode_is_repaired_and_screened():
    text = "i want to die \ud800"
    assert repaired(text).endswith("\ufffd") or "\ufffd" in repaired(text)
    repaired(text).encode("utf-8")
    assert screen(text).level == "risk"


@pytest.mark.parametrize(
    "answer, safe",
    [
        ("yes", True),
        ("yes, I'm safe right now", True),
        ("im ok", True),
        ("yeah fine", True),
        ("no", False),
        ("no, I'm not safe", False),
        ("not really", False),
        ("idk", False),
        ("maybe", False),
        ("why", False),
        ("kind of", False),
    ],
)
def test_the_answer_to_are_you_safe(answer, safe):
    assert is_safe_answer(answer) is safe


def test_the_classifier_is_fitted_on_a_broad_corpus_and_its_thresholds_keep_recall():
    corpus = load_corpus()
    assert len(corpus) >= 2000
    kinds = {e["kind"] for e in corpus}
    assert len(kinds) >= 17
    limits = classifier().thresholds
    assert limits.ask <= limits.risk
    found = limits.validation  # the rules and the classifier together, on the validation messages
    # Recall first; only the cap on false alarms may stop it short of RECALL_AT_ASK, never below 95%.
    assert found["screen_recall_at_ask"] >= RECALL_AT_ASK or found["false_at_ask"] >= MAX_FALSE_AT_ASK - 0.005
    assert found["screen_recall_at_ask"] >= 0.95
    assert found["false_at_ask"] <= MAX_FALSE_AT_ASK + 0.005


@pytest.mark.parametrize(
    "name, line",
    [
        ("your therapist", "Your therapist: (123)456-7890 (Mon-Fri)"),
        ("", "Your therapist: (123)456-7890 (Mon-Fri)"),
        ("Dr. Rivera", "Your therapist, Dr. Rivera: (123)456-7890 (Mon-Fri)"),
    ],
)
def test_the_clinician_line_reads_right(name, line):
    practice = Practice("p", name, "(123)456-7890", "Mon-Fri", [], "988", "911", [])
    assert practice.clinician_line == line


@pytest.mark.parametrize("text", ["Doesn't matter now.", "Nothing. Or everything. I don't know."])
def test_a_few_words_only_the_classifier_hears_risk_in_get_the_question_not_the_escalation(text):
    verdict = screen(text)
    assert verdict.layer == "classifier" and verdict.score >= classifier().thresholds.risk
    assert verdict.level == "possible"  # "are you safe right now?", with the crisis line shown


def test_a_few_words_the_rules_hear_risk_in_still_escalate():
    assert screen("want to kill myself tonight").level == "risk"
