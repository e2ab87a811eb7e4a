"""Decisions the conversation makes about a client's message, without Rasa.

The form validators call these; unit tests drive them table-driven.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Dict, List, Optional, Tuple

from bot import validators, worksheet

# Intents that stop or redirect a form: the form is rejected and rules take over.
REDIRECT_INTENTS = frozenset({
    "pause", "goodbye", "change_answer", "start_worksheet", "start_checkin",
    "start_closing", "start_draft", "resume", "delete_my_data",
})
# Intents handled inside the form, after which the same question is asked again.
INLINE_INTENTS = frozenset({"help", "show_answers", "skip", "ask_bot", "ask_tip", "another_tip",
                            "what_therapist_sees", "keep_private", "download_my_data"})
# A command must be short; a longer message in a free-text question is an answer
# even when it happens to sound like a command ("I need a break from feeling judged
# when I talk about my family" answers the question, it does not pause).
MAX_COMMAND_WORDS = 7
# Below this NLU confidence a short message is taken as an answer, not a command.
MIN_COMMAND_CONFIDENCE = 0.6

STORED, SKIPPED, NOTHING = "stored", "skipped", "none"
_KEEP_PHRASES = {"keep it", "keep", "move on", "next", "that's it", "thats it", "no", "nope", "continue"}


@dataclass
class Outcome:
    """What to do with one message in a form."""

    kind: str  # answer | skip | nothing | reask | an inline or redirect intent
    value: Any = None
    fills: Dict[str, str] = field(default_factory=dict)  # extra slots to fill
    note: Optional[str] = None  # name of a response to send before moving on


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


def decide(
    slot: str,
    text: Optional[str],
    intent: Optional[str],
    confidence: float,
    today: date,
    invited_more: Optional[str] = None,
) -> Outcome:
    """Interpret a message given while `slot`'s question is open."""
    text = (text or "").strip()
    command = command_of(text, intent, confidence)
    question = worksheet.QUESTIONS[slot]

    # The client was invited to say more about a one-word answer: "keep it",
    # "skip" or "no" keeps what is already stored.
    if invited_more == slot and (
        command == "skip" or intent == "deny" or text.lower().rstrip(".!") in _KEEP_PHRASES
    ):
        return Outcome("answer", value=None, note="utter_kept_answer")

    if slot == worksheet.INTRO_SLOT:
        if intent == "affirm" or text.lower() in {"yes", "y", "ok", "sure"}:
            return Outcome("answer", value="yes", note="utter_what_to_know")
        if intent == "deny" or command == "skip":
            return Outcome("answer", value="no")
        if command:
            return Outcome(command)
        return Outcome("reask", note="utter_yes_or_no")

    structured = _structured(slot, today)
    if structured is not None:
        parse, unclear_note = structured
        value = parse(text)
        if value is not None:
            return Outcome("answer", value=value)
        if command:
            return Outcome(command)
        return Outcome("reask", note=unclear_note)

    if command:
        return Outcome(command)

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


def _structured(slot: str, today: date) -> Optional[Tuple[Callable[[str], Any], str]]:
    """The parser and the "please answer like this" response of a question
    whose answer has a form (checklist items, a rating, a date)."""
    if slot == worksheet.CHECKLIST_SLOT:
        return validators.parse_checklist, "utter_checklist_unclear"
    if slot in worksheet.RATING_SLOTS:
        return validators.parse_rating, "utter_rating_invalid"
    if slot in worksheet.DATE_SLOTS:
        def parse(text: str) -> Optional[str]:
            when = validators.parse_date(text, today)
            return when.isoformat() if when else None
        return parse, "utter_date_invalid"
    return None


def keeps_draft(text: Optional[str], intent: Optional[str]) -> bool:
    """'keep it', 'yes', 'looks good': the draft read back is kept as it is."""
    cleaned = (text or "").strip().lower().rstrip(".!")
    return intent == "affirm" or cleaned in _KEEP_PHRASES | {
        "yes", "save it", "save", "looks good", "that's good", "thats good", "perfect", "good"}


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
