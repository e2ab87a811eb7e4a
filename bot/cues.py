"""The words that say what a message mid-question is, beside the intent
classifier: a question about the question, a social remark, or a command.

A command is taken as one only when these words and the classifier agree, or
the words are unmistakable; where only one of them says "command" the client
is asked (see `bot.dialogue.decide`). So a retraining that moves the
classifier's confidence can turn a command into a question to the client,
never into a stored answer.
"""
from __future__ import annotations

import re
from typing import Optional

_FLAGS = re.I


def _any(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _FLAGS)


# "what do you mean?", "huh?", "can you give me an example"
ABOUT_THE_QUESTION = _any(
    r"^\W*(huh|what|wut|wat|wdym|eh|pardon|sorry|come again|meaning)\W*$",
    r"\bwhat (do|does|did) (you|u|ya|that|this|it|the question) (mean|meant)",
    r"\bwdym\b",
    r"\b(i )?(don'?t|dont|do not|didn'?t|didnt|not sure i|can'?t) (get|understand|follow|know what (you|u)('re| are| r)? ?(asking|mean|want))",
    r"\b(give|show|got) (me )?(an |some |a )?examples?\b",
    r"\b(for|an?) example\s*\?",
    r"\bexamples?\?",
    r"\bwhat (kind|sort|type) of (answer|thing|stuff|response)",
    r"\bwhat (are|r) (you|u) (asking|looking for|after)\b",
    r"\bnot sure what (you|u)('re| are| r)? (asking|after|looking for|mean)",
    r"\b(can|could|would) (you|u) (explain|rephrase|reword|clarify|say (it|that) (differently|another way))",
    r"\b(confused|confusing|makes no sense)\b.*\?*$",
    r"\bwhat does .{1,30} mean\b",
    r"^(like|you mean|do you mean|as in) .{0,60}\?\s*$",
    r"\bwhat counts as\b",
    r"\bwhich (end|number) is (good|bad|better|best|worse|high|low)",
    r"\bis (1|one|10|ten|a (1|10)) (good|bad|high|low|the (best|worst))",
)

# Greetings, thanks, fillers and laughter: not an answer to an open question.
SOCIAL = _any(
    r"^\W*(hi+|hey+|hello+|hiya|yo|good (morning|afternoon|evening)|hi there|hey there)( again| there)?\W*$",
    r"^\W*(thanks?|thank (you|u)|thx|ty|cheers|ta)( (so|very) much| a lot)?\W*$",
    r"^\W*(ok+|okay|okey|k+|kk|alright|alrighty|cool|nice|great|sure|fine|right|gotcha|got it|yep|yeah|yes|ya|yup|mhm|uh huh)\W*$",
    r"^\W*(lol+|lmao|haha+|hehe+|hmm+|hm+|umm*|uh+|erm+|ah+|oh+|meh|wow)\W*$",
    r"^[\W_]*$",
)

