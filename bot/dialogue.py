"""Decisions the conversation makes about a client's message, without Rasa.

The form validators call these; unit tests drive them table-driven.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Dict, List, Optional, Tuple

from bot import commands, cues, tips, validators, worksheet

# Intents that stop or redirect a form: the form is rejected and rules take over.
REDIRECT_INTENTS = frozenset(
    {
        "pause",
        "goodbye",
        "change_answer",
        "start_worksheet",
        "start_checkin",
        "start_closing",
        "start_draft",
        "resume",
        "delete_my_data",
    }
)
# Intents handled inside the form, after which the same question is asked again.
INLINE_INTENTS = frozenset(
    {
        "help",
        "show_answers",
        "skip",
        "ask_bot",
        "ask_tip",
        "another_tip",
        "what_therapist_sees",
        "keep_private",
        "download_my_data",
    }
)
# A command the classifier alone hears must be short; a longer message in a
# free-text question is an answer even when it sounds like a command ("I need a
# break from feeling judged when I talk about my family" answers the question).
MAX_COMMAND_WORDS = 7
# Below this NLU confidence a short message is not taken as the classifier's command.
MIN_COMMAND_CONFIDENCE = 0.6
# "I have to go, my kid is crying": up to this long, words that may be a way
# out make the bot ask; longer, the message is an answer.
MAX_MAYBE_WORDS = 12
# Thanks or a greeting in more words ("thank you, you are very patient"):
# the classifier's word, up to this long, is enough, as nothing is lost by asking again.
SOCIAL_INTENTS = frozenset({"thanks", "greet"})
MIN_SOCIAL_CONFIDENCE = 0.5
MAX_SOCIAL_WORDS = 12
# A question about the question is short; a longer message is an answer.
MAX_QUESTION_WORDS = 25
# A feeling or a question of the client's own, mid-question, is a remark up to
# this long; longer, it is an answer (and the client can change it).
MAX_REMARK_WORDS = 30
# Where a value was asked for, fewer words than this that are not one ("a lot")
# are simply asked again: too few to read a feeling or a question in.
MIN_REMARK_WORDS = 4
# Questions answered by telling of someone else, where a rupture is not read in.
ABOUT_SOMEONE_ELSE = frozenset({"q2_past_trust"})
# The drafting questions ask what happened and how it felt: a rupture or a feeling there is the answer.
FEELINGS_ASKED = frozenset({"draft_what", "draft_feeling"})
# How sure the command classifier must be that a message mid-question is how
# the client feels, for it to be acknowledged rather than stored (with the
# choice to save it as the answer all the same).
SURE_FEELING = 0.7
# A rupture this likely by meaning alone is read as one mid-question.
CLEAR_RUPTURE = 0.8
# Where a question about the scale or the items is explained, never read as a value.
SCALES_AND_ITEMS = frozenset({"trust_rating", "safety_rating", worksheet.CHECKLIST_SLOT})
# Questions whose answer is a yes or a no: "yes" there is an answer, not a remark.
YES_NO_SLOTS = frozenset({"closing_trust", "closing_safe"})
# What the client is offered when a message could be a command or an answer.
COMMAND_CHOICES = {
    "pause": "pause here",
    "goodbye": "pause here",
    "skip": "skip this question",
    "change_answer": "change an earlier answer",
    "show_answers": "see your answers",
    "help": "see what I can do",
    "start_worksheet": "go to the worksheet",
    "start_checkin": "start a check-in",
    "start_closing": "go to the closing reflection",
    "start_draft": "draft something for your therapist",
    "resume": "continue",
    "delete_my_data": "delete your data",
    "ask_bot": "hear what I am",
    "ask_tip": "get a tip",
    "another_tip": "get a tip",
    "what_therapist_sees": "see what your therapist sees",
    "keep_private": "keep an answer private",
    "download_my_data": "download your data",
    "explain_question": "hear more about this question",
}
EXPLAIN = "explain_question"
MOVE_ON = "move_on"  # after an answer: nothing more to do
SAVE_ANSWER = "save_answer"
# Commands the form carries out itself, by ending the question (`bot.turns`),
# so that they do not depend on the trained model's intent.
FORM_EXITS = frozenset({"pause", "goodbye", "change_answer"})
# Commands that may follow an answer in the same message ("...that's my
# answer, can we stop here"): the answer is stored, then the command runs.
# A "skip" after an answer skips the question after it ("Honesty. Then skip the next one").
AFTER_ANSWER = FORM_EXITS | {"show_answers", "what_therapist_sees", "help", "ask_tip", EXPLAIN, "skip"}
# The command part of such a message is short; the answer part says something.
MAX_TAIL_WORDS = 20
MIN_ANSWER_WORDS = 2
# Below this, the intent classifier alone does not make a tail a command.
MIN_TAIL_CONFIDENCE = 0.8
# Where a message may turn from its answer to a command.
_SENTENCE_SEAMS = (
    r"(?<=[.!?…])\s+|\n+|\s*;\s*|\s+[-–—]+\s+|\s*\.{2,}\s*|"
    r",?\s+(?=(?:but|anyway|anyways|btw|oh and|and also|also|ok|okay|now|so|and|then|um+|uh+|erm|wait)\b[\s,]+"
    r"(?:(?:uh+|um+|erm|wait|so|yeah|ok|okay)[\s,]+)?"
    r"(?:can|could|would|will|i|i'?m|im|i'?d|let'?s|lets|please|what|how|show|may|is|gotta|got|have|skip|pause|stop|"
    r"that'?s|thats)\b)"
)
_SEAMS = re.compile(_SENTENCE_SEAMS, re.I)
# "trust is not having to perform, can I pause after this one": a comma before
# a request, after an answer of some length ("ugh school pickup, can we finish
# this later" is no answer).
_COMMA_SEAMS = re.compile(
    r"\s*,\s*(?=(?:can|could|may) (?:i|we) (?:pause|stop|skip|finish|call it|leave it|go back|"
    r"change|see|show|have)\b)",
    re.I,
)
MIN_COMMA_ANSWER_WORDS = 5
_TRAILING_LINK = re.compile(r"([\s,]+(and|but|so|also|then|ok|okay|um+|uh+|erm))+\W*$", re.I)
# Where a value was asked for ("6, can I change the date?"), a comma is a seam too.
_VALUE_SEAMS = re.compile(
    _SENTENCE_SEAMS + r"|\s*,\s*(?=(?:can|could|may|would|will|shall) (?:i|we|you|u)\b|(?:is|does) (?:that|this|it)\b|"
    r"(?:what|how) (?:does|do|is|are|about)\b|(?:then )?(?:pause|skip|stop)\b)",
    re.I,
)

STORED, SKIPPED, NOTHING = "stored", "skipped", "none"
_KEEP_PHRASES = {"keep it", "keep", "move on", "next", "that's it", "thats it", "no", "nope", "continue"}


@dataclass
class Outcome:
    """What to do with one message in a form."""

    kind: str  # answer | skip | nothing | reask | an inline or redirect intent
    value: Any = None
    fills: Dict[str, str] = field(default_factory=dict)  # extra slots to fill
    note: Optional[str] = None  # name of a response to send before moving on
    then: Optional[str] = None  # a command given with the answer, carried out after storing it


def word_count(text: Optional[str]) -> int:
    return len(re.findall(r"[\w']+", text or ""))


def command_of(text: Optional[str], intent: Optional[str], confidence: float) -> Optional[str]:
    """The command a message gives, or None when it is an answer."""
    if not intent or confidence < MIN_COMMAND_CONFIDENCE:
        return None
    if intent not in REDIRECT_INTENTS | INLINE_INTENTS:
        return None
    if word_count(text) > MAX_COMMAND_WORDS:
        return None
    return intent


def _tail_command(text: str, intent_of: Callable[[str], Tuple[Optional[str], float]]) -> Optional[str]:
    """The command a short closing part of a message gives, if it gives one."""
    if word_count(text) > MAX_TAIL_WORDS:
        return None
    if cues.about_the_question(text):
        return EXPLAIN
    strong = cues.strong_command(text)
    if strong in AFTER_ANSWER:
        return strong
    if cues.maybe_pause(text):
        return "pause"
    intent, confidence = intent_of(text)
    if intent in AFTER_ANSWER and confidence >= MIN_TAIL_CONFIDENCE:
        return intent
    return None


def split_answer(
    text: str, parse: Optional[Callable[[str], Any]], intent_of: Callable[[str], Tuple[Optional[str], float]]
) -> Optional[Tuple[Any, str]]:
    """An answer followed by a command in one message ("Honesty, mostly. I
    need to stop for tonight though"): the answer and the command, or None.
    The answer must be one: a value for a question with a form (`parse`), else
    a few words that are neither a command nor small talk."""
    if parse is not None:
        return _split_at(text, _VALUE_SEAMS, parse, intent_of, MIN_ANSWER_WORDS)
    return _split_at(text, _SEAMS, None, intent_of, MIN_ANSWER_WORDS) or _split_at(
        text, _COMMA_SEAMS, None, intent_of, MIN_COMMA_ANSWER_WORDS
    )


def _split_at(
    text: str,
    seams: re.Pattern,
    parse: Optional[Callable[[str], Any]],
    intent_of: Callable[[str], Tuple[Optional[str], float]],
    least: int,
) -> Optional[Tuple[Any, str]]:
    parts = [p for p in seams.split(text) if p and p.strip()]
    for cut in range(len(parts) - 1, 0, -1):
        head, tail = " ".join(parts[:cut]).strip(), " ".join(parts[cut:]).strip()
        head = _TRAILING_LINK.sub("", head)  # "...by email and" | "uh can we pause"
        command = _tail_command(tail, intent_of)
        if command is None or head.endswith("?") or head.lower().startswith("if "):
            continue  # a question, or "if I say 6", is not an answer
        if command == "skip" and not cues.SKIP_NEXT.search(tail):
            command = MOVE_ON  # "Honesty. Next question please": the answer, then the next question
        if parse is not None:
            value = parse(head)
            if value is not None:
                return value, command
            continue
        if (
            word_count(head) >= least
            and not cues.social(head)
            and cues.intent_of(head) is None
            and not cues.about_the_question(head)
            and not cues.maybe_command(head)
            and _tail_command(head, intent_of) is None
        ):
            return head, command
    return None


# What a question put mid-question asks for, when the classifier is sure of it:
# nothing is lost by answering these, and the question stays open.
ANSWERED_QUESTIONS = frozenset({"help", "ask_bot", "show_answers", "what_therapist_sees"})
TIP_INTENTS = frozenset({"ask_tip", "another_tip"})
# "wait, before that, how do I...": up to this many words may lead into a question.
MAX_LEAD_WORDS = 4


def _question_of(text: str, intent: Optional[str], confidence: float, hint: Optional[str]) -> Optional[Outcome]:
    """A question is not an answer. One the classifier is sure is about the
    question is explained, one about therapy gets its tip, one about the
    assistant or the client's answers is answered; any other question with
    its mark ("Honesty?", "as in physical safety?") makes the bot ask whether
    it was meant as the answer. None for a message that tells, or one that
    only opens like a question and that the classifier reads as an answer
    ("what I need is honesty")."""
    how = cues.asks(text)
    if how is None or word_count(text) > MAX_QUESTION_WORDS:
        return None
    sure = confidence >= MIN_COMMAND_CONFIDENCE
    if cues.told_before_question(text) > MAX_LEAD_WORDS:
        # an answer, then a question: the client chooses, and nothing is lost
        return Outcome("clarify", value=text, note=intent if sure and intent in COMMAND_CHOICES else EXPLAIN)
    if intent == EXPLAIN and sure:
        return Outcome("explain", note=hint)
    if intent in ANSWERED_QUESTIONS and sure:
        return Outcome(intent)
    if intent in TIP_INTENTS and sure:
        return Outcome("remark", value=text, note="question")
    if how == "marked":
        return Outcome("clarify", value=text, note=EXPLAIN)
    return None


def _rupture(text: str) -> bool:
    """Something that went wrong with the therapist: clearly, by meaning, or
    by meaning and intent together."""
    probability = dict(tips.topic_scores(text)).get("rupture", 0.0)
    return probability >= CLEAR_RUPTURE or (
        tips.topic_of(text) == "rupture" and commands.intent_of(text)[0] == "rupture"
    )


def decide(
    slot: str,
    text: Optional[str],
    intent: Optional[str],
    confidence: float,
    today: date,
    invited_more: Optional[str] = None,
    pending: Optional[str] = None,
    day_first: bool = False,
    classify: Optional[Callable[[str], Tuple[Optional[str], float]]] = None,
) -> Outcome:
    """Interpret a message given while `slot`'s question is open. `pending` is
    a message the client was asked about ("pause, or save that as your
    answer?"), kept until they choose. `classify` gives the intent of a part
    of the message (default: `bot.commands.intent_of`)."""
    text = (text or "").strip()
    if intent == SAVE_ANSWER:
        return Outcome("answer", value=pending) if pending else Outcome("reask", note="utter_empty_answer")
    command = command_of(text, intent, confidence)
    question = worksheet.QUESTIONS[slot]

    hint = worksheet.QUESTION_HINTS.get(slot)
    if text.startswith("/"):  # a button: what it says is meant
        if intent == EXPLAIN:
            return Outcome("explain", note=hint)
        if intent in REDIRECT_INTENTS | INLINE_INTENTS:
            return Outcome(intent)
    structured = _structured(slot, today, day_first)
    if slot != worksheet.INTRO_SLOT and not text.startswith("/"):
        # An answer and a command in one message: both halves are kept.
        split = split_answer(text, structured[0] if structured else None, classify or commands.intent_of)
        if split is not None:
            return Outcome("answer", value=split[0], then=None if split[1] == MOVE_ON else split[1])
    strong = cues.strong_command(text)
    if strong == "help":  # "how does this work?" is about the assistant, not the question
        return Outcome("help")
    # "What do you mean?", "can you give me an example?", "is 1 good or bad?"
    if cues.about_the_question(text) and word_count(text) <= MAX_QUESTION_WORDS:
        return Outcome("explain", note=hint)
    if intent == EXPLAIN and confidence >= MIN_COMMAND_CONFIDENCE and word_count(text) <= MAX_COMMAND_WORDS:
        command = EXPLAIN  # the classifier alone: the client is asked below

    # The client was invited to say more about a one-word answer: "keep it",
    # "skip" or "no" keeps what is already stored.
    if invited_more == slot and (command == "skip" or intent == "deny" or text.lower().rstrip(".!") in _KEEP_PHRASES):
        return Outcome("answer", value=None, note="utter_kept_answer")

    if slot == worksheet.INTRO_SLOT:
        if intent == "affirm" or text.lower() in {"yes", "y", "ok", "sure"}:
            return Outcome("answer", value="yes", note="utter_what_to_know")
        if intent == "deny" or command == "skip":
            return Outcome("answer", value="no")
        if command:
            return Outcome("explain", note=hint) if command == EXPLAIN else Outcome(command)
        return Outcome("reask", note="utter_yes_or_no")

    if structured is not None:
        parse, unclear_note = structured
        if slot == worksheet.CHECKLIST_SLOT and strong and strong != "skip":
            return Outcome(strong)  # "display all my answers": not "all" of the items
        if slot == worksheet.CHECKLIST_SLOT and cues.remark(text) == "question":
            return Outcome("remark", note="question")  # their own question, not "none of these"
        if (
            slot == worksheet.CHECKLIST_SLOT
            and word_count(text) >= MIN_REMARK_WORDS
            and not re.search(r"\d", text)
            and tips.topic_of(text) == "rupture"
        ):  # the items are the client's own ways: the meaning is enough
            # "She called me resistant, that hurt": about the therapist, not the client's own holding back
            return Outcome("remark", value=text, note="rupture")
        if (slot in SCALES_AND_ITEMS and cues.asks_in_words(text) and not (command or strong)) or (
            cues.asks(text) and intent == EXPLAIN and confidence >= MIN_COMMAND_CONFIDENCE
        ):
            return Outcome("explain", note=hint)  # "1 is the good one?", "wait is ten the highest", "what is this?"
        if intent in TIP_INTENTS and confidence >= MIN_COMMAND_CONFIDENCE and not re.search(r"\d", text):
            return Outcome("remark", note="question")  # "give me one advice before I answer": not a 1
        value = parse(text)
        if value is not None:
            return Outcome("answer", value=value)
        command = command or cues.strong_command(text)
        if command:  # not a value, so nothing is lost by following it
            return Outcome("explain", note=hint) if command == EXPLAIN else Outcome(command)
        maybe = cues.maybe_command(text) if word_count(text) <= MAX_MAYBE_WORDS else None
        if maybe:  # "can't say", "let me think": skip or pause, or answer when ready
            return Outcome("clarify", value=None, note=maybe)
        if cues.social(text):
            return Outcome("reask", note="utter_you_are_welcome" if intent == "thanks" else unclear_note)
        if cues.remark(text) or (
            word_count(text) >= MIN_REMARK_WORDS and (cues.is_question(text) or tips.topic_of(text))
        ):
            # not a value: a feeling, a rupture or a question is answered, then the question again
            return Outcome("remark", note=cues.remark(text) or ("question" if cues.is_question(text) else "topic"))
        return Outcome("reask", note=unclear_note)

    if strong:
        return Outcome(strong)
    if slot not in YES_NO_SLOTS and (
        cues.social(text)
        or (intent in SOCIAL_INTENTS and confidence >= MIN_SOCIAL_CONFIDENCE and word_count(text) <= MAX_SOCIAL_WORDS)
    ):
        return Outcome("reask", note="utter_you_are_welcome" if intent == "thanks" else "utter_empty_answer")
    if cues.about_the_bot(text) and word_count(text) <= MAX_SOCIAL_WORDS:
        return Outcome("ask_bot")
    remark = cues.remark(text) if word_count(text) <= MAX_REMARK_WORDS else None
    if remark is None and intent == "feeling" and confidence >= SURE_FEELING and word_count(text) <= MAX_REMARK_WORDS:
        remark = "feeling"  # "Bit flat this week, to be honest.": kept, and the client can still save it
    if remark == "feeling" and slot in FEELINGS_ASKED:
        remark = None  # "how did it make you feel?": the feeling is the answer
    if (
        remark is None
        and slot not in ABOUT_SOMEONE_ELSE | FEELINGS_ASKED
        and word_count(text) <= MAX_REMARK_WORDS
        and _rupture(text)
    ):
        remark = "rupture"  # something that went wrong with the therapist
    if remark:  # how they feel right now, or their own question about therapy: kept, not stored
        return Outcome("remark", value=text, note=remark)
    drafting = (
        worksheet.SLOT_TO_FLOW.get(slot) == "draft"
    )  # there "you" is the therapist, and a question may be the answer
    if (
        not drafting
        and cues.asks_about_the_words(text, question.text)
        and not (intent in TIP_INTENTS | ANSWERED_QUESTIONS and confidence >= MIN_COMMAND_CONFIDENCE)
    ):
        return Outcome("explain", note=hint)  # "three what, exactly?", "what kind of 'actions'?"
    if drafting and intent in TIP_INTENTS and confidence >= MIN_COMMAND_CONFIDENCE and cues.asks(text):
        return Outcome("remark", value=text, note="question")  # "any tips?" is not what they would like instead
    asking = None if drafting else _question_of(text, intent, confidence, hint)
    if asking is not None and asking.kind != "clarify":
        return asking
    if cues.to_the_assistant(text) and word_count(text) <= MAX_QUESTION_WORDS and not drafting:
        return Outcome("reask", note="utter_cannot_answer")  # "do you know if the practice is open?"
    if command in ("help", "ask_bot"):  # nothing is lost by answering these
        return Outcome(command)
    if asking is not None:
        return asking
    maybe = cues.maybe_command(text) if word_count(text) <= MAX_MAYBE_WORDS else None
    if command or maybe:
        # The classifier alone, or words that may be a way out: ask, keep the message.
        return Outcome("clarify", value=text, note=command or maybe)

    if slot.startswith("q6_need_") and validators.means_nothing(text):
        # "That's all": fewer than three needs is fine.
        rest = [s for s in worksheet.FLOWS["worksheet"] if s.startswith("q6_need_") and s >= slot]
        if slot == "q6_need_1":
            return Outcome("skip", fills={s: NOTHING for s in rest[1:]})
        return Outcome("nothing", fills={s: NOTHING for s in rest})

    if slot in worksheet.OPTIONAL_SLOTS and validators.means_nothing(text):
        return Outcome("nothing", fills={slot: NOTHING})

    if not text:
        return Outcome("reask", note="utter_empty_answer")

    if question.free_text and validators.is_brief(text) and invited_more != slot:
        return Outcome("answer", value=text, note="utter_invite_more")

    return Outcome("answer", value=text)


def _structured(slot: str, today: date, day_first: bool = False) -> Optional[Tuple[Callable[[str], Any], str]]:
    """The parser and the "please answer like this" response of a question
    whose answer has a form (checklist items, a rating, a date)."""
    if slot == worksheet.CHECKLIST_SLOT:
        return validators.parse_checklist, "utter_checklist_unclear"
    if slot in worksheet.RATING_SLOTS:
        return validators.parse_rating, "utter_rating_invalid"
    if slot in worksheet.DATE_SLOTS:

        def parse(text: str) -> Optional[str]:
            when = validators.parse_date(text, today, day_first)
            return when.isoformat() if when else None

        return parse, "utter_date_invalid"
    return None


def keeps_draft(text: Optional[str], intent: Optional[str]) -> bool:
    """'keep it', 'yes', 'looks good': the draft read back is kept as it is."""
    cleaned = (text or "").strip().lower().rstrip(".!")
    return intent == "affirm" or cleaned in _KEEP_PHRASES | {
        "yes",
        "save it",
        "save",
        "looks good",
        "that's good",
        "thats good",
        "perfect",
        "good",
    }


def next_open_slot(flow: str, filled: Dict[str, Any]) -> Optional[str]:
    """The question a client is at: the first one without an answer or skip."""
    return next((s for s in worksheet.FLOWS[flow] if filled.get(s) is None), None)


def describe_value(slot: str, value: Any) -> str:
    if slot == worksheet.CHECKLIST_SLOT:
        titles = worksheet.checklist_titles(value or [])
        return ", ".join(titles) if titles else "none of these"
    if slot in worksheet.RATING_SLOTS:
        return f"{value}/10"
    return str(value)


def answers_text(export: Dict[str, Any]) -> str:
    """'Show my answers': what the client has written, newest value of each."""
    lines: List[str] = []

    def add_section(title: str, answers: Dict[str, Any]) -> None:
        if not answers:
            return
        lines.append(f"{title}:")
        for slot, answer in answers.items():
            label = worksheet.QUESTIONS[slot].label
            shown = "(skipped)" if answer["status"] == "skipped" else describe_value(slot, answer["value"])
            lines.append(f"- {label}: {shown}")
        lines.append("")

    if export.get("checklist"):
        add_section(worksheet.WORKSHEET_TITLE, {worksheet.CHECKLIST_SLOT: export["checklist"]})
    add_section("Reflection questions", export.get("worksheet_answers") or {})
    for number, checkin in enumerate(export.get("checkins") or [], start=1):
        add_section(f"Session check-in {number}", {k: v for k, v in checkin.items() if k != "id"})
    add_section("Closing reflection", export.get("closing_reflection") or {})
    if not lines:
        return "You haven't written anything yet."
    return "Here is what you have written so far:\n\n" + "\n".join(lines).strip()
