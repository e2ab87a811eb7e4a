from datetime import date

import pytest

from bot import dialogue, worksheet

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "slot, text, intent, confidence, kind, value",
    [
        # answers
        (
            "q1_trust_meaning",
            "Knowing she will not use what I say against me",
            "inform",
            0.9,
            "answer",
            "Knowing she will not use what I say against me",
        ),
        ("trust_rating", "seven", "inform", 0.9, "answer", 7),
        ("trust_rating", "7/10", "skip", 0.9, "answer", 7),  # a rating wins over a command
        ("session_date", "yesterday", "inform", 0.9, "answer", "2026-11-22"),
        ("holding_back", "1 and 4", "inform", 0.9, "answer", ["limited_disclosure", "resistance_to_feedback"]),
        # re-asks
        ("trust_rating", "11", "inform", 0.9, "reask", None),
        ("trust_rating", "a lot", "inform", 0.9, "reask", None),
        ("session_date", "2099-01-01", "inform", 0.9, "reask", None),
        ("holding_back", "hmm", "inform", 0.9, "reask", None),
        # commands: short and confident
        ("q3_safety_meaning", "skip", "skip", 0.95, "skip", None),
        ("q3_safety_meaning", "help", "help", 0.95, "help", None),
        ("q3_safety_meaning", "pause for now", "pause", 0.95, "pause", None),
        ("q3_safety_meaning", "show my answers", "show_answers", 0.95, "show_answers", None),
        ("trust_rating", "can I change an answer", "change_answer", 0.9, "change_answer", None),
        # a long answer that sounds like a command is an answer
        (
            "q4_safety_conditions",
            "I need a break from feeling judged whenever I talk about my family",
            "pause",
            0.9,
            "answer",
            "I need a break from feeling judged whenever I talk about my family",
        ),
        # low confidence: an answer
        ("q4_safety_conditions", "stop rushing me", "pause", 0.4, "answer", "stop rushing me"),
        # optional and "that's all"
        ("agenda_item", "nothing", "deny", 0.9, "nothing", None),
        ("q6_need_2", "that's all", "deny", 0.9, "nothing", None),
        ("q6_need_1", "nothing", "deny", 0.9, "skip", None),
        # questions about the question, whatever the classifier says
        ("q1_trust_meaning", "what do you mean?", "inform", 0.5, "explain", None),
        ("q1_trust_meaning", "can you give me an example", "ask_tip", 0.8, "explain", None),
        ("trust_rating", "is 1 good or bad?", "inform", 0.9, "explain", None),
        ("holding_back", "huh?", "inform", 0.9, "explain", None),
        # remarks are not answers, except yes and no to a yes/no question
        ("q1_trust_meaning", "ok", "affirm", 0.9, "reask", None),
        ("session_topic", "hi", "greet", 0.9, "reask", None),
        ("closing_trust", "yes", "affirm", 0.9, "answer", "yes"),
        ("trust_rating", "-3", "inform", 0.9, "reask", None),
        # unmistakable commands need no classifier; the classifier alone gets a question back
        ("q3_safety_meaning", "ugh can we do this another time, im wiped", "inform", 0.3, "pause", None),
        ("q3_safety_meaning", "wait i want to change my last answer", "inform", 0.3, "change_answer", None),
        ("therapist_could_do", "what will my therapist see from this", "inform", 0.3, "what_therapist_sees", None),
        (
            "q3_safety_meaning",
            "ugh my kid is crying i gotta go",
            "inform",
            0.5,
            "clarify",
            "ugh my kid is crying i gotta go",
        ),
        ("q4_safety_conditions", "stop rushing me", "pause", 0.9, "clarify", "stop rushing me"),
        # flow words inside an answer
        (
            "draft_instead",
            "i'd like her to stop checking her phone when i talk",
            "pause",
            0.9,
            "answer",
            "i'd like her to stop checking her phone when i talk",
        ),
        (
            "therapist_could_do",
            "given me less homework, it felt like a test",
            "start_worksheet",
            0.8,
            "answer",
            "given me less homework, it felt like a test",
        ),
        # intro
        ("read_intro", "/affirm", "affirm", 1.0, "answer", "yes"),
        ("read_intro", "/deny", "deny", 1.0, "answer", "no"),
    ],
)
def test_decide(slot, text, intent, confidence, kind, value):
    outcome = dialogue.decide(slot, text, intent, confidence, TODAY)
    assert (outcome.kind, outcome.value) == (kind, value)


