"""Validation rules for answers: pure functions, no Rasa, no database.

Each parser returns the clean value, or None when the answer cannot be used
(the form then re-asks kindly).
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import List, Optional

from bot import worksheet

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8,
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NOTHING = {
    "no", "nope", "none", "nothing", "nothing else", "that's all", "thats all",
    "that is all", "no thanks", "nah", "n/a", "na", "not really", "that's it",
    "thats it", "nothing more", "no more", "i'm good", "im good", "all good",
}


def _clean(text: Optional[str]) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().lower())


def parse_rating(text: Optional[str]) -> Optional[int]:
    """A whole number 1-10: '7', 'seven', '7/10', 'about 7', 'a 7 i guess'.

    Returns None for anything else ('11', 'a lot', '7.5', two different numbers).
    """
    cleaned = _clean(text)
    if not cleaned:
        return None
    cleaned = re.sub(r"\b(out of|/)\s*10\b", " ", cleaned)
    tokens = re.findall(r"\d+(?:[.,]\d+)?|[a-z]+", cleaned)
    numbers = []
    for token in tokens:
        if re.fullmatch(r"\d+", token):
            numbers.append(int(token))
        elif re.fullmatch(r"\d+[.,]\d+", token):
            return None  # "7.5": not a whole number
        elif token in NUMBER_WORDS:
            numbers.append(NUMBER_WORDS[token])
    if len(set(numbers)) != 1:
        return None
    value = numbers[0]
    return value if 1 <= value <= 10 else None


def parse_date(text: Optional[str], today: date) -> Optional[date]:
    """A real, not-future date: today, yesterday, a weekday, or a date.

    Weekdays mean the most recent such day (today counts). Accepts ISO
    (2026-03-14), day/month/year (14/03/2026 or 14.3.2026) and '14 March 2026'.
    """
    cleaned = _clean(text)
    if not cleaned:
        return None
    if re.search(r"\btoday\b|\bthis morning\b|\btonight\b|\bearlier\b", cleaned):
        return today
    if re.search(r"\byesterday\b|\blast night\b", cleaned):
        return today - timedelta(days=1)
    m = re.search(r"\b(\d{1,2}) days? ago\b", cleaned)
    if m:
        return today - timedelta(days=int(m.group(1)))
    words = re.findall(r"[a-z]+", cleaned)
    for index, name in enumerate(WEEKDAYS):
        if any(len(word) >= 3 and name.startswith(word) for word in words):
            back = (today.weekday() - index) % 7
            if "last" in cleaned and back == 0:
                back = 7
            return today - timedelta(days=back)
    candidate = _explicit_date(cleaned)
    if candidate is None or candidate > today:
        return None
    return candidate


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


def _explicit_date(cleaned: str) -> Optional[date]:
    try:
        m = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", cleaned)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.search(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b", cleaned)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)? ([a-z]{3})[a-z]* (\d{4})\b", cleaned)
        if m and m.group(2) in _MONTHS:
            return date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
        m = re.search(r"\b([a-z]{3})[a-z]* (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b", cleaned)
        if m and m.group(1) in _MONTHS:
            return date(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
    except ValueError:  # 2026-02-30 and friends: not a real date
        return None
    return None


def parse_checklist(text: Optional[str]) -> Optional[List[str]]:
    """Which checklist items apply: '1 and 4', '2,3', 'none', 'all of them',
    'the one about boundaries', 'limited disclosure'. [] means none apply.

    Returns None when nothing in the answer names an item.
    """
    cleaned = _clean(text)
    if not cleaned:
        return None
    if cleaned in _NOTHING or re.fullmatch(r"(none|nothing|no)( of (them|these|those))?( apply)?\.?", cleaned):
        return []
    if re.search(r"\b(all|every one|everything)\b", cleaned) and not re.search(r"\bnot all\b", cleaned):
        return [item.key for item in worksheet.CHECKLIST]
    named = [
        index for index, item in enumerate(worksheet.CHECKLIST)
        if item.title.lower() in cleaned
        or any(re.search(rf"\b{re.escape(word)}", cleaned) for word in item.keywords)
    ]
    chosen: List[int] = list(named)
    for token in re.findall(r"\b\d+\b|\b[a-z]+\b", cleaned):
        if token.isdigit():
            number = int(token)
        elif named:  # "the one about boundaries": words are not numbers here
            continue
        else:
            number = NUMBER_WORDS.get(token) or _ORDINALS.get(token)
        if number and 1 <= number <= len(worksheet.CHECKLIST):
            chosen.append(number - 1)
    if not chosen:
        return None
    return [worksheet.CHECKLIST[i].key for i in sorted(set(chosen))]


def means_nothing(text: Optional[str]) -> bool:
    """'that's all', 'nothing', 'no': the client has nothing (more) to add."""
    return _clean(text).rstrip(".!") in _NOTHING


def is_brief(text: Optional[str]) -> bool:
    """An empty or one-word reflection answer, which gets one gentle invitation."""
    return len(re.findall(r"[\w']+", text or "")) <= 1


def find_question(text: Optional[str]) -> Optional[str]:
    """Which question a client means in 'change my answer to question 3',
    'change my trust rating', 'fix the checklist'. Returns a slot name or None.
    """
    cleaned = _clean(text)
    m = re.search(r"\b(?:question|q|number|no\.?)\s*#?\s*(\d+)\b", cleaned)
    if m:
        number = int(m.group(1))
        if 1 <= number <= 8:
            first_of = {}
            for question in worksheet.REFLECTION_QUESTIONS:
                n = int(question.slot[1])
                first_of.setdefault(n, question.slot)
            return first_of[number]
    hints = (
        ("checklist", worksheet.CHECKLIST_SLOT),
        ("trust rating", "trust_rating"), ("trust score", "trust_rating"),
        ("safety rating", "safety_rating"), ("safety score", "safety_rating"),
        ("date", "session_date"), ("topic", "session_topic"),
        ("agenda", "agenda_item"), ("bring up", "agenda_item"),
        ("helpful", "closing_helpful"), ("surprise", "closing_surprise"),
    )
    for hint, slot in hints:
        if hint in cleaned:
            return slot
    return None
