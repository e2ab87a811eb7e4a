"""Reading the client's answer to "are you safe right now?".

Only a plain yes counts as safe ("yes", "yeah i'm ok", "i'm safe"). A no,
anything hedged or unclear, or any sign of not being safe is read as not safe:
then the escalation message follows. Risk in the answer itself is caught by
the screen before this is asked.
"""

from __future__ import annotations

import re

from bot.safety.classifier import normalise

SAFE = re.compile(
    r"\b(yes|yeah|yea|yep|yup|ya|yh|ye|sure|safe|ok|okay|k|fine|alright|all right|good|im good|all good|"
    r"i am|im|i will be|ill be)\b"
)
NOT_SAFE = re.compile(
    r"\b(no|nope|nah|not|dont|don't|isnt|never|unsafe|cant|cannot|help|scared|afraid|maybe|idk|unsure|"
    r"sure if|dunno|kind of|kinda|sort of|guess|hard to say|why|what)\b"
)


def is_safe_answer(text: str) -> bool:
    words = normalise(text)
    return bool(SAFE.search(words)) and not NOT_SAFE.search(words)