def test_a_message_asked_about_is_saved_when_the_client_says_so():
    asked = dialogue.decide("q3_safety_meaning", "I need a break", "pause", 0.7, TODAY)
    assert (asked.kind, asked.note) == ("clarify", "pause")
    saved = dialogue.decide("q3_safety_meaning", "/save_answer", "save_answer", 1.0, TODAY, pending=asked.value)
    assert (saved.kind, saved.value) == ("answer", "I need a break")
    nothing_kept = dialogue.decide("q3_safety_meaning", "/save_answer", "save_answer", 1.0, TODAY)
    assert nothing_kept.kind == "reask"


def test_the_explanation_is_the_question_s_own():
    outcome = dialogue.decide("safety_rating", "which end is good?", "inform", 0.9, TODAY)
    assert outcome.note == worksheet.QUESTION_HINTS["safety_rating"]


def test_one_word_reflection_answer_is_kept_and_invited_once():
    first = dialogue.decide("q1_trust_meaning", "honesty", "inform", 0.9, TODAY)
    assert (first.kind, first.value, first.note) == ("answer", "honesty", "utter_invite_more")
    second = dialogue.decide("q1_trust_meaning", "openness", "inform", 0.9, TODAY, invited_more="q1_trust_meaning")
    assert (second.kind, second.value, second.note) == ("answer", "openness", None)
    kept = dialogue.decide("q1_trust_meaning", "keep it", "inform", 0.9, TODAY, invited_more="q1_trust_meaning")
    assert (kept.kind, kept.value, kept.note) == ("answer", None, "utter_kept_answer")


def test_that_is_all_fills_the_remaining_needs():
    outcome = dialogue.decide("q6_need_2", "that's all", "deny", 0.9, TODAY)
    assert outcome.fills == {"q6_need_2": "none", "q6_need_3": "none"}


def test_next_open_slot_is_the_first_unanswered():
    assert dialogue.next_open_slot("checkin", {"session_date": "stored", "session_topic": "skipped"}) == "trust_rating"
    assert dialogue.next_open_slot("closing", {s: "stored" for s in dialogue.worksheet.FLOWS["closing"]}) is None


def _no_command(text):
    return "inform", 0.99


@pytest.mark.parametrize(
    "slot, text, value, then",
    [
        (
            "q3_safety_meaning",
            "A room where nobody raises their voice. Anyway I need to stop for tonight",
            "A room where nobody raises their voice.",
            "pause",
        ),
        (
            "q7_hoped_actions",
            "Remembering what I told her last week - can I see what I wrote so far?",
            "Remembering what I told her last week",
            "show_answers",
        ),
        (
            "q2_past_trust",
            "My grandmother never broke a promise; what kind of answer are you after though?",
            "My grandmother never broke a promise",
            "explain_question",
        ),
        (
            "q1_trust_meaning",
            "Being believed.\nAlso I'd like to change my answer about safety",
            "Being believed.",
            "change_answer",
        ),
        ("trust_rating", "6. ok gotta run, talk later", 6, "pause"),
        ("session_date", "last tuesday... what did I say for the other questions?", None, "show_answers"),
    ],
)
def test_an_answer_and_a_command_in_one_message_keep_both(slot, text, value, then):
    outcome = dialogue.decide(slot, text, "inform", 0.9, TODAY, classify=_no_command)
    assert (outcome.kind, outcome.then) == ("answer", then)
    if value is not None:
        assert outcome.value == value


