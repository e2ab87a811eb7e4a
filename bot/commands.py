"""What a message given to an open question asks for, without the trained
Rasa model: a small, deterministic classifier over the intents of the NLU
data in the repository (word and character n-grams, logistic regression).

The conversation's decisions about a message mid-question ("answer or
command", `bot.dialogue.decide`) rest on this and on the words in
`bot.cues`, never on DIET: a retraining of the Rasa model, on another machine
or with other thread counts, cannot change them. The same data always fits
the same model (lbfgs, no randomness); it is fitted once per process, in a
few seconds, on first use.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import List, Optional, Tuple

import yaml

from bot import cues

NLU_DATA = Path(__file__).resolve().parent.parent / "data" / "nlu"
PAYLOAD = re.compile(r"^/([A-Za-z_]+)")
_lock = threading.Lock()
_model = None


def _examples() -> Tuple[List[str], List[str]]:
    texts: List[str] = []
    intents: List[str] = []
    for path in sorted(NLU_DATA.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if not item.get("intent"):
                continue
            for line in str(item.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    # [text](entity) and [text]{"entity": ...} keep their text
                    texts.append(re.sub(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})", r"\1", line[2:]))
                    intents.append(item["intent"])
    return texts, intents


def _fitted():
    global _model
    with _lock:
        if _model is None:
            from sklearn.feature_extraction.text import TfidfVectorizer
            from sklearn.linear_model import LogisticRegression
            from sklearn.pipeline import make_pipeline, make_union

            features = make_union(
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
            )
            model = make_pipeline(features, LogisticRegression(C=10.0, max_iter=3000))
            model.fit(*_examples())
            _model = model
        return _model


YES_NO = ("affirm", "deny")
# Intents a yes or a no can stand for or sit beside without changing them.
ANSWER_LIKE = frozenset({"affirm", "deny", "inform", "thanks", "greet", "feeling", "goodbye"})
# Above this, the classifier's request wins over a yes or a no in the words.
MIN_OVER_YES_NO = 0.5


# Intents answered with a fixed reply or an action outside a question: below
# MIN_CANNED the classifier's guess is not acted on; the message is read as
# what it says (a feeling, a rupture, a question that a tip answers) or the
# client is told the assistant is not sure, with the choices.
CANNED = frozenset(
    {
        "affirm",
        "deny",
        "thanks",
        "greet",
        "goodbye",
        "pause",
        "resume",
        "skip",
        "start_worksheet",
        "start_checkin",
        "start_closing",
        "start_draft",
        "show_answers",
        "what_therapist_sees",
        "change_answer",
        "delete_my_data",
        "download_my_data",
        "keep_private",
        "another_tip",
        "save_answer",
        "ask_bot",
        "crisis",
    }
)
MIN_CANNED = 0.5


def warm() -> None:
    """Fits the classifier now (at start-up) rather than on the first message."""
    _fitted()


# Intents that ask for nearly the same thing ("tips please" is either): how sure
# the classifier is of one of them is how sure it is of the pair.
FAMILIES = (frozenset({"ask_tip", "another_tip"}),)


def ranking(text: str) -> List[Tuple[str, float]]:
    """Every intent with its probability, likeliest first; the likeliest
    member of a family stands for the family with the family's probability."""
    model = _fitted()
    probabilities = model.predict_proba([text])[0]
    ranked = sorted(((str(c), float(p)) for c, p in zip(model.classes_, probabilities)), key=lambda r: -r[1])
    for family in FAMILIES:
        members = [(name, p) for name, p in ranked if name in family]
        together = sum(p for _, p in members)
        if members and together > ranked[0][1]:
            ranked = [(members[0][0], together)] + [(name, p) for name, p in ranked if name != members[0][0]]
    return ranked


def understand(text: Optional[str]) -> List[Tuple[str, float]]:
    """The intents of a message outside an open question, likeliest first:
    where the words in `bot.cues` are unmistakable (a command, a question
    about the question, a yes or a no, a greeting or thanks) they come first,
    with certainty; otherwise the classifier's ranking."""
    text = (text or "").strip()
    if not text:
        return [("inform", 0.0)]
    ranked = ranking(text)
    cue = cues.intent_of(text)
    if cue is None:
        best, probability = ranked[0]
        if cues.remark(text) == "question" and best != "ask_tip" and probability < MIN_CANNED:
            # the client's own question about therapy ("how long does this take?"): the tip that answers it
            return [("ask_tip", probability)] + [(name, p) for name, p in ranked if name != "ask_tip"]
        if best in CANNED and probability < MIN_CANNED:
            # not sure enough for a canned reply: the message is read for what it says
            return [("inform", probability)] + [(name, p) for name, p in ranked if name != "inform"]
        return ranked
    best, probability = ranked[0]
    if cue in YES_NO and best not in ANSWER_LIKE and probability >= MIN_OVER_YES_NO:
        return ranked  # "sure, start the check-in", "delete my data": the request, not a yes
    return [(cue, 1.0)] + [(name, p) for name, p in ranked if name != cue]


def intent_of(text: Optional[str]) -> Tuple[Optional[str], float]:
    """The intent a message most likely has and its probability; a button's
    payload ("/pause") is that intent for certain."""
    text = (text or "").strip()
    payload = PAYLOAD.match(text)
    if payload:
        return payload.group(1), 1.0
    if not text:
        return None, 0.0
    return ranking(text)[0]
