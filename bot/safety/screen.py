"""The safety screen: one verdict per client message, before anything else.

Three outcomes (plus a request for help):

- `risk`: clear current risk. The escalation message is shown at once.
  The rules (`detector.py`) found it, or the learned classifier
  (`classifier.py`) is above its escalation threshold.
- `possible`: the classifier is unsure (between its two thresholds). The client is
  asked, directly and kindly, whether they are safe right now, with the crisis
  line and the clinician's contact already shown.
- `help`: the message is only a call for help ("help me", "sos", "crisis"):
  the help contacts are shown and a help request is recorded, not a risk flag.
- `none`: carry on.

The intent classifier's `crisis` guess is not an input: one overconfident
intent must never decide (it flipped between trainings). Pure Python; no
Rasa. Nothing here logs message text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from bot.safety.classifier import classifier, normalise, rules_stand
from bot.safety.detector import assess

# Risk kinds of the classifier -> the categories of the escalation record.
CATEGORY_OF_KIND = {
    "direct_ideation": "suicide",
    "indirect_ideation": "suicide",
    "plan_means": "suicide",
    "past_attempt_present_wish": "suicide",
    "self_harm_now": "self_harm",
    "harm_to_others": "harm_to_others",
    "abuse": "abuse",
    "medical_emergency": "medical",
    "danger_now": "danger",
    # the team's labelled set names categories
    "team_suicide": "suicide",
    "team_self_harm": "self_harm",
    "team_medical": "medical",
    "team_harm_to_others": "harm_to_others",
    "team_abuse": "abuse",
    "team_danger": "danger",
}
# Categories whose escalation puts the emergency number first.
EMERGENCY_FIRST = frozenset({"medical", "danger"})
# A message that is only a call for help.
HELP_ONLY = re.compile(
    r"^(?:please\s+)?(?:help(?:\s+me)?(?:\s+please)?|h+e+l+p+\s*!+|sos|s\.o\.s|crisis|emergency|"
    r"i\s*(?:really\s+)?need\s+(?:urgent\s+|some\s+)?help(?:\s+(?:now|please))*|urgent(?:\s+help)?|"
    r"get\s+help(?:\s+now)?|help\s+now)\s*[.!?]*$"
)


# Everyday instructions whose words the classifier could take for risk ("cut it
# out" to a therapist who interrupts). The classifier also scores the message
# without them and the lower score counts, so the rest of the message is still
# judged on its own.
EVERYDAY_PHRASES = re.compile(
    r"\b(?:cut (?:it|that|this) out|cut (?:it|that|the session|things) short|cut me (?:some )?slack|"
    r"cut back on|knock it off|put (?:it|that|them|this) away|leave it|drop it|kill the (?:lights|music|tv)|"
    r"end (?:the|our|this) session|stop (?:doing )?that)\b|"
    # a goodnight said as the whole message ("going to sleep now, night"), nothing after it
    r"^(?:ok(?:ay)?\W+)?(?:i'?m\s+|im\s+)?(?:going|off|heading|gonna go)\s+to\s+(?:sleep|bed)(?:\s+now)?"
    r"(?:\W+(?:good\s*)?(?:night|nite|bye|nn))?\W*$"
)


# Up to this many words, a message the rules find nothing in is ambiguous
# however sure the classifier is ("Doesn't matter now.", "Same as before."):
# the client is asked whether they are safe (with the crisis line shown) and
# their answer decides, rather than the full escalation on a guess.
AMBIGUOUS_WORDS = 8


@dataclass(frozen=True)
class Verdict:
    level: str  # "risk" | "possible" | "help" | "none"
    category: str  # one of CATEGORY_OF_KIND's values, "unspecified" or "help"
    layer: str  # "rules" | "classifier" | "help" | ""
    rule: str
    score: float


NONE = Verdict("none", "", "", "", 0.0)


def repaired(text: Optional[str]) -> str:
    """The text with lone surrogates and other unencodable code points as U+FFFD."""
    if not text:
        return ""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def screen(text: Optional[str]) -> Verdict:
    text = repaired(text)
    if not text.strip():
        return NONE
    if HELP_ONLY.match(normalise(text)):
        return Verdict("help", "help", "help", "help_only", 0.0)
    found, _cleared = assess(text)
    model = classifier()
    masked = EVERYDAY_PHRASES.sub(" ", normalise(text))
    # The classifier reads text normalised: unmasked, the same score. One
    # pass of the model for both; the lower score counts.
    score, kind = min(model.judged([text] if masked == normalise(text) else [text, masked]))
    if found is not None and rules_stand(found, score):
        return Verdict("risk", found.category, "rules", found.rule, score)
    # The rules' guards (idiom, negation, the past, someone else) do not lower
    # the classifier's score: it learned those kinds itself, and a message
    # can speak of the past and of now at once.
    limits = model.thresholds
    if score < limits.ask:
        return Verdict("none", "", "", "", score)
    level = "risk" if score >= limits.risk and len(text.split()) > AMBIGUOUS_WORDS else "possible"
    return Verdict(
        level, CATEGORY_OF_KIND.get(kind, "unspecified"), "classifier", kind if level == "risk" else "unsure", score
    )