@pytest.mark.parametrize(
    "slot, text",
    [
        ("q4_safety_conditions", "I have to go, my kid is crying"),  # no answer in it: the client is asked
        ("q5_communicate_needs", "I would tell her to stop. Then I would explain why it hurt."),
        ("q8_feedback", "Directly, in the session. I don't like notes or emails."),
    ],
)
def test_a_message_with_no_answer_and_command_pair_is_not_split(slot, text):
    outcome = dialogue.decide(slot, text, "inform", 0.9, TODAY, classify=_no_command)
    assert outcome.then is None


@pytest.mark.parametrize(
    "slot, text, kind",
    [
        (
            "q4_safety_conditions",
            "Thank you ever so much, this is really kind of you",
            "reask",
        ),  # the classifier: thanks
        ("q2_past_trust", "hang on are u a robot", "ask_bot"),
        ("q7_hoped_actions", "Do you know what time the office closes?", "reask"),
        ("q5_communicate_needs", "i'd just tell her can we skip the small talk", "answer"),  # words said to her
        ("q3_safety_meaning", "how does this work, do I type or press something", "help"),
        ("holding_back", "later", "clarify"),  # "late" names an item; "later" may be a way out: asked
    ],
)
def test_what_is_said_around_the_question(slot, text, kind):
    intent = "thanks" if text.startswith("Thank") else "inform"
    assert dialogue.decide(slot, text, intent, 0.9, TODAY, classify=_no_command).kind == kind


@pytest.mark.parametrize(
    "slot, text, note",
    [
        # how the client feels right now, or their own question about therapy: kept, not stored
        ("q2_past_trust", "honestly this question is making me feel pretty exposed", "feeling"),
        ("session_topic", "i'm so tired after today, really wiped out", "feeling"),
        ("q7_hoped_actions", "is it weird to want her to text me between sessions?", "question"),
        ("therapist_could_do", "how do i tell him the homework is too much without sounding lazy", "question"),
        (
            "q3_safety_meaning",
            "Oh dear, these questions are stirring up a lot for me. I feel quite tearful.",
            "feeling",
        ),
        ("q5_communicate_needs", "idk i just feel like therapy isnt working and im kinda over it", "feeling"),
        ("q6_need_2", "kinda embarrassed typing this stuff out tbh", "feeling"),
        ("therapist_could_do", "I'm starting to feel hopeless about the therapy, to be honest.", "feeling"),
    ],
)
def test_a_remark_mid_question_is_kept_not_stored(slot, text, note):
    outcome = dialogue.decide(slot, text, "inform", 0.6, TODAY)
    assert (outcome.kind, outcome.value, outcome.note) == ("remark", text, note)
    saved = dialogue.decide(slot, "/save_answer", "save_answer", 1.0, TODAY, pending=outcome.value)
    assert (saved.kind, saved.value) == ("answer", text)


@pytest.mark.parametrize(
    "slot, text",
    [
        ("trust_rating", "honestly i'm still annoyed with myself about how it went"),
        ("session_date", "should i be going every week or is fortnightly fine"),
    ],
)
def test_a_remark_where_a_value_is_asked_is_answered_then_asked_again(slot, text):
    outcome = dialogue.decide(slot, text, "inform", 0.6, TODAY)
    assert outcome.kind == "remark" and outcome.value is None


