import pytest

from bot import cues


@pytest.mark.parametrize("text, expected", [
    ("yeah go on", "yes"), ("sure why not", "yes"), ("ya im sure", "yes"), ("yes wipe it all", "yes"),
    ("nah not tonight", "no"), ("hmm no wait", "no"), ("nooo keep it i changed my mind", "no"),
    ("maybe another time", "no"), ("i dont know", None), ("what happens to my check-ins?", None),
])
def test_yes_or_no_in_the_client_s_words(text, expected):
    assert cues.yes_or_no(text) == expected


@pytest.mark.parametrize("text", [
    "huh?", "wdym", "what do you mean by conditions", "can u give me an example", "i dont get the question",
    "What sort of answer are you looking for here?", "is 1 good or bad?", "which end is good",
])
def test_questions_about_the_question(text):
    assert cues.about_the_question(text)


@pytest.mark.parametrize("text", [
    "honesty and being listened to", "I'd like her to give me an honest answer when I ask",
    "someone who explains things calmly", "7",
])
def test_answers_are_not_questions_about_the_question(text):
    assert not cues.about_the_question(text)


@pytest.mark.parametrize("text, command", [
    ("can we do this another time", "pause"), ("im done for tonight, finish later", "pause"),
    ("I'd like to go back and change what I wrote for the previous question", "change_answer"),
    ("can i see what ive put so far", "show_answers"), ("skip this one", "skip"),
    ("I'd like her to stop checking her phone", None), ("skip the small talk at the start", None),
    ("less homework and more listening", None),
])
def test_unmistakable_commands(text, command):
    assert cues.strong_command(text) == command
