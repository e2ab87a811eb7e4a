import pytest

from bot import cues


@pytest.mark.parametrize(
    "text, expected",
    [
        ("yeah go on", "yes"),
        ("sure why not", "yes"),
        ("ya im sure", "yes"),
        ("yes wipe it all", "yes"),
        ("nah not tonight", "no"),
        ("hmm no wait", "no"),
        ("nooo keep it i changed my mind", "no"),
        ("maybe another time", "no"),
        ("i dont know", None),
        ("what happens to my check-ins?", None),
    ],
)
def test_yes_or_no_in_the_client_s_words(text, expected):
    assert cues.yes_or_no(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "huh?",
        "wdym",
        "what do you mean by conditions",
        "can u give me an example",
        "i dont get the question",
        "What sort of answer are you looking for here?",
        "is 1 good or bad?",
        "which end is good",
    ],
)
def test_questions_about_the_question(text):
    assert cues.about_the_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "honesty and being listened to",
        "I'd like her to give me an honest answer when I ask",
        "someone who explains things calmly",
        "7",
    ],
)
def test_answers_are_not_questions_about_the_question(text):
    assert not cues.about_the_question(text)


@pytest.mark.parametrize(
    "text, command",
    [
        ("can we do this another time", "pause"),
        ("im done for tonight, finish later", "pause"),
        ("I'd like to go back and change what I wrote for the previous question", "change_answer"),
        ("can i see what ive put so far", "show_answers"),
        ("skip this one", "skip"),
        ("I'd like her to stop checking her phone", None),
        ("skip the small talk at the start", None),
        ("less homework and more listening", None),
    ],
)
def test_unmistakable_commands(text, command):
    assert cues.strong_command(text) == command


@pytest.mark.parametrize(
    "text, command",
    [
        ("shall we break off there, I'll carry on with it tomorrow", "pause"),
        ("I'm logging off now", None),  # "logging" is not "log off": the client is asked (below)
        ("i'll log off now", "pause"),
        ("could I amend the number I gave for trust?", "change_answer"),
        ("i typed the wrong date earlier", "change_answer"),
        ("bring up everything I've answered", "show_answers"),
        ("I'd prefer not to answer that", "skip"),
        ("move on to the next one please", "skip"),
        ("have you got any advice on this?", "ask_tip"),
        ("send me a tip", "ask_tip"),
        ("how does this work, do I press something", "help"),
        ("remind me how to go back", "help"),
        # answers that use the same words
        ("she could fix the time of our sessions", None),
        ("I'd tell her the next topic I want", None),
        ("a friend who gave good advice and kept it private", None),
    ],
)
def test_commands_said_at_length(text, command):
    assert cues.strong_command(text) == command


@pytest.mark.parametrize(
    "text",
    [
        "is the bottom end the bad one?",
        "do you mean my old therapist or anyone",
        "whats a boundary mean",
        "instead of what?",
        "should I write about now or about the past?",
        "does a teacher count?",
        "which session, the one on monday?",
    ],
)
def test_questions_about_the_question_in_other_words(text):
    assert cues.about_the_question(text)


@pytest.mark.parametrize(
    "text, maybe",
    [
        ("probably a break", "pause"),
        ("later maybe", "pause"),
        ("I'm done", "pause"),
        ("rather not", "skip"),
        ("dunno", "skip"),
        ("no idea tbh", "skip"),
        ("a calm voice", None),
        ("being heard", None),
    ],
)
def test_words_that_may_be_a_way_out(text, maybe):
    assert cues.maybe_command(text) == maybe


@pytest.mark.parametrize(
    "text, deleting, expected",
    [
        ("ok im heading off, bye", False, None),
        ("ok im heading off, bye", True, None),
        ("delete my data", False, None),
        ("delete my data", True, "yes"),
        ("yes delete it all", True, "yes"),
        ("ok but i have to go now", True, None),
    ],
)
def test_a_yes_is_read_with_what_was_asked(text, deleting, expected):
    assert cues.yes_or_no(text, deleting=deleting) == expected


@pytest.mark.parametrize(
    "text",
    [
        "what's the difference between 1 and 2",
        "can I pick more than one",
        "which way does this go, 1 is high?",
        "what would a 5 mean",
        "'safety needs'?",
        "am i allowed to pick two",
    ],
)
def test_questions_about_the_scale_and_the_checklist(text):
    assert cues.about_the_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "i feel like such a failure. didn't get the promotion again",
        "sprained my ankle so can we do the next one online",
    ],
)
def test_everyday_words_are_not_commands(text):
    assert cues.intent_of(text) is None


@pytest.mark.parametrize(
    "text, maybe",
    [
        ("slow down", "pause"),
        ("give me a minute", "pause"),
        ("less questions", "pause"),
        ("moving on", "skip"),
        ("a slow pace and no rush", None),
    ],
)
def test_short_words_that_may_be_a_way_out(text, maybe):
    assert cues.maybe_command(text) == maybe


@pytest.mark.parametrize(
    "text",
    [
        "lol sorry my cat walked on the keyboard",
        "oh sorry, just realised i never said hello. hello!",
        "thank you for being patient with me",
    ],
)
def test_asides_are_social(text):
    assert cues.social(text)


@pytest.mark.parametrize(
    "text",
    [
        "the phone's ringing, one sec",
        "my son just came in, back in 5 mins",
        "hold on a sec",
        "hang on, the oven timer",
    ],
)
def test_being_called_away_may_be_a_way_out(text):
    assert cues.maybe_command(text) == "pause"


@pytest.mark.parametrize(
    "text",
    [
        "my mum was always calling me names",
        "he is never home for dinner and I hold on to hope",
        "the door is always open with her",
        "being able to say stop and the app respects it",
    ],
)
def test_answers_that_mention_the_phone_or_the_door_are_answers(text):
    assert cues.maybe_command(text) is None and not cues.social(text)


@pytest.mark.parametrize(
    "text",
    [
        "thanks, this is really helpful",
        "ok this chat is weirdly calming",
        "you're quicker at typing than me haha",
        "qwerty",
        "thank you so much, you've been a real help",
    ],
)
def test_words_about_the_assistant_are_social(text):
    assert cues.social(text)


@pytest.mark.parametrize(
    "text, command",
    [
        ("are my answers still there from last week?", "help"),
        ("do I need to finish it all today?", "help"),
        ("tell me what this was for again", "help"),
        ("how far have i got", "show_answers"),
    ],
)
def test_questions_about_keeping_and_pace(text, command):
    assert cues.strong_command(text) == command