@pytest.mark.parametrize(
    "slot, text, value, then",
    [
        (
            "q3_safety_meaning",
            "Being able to leave when I want. Then skip the next one please",
            "Being able to leave when I want.",
            "skip",
        ),
        ("trust_rating", "8, can I change the date i gave before", 8, "change_answer"),
        ("safety_rating", "six i think. is that low compared to most?", 6, "explain_question"),
    ],
)
def test_an_answer_and_what_follows_it_are_both_kept(slot, text, value, then):
    outcome = dialogue.decide(slot, text, "inform", 0.5, TODAY)
    assert (outcome.kind, outcome.value, outcome.then) == ("answer", value, then)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("skip this one please", "skip"),
        ("can we leave this one out, I'll come back to it", "skip"),
        ("pause please, the train is here", "pause"),
        ("how do i go back to the checklist", "change_answer"),
        ("kdjfhgkd", "reask"),
        ("let me think about that one", "clarify"),
        # not ready for this one now: asked, never stored
        ("I'd prefer not to go into that one at the moment.", "clarify"),
        ("Not sure I'm ready for this one.", "clarify"),
        ("i rly dont wanna do this one rn", "clarify"),
        ("ugh cant talk abt it rn", "clarify"),
        # life calls
        ("my bus is here, byeee", "clarify"),
        ("Sorry, my husband needs the computer now.", "clarify"),
        ("Please pause this, my tea is ready.", "pause"),
        # small talk and slips
        ("Thank you dear, you are very patient with me.", "reask"),
        ("Sorry about that, pressed send too early.", "reask"),
        ("oops", "reask"),
        ("lol ok cool", "reask"),
        # hesitating rather than answering: asked, never stored
        ("could I maybe think about this one", "clarify"),
        ("hmm, not sure yet sorry", "clarify"),
        ("oh wow that's a big question", "clarify"),
        ("really tricky", "clarify"),
        ("same old stuff", "clarify"),
        ("i dunno if i should put that down", "clarify"),
        ("I need some more time", "clarify"),
        ("ok I leave now", "clarify"),
        # answers that share their words stay answers
        ("I'd rather not be rushed, and I need her to be on time", "answer"),
        ("honesty and not being judged, that is a lot to ask maybe", "answer"),
        ("a room where I can't be overheard, and she checks in with me", "answer"),
    ],
)
def test_commands_and_non_answers_in_more_words(text, kind):
    assert dialogue.decide("q4_safety_conditions", text, "inform", 0.3, TODAY).kind == kind


def test_a_rupture_mid_question_is_kept_and_answered_as_one():
    text = "she laughed at me when i finally told her about the panic attacks"
    outcome = dialogue.decide("q4_safety_conditions", text, "inform", 0.5, TODAY)
    assert (outcome.kind, outcome.value, outcome.note) == ("remark", text, "rupture")


@pytest.mark.parametrize("text, note", [("honestly can't say", "skip"), ("give me a minute", "pause")])
def test_no_value_and_maybe_a_way_out_where_a_value_is_asked_gets_the_choice(text, note):
    outcome = dialogue.decide("trust_rating", text, "inform", 0.5, TODAY)
    assert (outcome.kind, outcome.value, outcome.note) == ("clarify", None, note)


def test_a_count_in_a_rating_message_is_not_the_rating():
    assert dialogue.decide("trust_rating", "he yawned like 5 times", "inform", 0.5, TODAY).kind != "answer"


@pytest.mark.parametrize(
    "slot, text, kind",
    [
        ("holding_back", "can you show all my answers first", "show_answers"),
        ("session_topic", "got to run, keep my spot and I'll finish tonight", "pause"),
        ("q5_communicate_needs", "i'd prefer not to answer this one, next question please", "skip"),
    ],
)
def test_a_command_is_not_read_as_a_value_or_an_answer(slot, text, kind):
    assert dialogue.decide(slot, text, "inform", 0.4, TODAY).kind == kind


def test_an_answer_then_a_request_after_a_comma_keeps_the_answer_unless_it_is_none():
    kept = dialogue.decide(
        "q1_trust_meaning", "trust is not having to put on a show, can i pause after this one", "inform", 0.4, TODAY
    )
    assert (kept.kind, kept.value, kept.then) == ("answer", "trust is not having to put on a show", "pause")
    assert (
        dialogue.decide("q1_trust_meaning", "argh the dog, can we finish this later", "inform", 0.4, TODAY).kind
        == "pause"
    )


