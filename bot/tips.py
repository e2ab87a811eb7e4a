"""Which trust-building tip fits `bot.worksheet.TIPS`.

A tip is matched by meaning: a small classifier over word and character
n-grams, fitted on each tip's own words and on messages clients might send
for which it is the tip that fits (`bot/tip_examples.jsonl`, written in
clients' own words), against everyday messages that ask for no tip in
particular (the conversation's training examples). Fitted once per process,
in about a second.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Iterable, List, Optional, Tuple

import yaml

from bot import worksheet

LOW_RATING = 4      # a trust or safety rating at or below this gets a gentle tip
DROP = 2            # ... and so does a fall of this many points since the last check-in
EXAMPLES = Path(__file__).resolve().parent / "tip_examples.jsonl"
NLU_DATA = Path(__file__).resolve().parent.parent / "data" / "nlu"
# Below this probability no tip is said to fit (the next one not given is offered).
MIN_TIP_PROBABILITY = 0.45
# ... or this, for a client who asked for a tip ("how do I give feedback?").
ASKED_TIP_PROBABILITY = 0.15
# The rupture guidance to a message that is not one would be a wrong reply: it needs more.
MIN_RUPTURE_PROBABILITY = 0.55
NONE = "none"
# Asking for a tip, any tip: these fit none in particular.
GENERIC_ASKS = ("any tips?", "any tips", "got any tips for me", "can you give me a tip", "give me a tip",
                "tips please", "another one", "another tip", "some advice please", "any advice?",
                "what do you suggest", "what should i do", "help me with trust")
# Intents whose examples may well call for a tip; the others are everyday messages.
_TIP_LIKE_INTENTS = {"ask_tip", "another_tip", "crisis", "inform"}
# Intents whose examples are a topic of their own: a feeling shared, a rupture.
TOPIC_INTENTS = ("feeling", "rupture")
_lock = threading.Lock()
_model = None


def _training_set() -> Tuple[List[str], List[str]]:
    texts: List[str] = []
    labels: List[str] = []
    for tip in worksheet.TIPS:
        for text in (tip.title, tip.text, tip.example, *tip.keywords):
            if text:
                texts.append(text)
                labels.append(tip.key)
    for line in EXAMPLES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            texts.append(entry["text"])
            labels.append(entry["tip"])
    for path in sorted(NLU_DATA.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if item.get("intent") and item["intent"] not in _TIP_LIKE_INTENTS:
                label = item["intent"] if item["intent"] in TOPIC_INTENTS else NONE
                for example in item["examples"].splitlines():
                    example = example.strip()[2:].strip()
                    if example:
                        texts.append(example)
                        labels.append(label)
    texts += list(GENERIC_ASKS)
    labels += [NONE] * len(GENERIC_ASKS)
    return texts, labels


def _fitted():
    global _model
    with _lock:
        if _model is None:
            from sklearn.feature_extraction.text import TfidfVectorizer
            from sklearn.linear_model import LogisticRegression
            from sklearn.pipeline import make_pipeline, make_union

            features = make_union(
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
            )
            model = make_pipeline(features, LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced"))
            texts, labels = _training_set()
            model.fit(texts, labels)
            _model = model
        return _model


def topic_scores(text: Optional[str]) -> List[Tuple[str, float]]:
    """Each topic (a tip's key, "feeling" or "rupture") and the probability
    that it is what the message is about, best first."""
    model = _fitted()
    probabilities = model.predict_proba([text or ""])[0]
    ranked = sorted(zip(model.classes_, probabilities), key=lambda pair: -pair[1])
    return [(key, float(p)) for key, p in ranked if key != NONE]


def topic_of(text: Optional[str]) -> Optional[str]:
    """What a message sent outside any question is about: a tip's key,
    "feeling", "rupture", or None when no topic is likely enough."""
    key, probability = topic_scores(text)[0]
    model = _fitted()
    none = dict(zip(model.classes_, model.predict_proba([text or ""])[0])).get(NONE, 0.0)
    least = MIN_RUPTURE_PROBABILITY if key == "rupture" else MIN_TIP_PROBABILITY
    return key if probability >= least and probability > none else None


def match_tip(text: Optional[str], asked: bool = False) -> Optional[str]:
    """The tip that fits what a client wrote, or None ("any tips?"). When the
    client asked for a tip, the best-fitting one is enough if it reaches
    ASKED_TIP_PROBABILITY: it fits better than the next tip in order would."""
    if asked:
        key, probability = next(((k, p) for k, p in topic_scores(text) if k in worksheet.TIPS_BY_KEY), (None, 0.0))
        return key if probability >= ASKED_TIP_PROBABILITY else None
    topic = topic_of(text)
    return topic if topic in worksheet.TIPS_BY_KEY else None


def next_tip(given: Iterable[str]) -> str:
    """The first tip not given yet in this conversation (then round again)."""
    seen = set(given or [])
    for tip in worksheet.TIPS:
        if tip.key not in seen:
            return tip.key
    return worksheet.TIPS[0].key


def tips_for_checklist(items: Iterable[str]) -> List[str]:
    """The tips that answer the checklist items a client ticked, in tip order."""
    wanted = {key for item in items or [] for key in worksheet.TIPS_FOR_CHECKLIST.get(item, ())}
    return [tip.key for tip in worksheet.TIPS if tip.key in wanted]


def after_checkin(trust: Optional[int], safety: Optional[int],
                  previous_trust: Optional[int], previous_safety: Optional[int]) -> Optional[str]:
    """'low' (a gentle tip and an offer to draft feedback), 'rise' (celebrate
    progress) or None, from this check-in's ratings and the previous one's."""
    pairs = [(now, before) for now, before in ((trust, previous_trust), (safety, previous_safety)) if now is not None]
    if not pairs:
        return None
    if any(now <= LOW_RATING for now, _ in pairs) or any(
            before is not None and before - now >= DROP for now, before in pairs):
        return "low"
    if any(before is not None and now > before for now, before in pairs):
        return "rise"
    return None


def tip_text(key: str) -> str:
    tip = worksheet.TIPS_BY_KEY[key]
    return f"{tip.title}: {tip.text}" + (f" {tip.example}" if tip.example else "")
