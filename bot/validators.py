"""Validation rules for answers: pure functions, no Rasa, no database.

Each parser returns the clean value, or None when the answer cannot be used
(the form then re-asks kindly).
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Dict, List, Optional

from bot import worksheet

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "hundred": 100, "thousand": 1000, "million": 1000000,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8,
}
# Words after which "one" points at an item rather than numbering it.
_POINTING = {"last", "that", "this", "the", "which", "each", "every", "other", "no", "any", "middle", "final"}
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
    if re.search(r"(^|[^\w-])-\s*\d|\bminus\b|\bnegative\b", cleaned):
        return None  # "-3", "minus five": below the scale, asked again
    cleaned = re.sub(r"\b(\d+|" + "|".join(NUMBER_WORDS) + r")ish\b", r"\1", cleaned)  # "fiveish"
    cleaned = re.sub(r"(\bout of|/)\s*(10|ten)\b", " ", cleaned)
    # "she checked her watch 10 times": a count, not a rating
    cleaned = re.sub(r"\b\w+ (times|minutes|mins|hours|days|weeks|months|years|sessions|people)\b", " ", cleaned)
    # "one sec", "two minutes", "give me one advice": a while or a thing, not a rating
    cleaned = re.sub(r"\b(one|two|five|ten|a) (sec|secs|second|seconds|min|mins|minute|moment|mo|tick|advice|tip|"
                     r"question|thing)\b", " ", cleaned)
    # "a rough one", "that one": "one" there is not a number
    cleaned = re.sub(rf"\b({_NOT_BEFORE_ONE}|\w+(er|est)) one\b", r"\1 ", cleaned)
    # "between 6 and 7, but if I have to pick one then 7": the number picked
    decided = re.split(r"\b(?:pick|choose|go with|settle on|call it|make it|put|say)\b", cleaned)
    if len(decided) > 1 and _numbers(decided[-1]):
        cleaned = decided[-1]
    numbers = _numbers(cleaned)
    if numbers is None or len(set(numbers)) != 1:
        return None
    value = numbers[0]
    return value if 1 <= value <= 10 else None


_NOT_BEFORE_ONE = r"a|an|the|that|this|which|each|every|any|no|other|another|rough|tough|good|bad|hard|long|easy|big|" \
                  r"little|difficult|heavy|weird|odd|strange|nice|great|ok|okay|new|old|last|first|next|same|pick|choose"


def _numbers(cleaned: str) -> Optional[List[int]]:
    """The whole numbers a text names, in digits or words; None for a fraction ("7.5")."""
    numbers = []
    for token in re.findall(r"\d+(?:[.,]\d+)?|[a-z]+", cleaned):
        if re.fullmatch(r"\d+", token):
            numbers.append(int(token))
        elif re.fullmatch(r"\d+[.,]\d+", token):
            return None  # "7.5": not a whole number
        elif token in NUMBER_WORDS:
            numbers.append(NUMBER_WORDS[token])
    return numbers


def parse_date(text: Optional[str], today: date, day_first: bool = False) -> Optional[date]:
    """A real, not-future date, as people write it: today, yesterday, yday,
    the day before yesterday, a week ago, three days ago, a weekday (the most
    recent one, today counts; "last" never means today), 2026-03-14, 11/20 or
    11/20/2026 (month first unless `day_first`; a first number above 12 is a
    day either way), 20 nov, nov 20th, 5 of march, march 5 2026. A date
    without a year is the most recent one. Returns None for anything else and
    for the future (tomorrow, next week)."""
    cleaned = _clean(text)
    if not cleaned or _FUTURE.search(cleaned):
        return None
    m = re.search(r"\b(\d{1,2}|" + "|".join(NUMBER_WORDS) + r"|a|an|a couple of|couple of|a few) "
                  r"(day|days|week|weeks)\b (ago|back|before)", cleaned)
    if m:  # before "today": "a week ago today"
        count = {"a": 1, "an": 1, "a couple of": 2, "couple of": 2, "a few": 3}.get(m.group(1)) or \
            NUMBER_WORDS.get(m.group(1)) or int(m.group(1))
        return today - timedelta(days=count * (7 if m.group(2).startswith("week") else 1))
    for pattern, days in _RELATIVE:
        if re.search(pattern, cleaned):
            return today - timedelta(days=days)
    candidate = _explicit_date(cleaned, today, day_first)
    if candidate is not None:
        return candidate if candidate <= today else None
    words = re.findall(r"[a-z]+", cleaned)
    for index, name in enumerate(WEEKDAYS):
        if any(len(word) >= 3 and name.startswith(word) for word in words):
            back = (today.weekday() - index) % 7
            if re.search(r"\blast\b", cleaned) and back == 0:
                back = 7
            return today - timedelta(days=back)
    return None


_FUTURE = re.compile(r"\b(tomorrow|tmrw|tmr|next (week|month|time|session|\w+day)|in (a|\d+|two|three) (days?|weeks?)"
                     r"|later today|tonight at|upcoming|coming up|this coming|(coming|following) \w+day|"
                     r"(this|on) (\w+day )?(next|coming) week|(going|supposed) to (be|have)|(will|gonna) (be|have))\b")
# A date without a year up to this many days ahead is taken as the future
# ("Dec 20th" on 2 December), not as the same day last year.
NEAR_FUTURE_DAYS = 60
_RELATIVE = (
    (r"\b(the )?day before (yesterday|yday)\b", 2),
    (r"\b(today|this (morning|afternoon|evening)|tonight|earlier today|just now|just had it|an hour ago|"
     r"(only|just) after (getting|coming|walking) (out|back|home)|just (got|came|come) (out|back|home))\b", 0),
    (r"\b(a|one) fortnight (ago|back)\b", 14),
    (r"\b(yesterday|yday|yest|ystrday|yesterdy|yesturday|last night)\b", 1),
)
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"


def _explicit_date(cleaned: str, today: date, day_first: bool) -> Optional[date]:
    """A calendar date in the text; without a year, the most recent such day."""
    def made(year: Optional[int], month: int, day: int) -> Optional[date]:
        try:
            if year is not None:
                return date(year + 2000 if year < 100 else year, month, day)
            this_year = date(today.year, month, day)
            if this_year <= today:
                return this_year
            # "Dec 20th" on 2 December is the future (refused); "Dec 20th" in January, last December
            return this_year if (this_year - today).days <= NEAR_FUTURE_DAYS else date(today.year - 1, month, day)
        except ValueError:  # 2026-02-30, the 32nd: not a real date
            return None

    m = re.search(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b", cleaned)
    if m:
        return made(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.search(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?\b", cleaned)
    if m:
        first, second = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else None
        month, day = (second, first) if (day_first or first > 12) and second <= 12 else (first, second)
        return made(year, month, day)
    m = re.search(rf"\b{_DAY} (?:of )?{_MONTH}(?:,? (\d{{4}}))?", cleaned)
    if m:
        return made(int(m.group(3)) if m.group(3) else None, _MONTHS[m.group(2)[:3]], int(m.group(1)))
    m = re.search(rf"\b{_MONTH} (?:the )?{_DAY}\b(?:,? (\d{{4}}))?", cleaned)
    if m:
        return made(int(m.group(3)) if m.group(3) else None, _MONTHS[m.group(1)[:3]], int(m.group(2)))
    return None


def parse_checklist(text: Optional[str]) -> Optional[List[str]]:
    """Which checklist items apply: '1 and 4', '2,3', 'none of them', 'all of
    them', 'all but 3', 'the first and the last', 'the one about boundaries',
    'limited disclosure'. [] means none apply.

    Returns None when nothing in the answer names an item.
    """
    cleaned = _clean(text)
    if not cleaned:
        return None
    if cleaned in _NOTHING or (
        re.match(r"((nah|honestly|um+|well|tbh|hmm+|erm|i think|i'?d say)\W+)*(none|nothing|nope|no|not any)"
                 r"( of (them|these|those|the above|it))?\b", cleaned)
        or re.search(r"\bnone (of (them|these|those|the above) )?(really )?(apply|applies|fit|fits|are me)\b", cleaned)
    ) and not re.search(r"\d", cleaned):
        return []
    every = [item.key for item in worksheet.CHECKLIST]
    m = re.search(r"\b(all|every ?one|everything|each)( of them| of these)?,? (but|except|apart from|other than|"
                  r"besides|minus)\b(.*)", cleaned)
    if m:
        left_out = _named_items(m.group(4))
        return [key for index, key in enumerate(every) if index not in left_out] if left_out else None
    if _ALL_OF_THEM.search(cleaned) and not re.search(r"\bnot all\b", cleaned):
        return every
    chosen = _named_items(cleaned)
    if not chosen:
        return None
    return [worksheet.CHECKLIST[i].key for i in sorted(chosen)]


# Every item, said as such ("all of them", "everything applies"), not "tired of all this".
_ALL_OF_THEM = re.compile(
    r"^\W*((um+|honestly|probably|prob|tbh|well|yeah|yes|i think|sadly)\W+)*(all|every ?one|everything|each one)"
    r"( of (them|these|those|the above|it))?( tbh| honestly| really| lol| haha)?\W*$"
    r"|\b(all|every one|everyone|each)( (of )?(them|these|those|the above|eight|8))? (apply|applies|fit|fits|are me|"
    r"are true|ring true)\b|\b(all of (them|these|the above)|all eight|all 8|every single one)\b"
)
# "the first three", "last two": a run of items from one end.
_RUN = re.compile(r"\b(first|top|last|bottom) (two|three|four|five|six|seven|[2-7])\b")


def _named_items(cleaned: str) -> set:
    """The indexes of the checklist items a text names, by number, ordinal or words."""
    named = {
        index for index, item in enumerate(worksheet.CHECKLIST)
        if item.title.lower() in cleaned
        # short words whole ("late", not "later"); longer ones as a stem ("avoid", "avoiding")
        or any(re.search(rf"\b{re.escape(word)}" + (r"\b" if len(word) <= 4 else ""), cleaned)
               for word in item.keywords)
    }
    chosen = set(named)
    # "1 to 4", "2-5", "3 through 6": every item between
    for first, last in re.findall(r"\b(\d)\s*(?:-|–|to|through|thru|till|until)\s*(\d)\b", cleaned):
        chosen.update(range(int(first) - 1, min(int(last), len(worksheet.CHECKLIST))))
    count = len(worksheet.CHECKLIST)
    for end, size in _RUN.findall(cleaned):
        n = int(size) if size.isdigit() else NUMBER_WORDS[size]
        chosen.update(range(n) if end in ("first", "top") else range(count - n, count))
    cleaned = _RUN.sub(" ", cleaned)
    previous = ""
    for token in re.findall(r"\b\d+\b|\b[a-z]+\b", cleaned):
        after, previous = previous, token
        if token.isdigit():
            number = int(token)
        elif named:  # "the one about boundaries": words are not numbers here
            continue
        elif token == "one" and (after in _ORDINALS or after in _POINTING):
            continue  # "the last one", "that one": not item 1
        elif token in ("last", "final"):
            number = len(worksheet.CHECKLIST)
        else:
            number = NUMBER_WORDS.get(token) or _ORDINALS.get(token) or 0
        if number and 1 <= number <= len(worksheet.CHECKLIST):
            chosen.add(number - 1)
    return chosen


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
            first_of: Dict[int, str] = {}
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