def test_a_rupture_at_the_checklist_is_not_ticked_as_items():
    from datetime import date

    from bot.dialogue import decide

    outcome = decide(
        "holding_back",
        "He said I was being defensive about everything. That stung a lot.",
        None,
        0.0,
        date(2026, 12, 3),
    )
    assert (outcome.kind, outcome.note) == ("remark", "rupture")
    numbered = decide("holding_back", "he once laughed at something I said, so 1 and 3", None, 0.0, date(2026, 12, 3))
    assert numbered.kind == "answer"


@pytest.mark.parametrize(
    "slot, text",
    [
        ("trust_rating", "hang on is one the lowest"),
        ("safety_rating", "would 5 be the middle"),
        ("trust_rating", "can i put half a point?"),
        ("holding_back", "what does dishonesty or concealment look like in practice"),
    ],
)
def test_a_question_in_words_about_the_scale_or_items_is_explained_whatever_the_classifier_says(slot, text):
    outcome = dialogue.decide(slot, text, "inform", 0.4, TODAY)
    assert (outcome.kind, outcome.note) == ("explain", worksheet.QUESTION_HINTS.get(slot))


@pytest.mark.parametrize(
    "slot, text, value",
    [("trust_rating", "8?", 8), ("safety_rating", "4, would that be ok?", 4), ("holding_back", "1 and 6?", [1, 6])],
)
def test_a_value_said_unsurely_is_still_the_value(slot, text, value):
    outcome = dialogue.decide(slot, text, "inform", 0.4, TODAY)
    assert outcome.kind in ("answer", "clarify")
    assert outcome.kind != "explain"


@pytest.mark.parametrize(
    "slot, text, intent, confidence, kind, note",
    [
        # a question the classifier is sure is about the question, however long: explained, not stored
        (
            "q1_trust_meaning",
            "What would an example answer look like? I don't want to get it wrong.",
            "explain_question",
            0.97,
            "explain",
            worksheet.QUESTION_HINTS.get("q1_trust_meaning"),
        ),
        # a question about therapy: its tip, nothing stored
        ("q1_trust_meaning", "What's the best way to be more honest in therapy?", "ask_tip", 0.9, "remark", "question"),
        (
            "q1_trust_meaning",
            "wait before that, how do i even give feedback w/o sounding mean",
            "ask_tip",
            0.85,
            "remark",
            "question",
        ),
        # about the assistant or the client's answers: answered, the question stays open
        ("q2_past_trust", "what exactly are you able to help me with?", "help", 0.7, "help", None),
        # any other question with its mark: the client is asked whether it was the answer
        ("q1_trust_meaning", "Honesty?", "inform", 0.83, "clarify", "explain_question"),
        # an answer, then a question: the client chooses, and the answer is kept meanwhile
        (
            "q1_trust_meaning",
            "Trust is when she does what she says. How do I even start?",
            "ask_tip",
            0.75,
            "clarify",
            "ask_tip",
        ),
        # where a value is asked for, a question about the scale or an item is not the value
        (
            "trust_rating",
            "1 is the good one?",
            "explain_question",
            0.7,
            "explain",
            worksheet.QUESTION_HINTS.get("trust_rating"),
        ),
        (
            "holding_back",
            "what is minimal engagement mean",
            "explain_question",
            0.9,
            "explain",
            worksheet.QUESTION_HINTS.get("holding_back"),
        ),
    ],
)
def test_a_question_is_not_an_answer(slot, text, intent, confidence, kind, note):
    outcome = dialogue.decide(slot, text, intent, confidence, TODAY)
    assert (outcome.kind, outcome.note) == (kind, note)
    if kind == "clarify":
        assert outcome.value == text  # kept until the client chooses


@pytest.mark.parametrize(
    "slot, text",
    [
        ("q1_trust_meaning", "What I need is honesty and someone who listens"),
        ("q1_trust_meaning", "When someone keeps their word"),
        ("q7_hoped_actions", "I'd like her to explain how things work. Why she asks what she asks."),
    ],
)
def test_an_answer_that_opens_like_a_question_is_still_an_answer(slot, text):
    outcome = dialogue.decide(slot, text, "inform", 0.9, TODAY)
    assert (outcome.kind, outcome.value) == ("answer", text)