# Unmistakable commands, whatever their length.
_PAUSE = _any(
    r"^\W*(please )?pause( (it|this|here|please|for now|now))?\W*$",
    r"\b(another|some other|a different) (time|day)\b",
    r"\b(come|get|be) back (to (this|it|you)|later|tomorrow)\b",
    r"\b(continue|finish|do|carry on|pick (this|it) up|resume)( (this|it|the rest))? (later|tomorrow|another time)\b",
    r"\b(stop|done|quit|finish|leave it)( it)? (for (now|today|tonight|the day)|here)\b",
    r"\bcall it a (day|night)\b",
    r"\bthat'?s enough for (now|today|tonight)\b",
    r"\b(talk|chat|speak) (to (you|u) )?(later|tomorrow|soon)\b",
    r"\b(ttyl|brb|gtg|g2g)\b",
    r"\bsave (it|this|my progress|where i am) for later\b",
    r"\b(can|could) we (stop|pause|finish)\b",
    r"\b(let'?s|lets) (stop|pause|finish)\b",
)
_CHANGE = _any(
    r"\b(change|edit|fix|redo|update|correct|rewrite|amend) (my|an|the|that|a|what i|one of my|my last|my previous|the last)\b.{0,20}\b(answer|response|reply|said|wrote|put|one)\b",
    r"\bgo back to (question|the (last|previous|earlier|first|other)|an earlier|a previous)\b",
    r"\b(wrong answer|made a mistake (in|on|with) my)\b",
)
_SHOW = _any(
    r"\b(show|see|view|read|look at|check) (me )?(all )?(my|what i('?ve| have)? ?(wrote|written|said|put|answered|typed))\b",
    r"\bwhat (have|did) i (write|written|wrote|say|said|answer|answered|put)\b",
    r"\bwhat (will|does|can|would) (my )?(therapist|she|he|they|clinician) (see|read)\b",
)
_SKIP = _any(
    r"^\W*(skip|pass|next|next question|skip (this|it|that)( one| question)?)\W*$",
    r"\b(can|could) (we|i) skip\b",
    r"\b(let'?s|lets|i'?ll|i will|i want to|i'?d like to|wanna) skip\b",
    r"\b(i'?d|i would) rather not (answer|say|go into)\b",
    r"\bdon'?t want to answer (this|that|it)\b",
)
STRONG_COMMANDS = {"pause": _PAUSE, "change_answer": _CHANGE, "show_answers": _SHOW, "skip": _SKIP}

# Words that may be a way out or may be the answer: "I have to go, my kid is
# crying", "I need a break". The client is asked.
MAYBE_PAUSE = _any(
    r"\b(gotta|got to|have to|need to|must|gonna have to) (go|run|leave|head off)\b",
    r"\b(need|want) (a|to take a) break\b",
    r"\b(too tired|so tired|wiped|exhausted|knackered|can'?t focus)\b",
    r"\b(is crying|at the door|just got home|is calling me|has to eat)\b",
)


def about_the_question(text: str) -> bool:
    return bool(ABOUT_THE_QUESTION.search(text or ""))


def social(text: str) -> bool:
    return bool(SOCIAL.search((text or "").strip()))


def strong_command(text: str) -> Optional[str]:
    return next((intent for intent, pattern in STRONG_COMMANDS.items() if pattern.search(text or "")), None)


def maybe_pause(text: str) -> bool:
    return bool(MAYBE_PAUSE.search(text or ""))


# A yes or a no to the offer or confirmation just made, in the client's words.
_NO = _any(
    r"^\W*(no+|nope|nah+|na|not now|not (right )?now|not tonight|not today|no thanks?|no thank you|"
    r"maybe (later|another time|not)|another time|later|hmm+ no|no wait|wait no|hold on|don'?t|do not|"
    r"i changed my mind|changed my mind|cancel|keep it|no,? keep it|never ?mind|nvm|i'?ll pass|pass)\b",
    r"\b(don'?t|do not|dont) (delete|wipe|erase|do it|want to)\b",
    r"\b(keep (it|them|everything|my (data|answers|stuff)))\b",
)
_YES = _any(
    r"^\W*(y|ya|yah|yes+|yeah+|yep|yup|sure|ok+|okay|okey|alright|fine|go on|go ahead|do it|let'?s( do it| go)?|"
    r"please|yes please|absolutely|definitely|of course|i'?m sure|im sure|sounds good|why not|sure why not|ok let'?s)\b",
    r"\b(delete|wipe|erase|remove) (it|them|everything|all|my)\b",
)


def yes_or_no(text: str) -> Optional[str]:
    """'yes', 'no', or None when the message is neither (or both)."""
    text = (text or "").strip().lower()
    no, yes = bool(_NO.search(text)), bool(_YES.search(text))
    if no and not yes:
        return "no"
    if yes and not no:
        return "yes"
    if yes and no:  # "no wait, yes delete it" is unclear: asked again
        return None
    return None