@pytest.mark.parametrize(
    "slot, text, intent, confidence, kind",
    [
        # how the client feels, in words the cues do not know: acknowledged, kept, not stored
        ("q2_past_trust", "Bit flat this week, to be honest.", "feeling", 0.88, "remark"),
        ("therapist_could_do", "im just annoyed today everything is annoying", "feeling", 0.91, "remark"),
        # the classifier unsure: an answer that speaks of feelings is the answer
        ("q3_safety_meaning", "Feeling calm and not judged", "feeling", 0.52, "answer"),
        # where a feeling is what was asked, it is the answer
        ("draft_feeling", "Bit flat, to be honest.", "feeling", 0.9, "answer"),
    ],
)
def test_a_feeling_the_classifier_is_sure_of_is_acknowledged_not_stored(slot, text, intent, confidence, kind):
    outcome = dialogue.decide(slot, text, intent, confidence, TODAY)
    assert outcome.kind == kind
    if kind == "remark":
        assert (outcome.note, outcome.value) == ("feeling", text)  # the client can still save it


@pytest.mark.parametrize(
    "slot, text, intent, confidence, kind",
    [
        # a short question about the open question's own words is explained
        ("q2_past_trust", "a past experience of what, with anyone?", "inform", 0.4, "explain"),
        ("q5_communicate_needs", "which needs exactly?", "inform", 0.4, "explain"),
        ("q4_safety_conditions", "why are you asking me this", "inform", 0.4, "explain"),
        # where a value is asked, a question about therapy or a tip request is not the value
        ("safety_rating", "is it ok that I feel safer with him some days than others?", "ask_tip", 0.9, "remark"),
        ("trust_rating", "first give me one tip, then I'll rate", "ask_tip", 0.85, "remark"),
        # a word about the assistant or the weather is not an answer
        ("q3_safety_meaning", "you're quite chatty for a bot", "inform", 0.3, "reask"),
        ("therapist_could_do", "lovely morning here", "inform", 0.3, "reask"),
        # "change" that is not about an answer stays an answer
        (
            "q5_communicate_needs",
            "I'd want her to let me change the subject when it gets too much",
            "inform",
            0.6,
            "answer",
        ),
        ("q7_hoped_actions", "not getting annoyed if I change my mind halfway", "inform", 0.6, "answer"),
        ("q7_hoped_actions", "can I change my answer to the last question", "inform", 0.6, "change_answer"),
    ],
)
def test_what_a_message_is_read_as_in_more_words(slot, text, intent, confidence, kind):
    assert dialogue.decide(slot, text, intent, confidence, TODAY).kind == kind


@pytest.mark.parametrize(
    "text, value, then",
    [
        (
            "people who show up when they say they will ok thats me done for tonight, pause please",
            "people who show up when they say they will",
            "pause",
        ),
        (
            "a quiet room and no clock watching and uh can we stop here for today",
            "a quiet room and no clock watching",
            "pause",
        ),
        (
            "my aunt, she listened without fixing um what do you mean by factors",
            "my aunt, she listened without fixing",
            None,
        ),
    ],
)
def test_an_answer_run_on_into_a_request_keeps_the_answer(text, value, then):
    outcome = dialogue.decide("q2_past_trust", text, "inform", 0.4, TODAY)
    assert outcome.kind == "answer" and outcome.then is not None
    if value:
        assert outcome.value == value
    if then:
        assert outcome.then == then


@pytest.mark.parametrize(
    "slot, text",
    [
        ("draft_instead", "hehe true"),
        ("q2_past_trust", "this site is pretty neat tbh"),
        ("session_topic", "wow it's raining so hard here"),
        ("safety_rating", "hang on, one sec, door"),
    ],
)
def test_small_talk_and_a_moment_away_are_not_stored(slot, text):
    assert dialogue.decide(slot, text, "inform", 0.3, TODAY).kind != "answer"
