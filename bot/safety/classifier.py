"""The learned risk classifier beside the rules.

A multinomial logistic regression over the corpus's kinds (nine risk kinds
and eight kinds of hard negative: idioms, negations, the resolved past, other
people's stories...) on word 1-2-grams (with negation marked: "not suicidal"
gives NOT_suicidal) and character 2-5-grams, fitted on the labelled corpus in
`bot/safety/corpus/*.jsonl`, written by several writers in different voices,
with the team's labelled set and the conversation's everyday messages
(`training_entries`).
Learning each kind of negative on its own separates them from risk far better
than one risk/no-risk line. It is separate from the intent classifier and
gives:

- `probability(text)`: the calibrated probability of current risk (the
  kinds' probabilities summed, then Platt-scaled on a validation split);
- `kind(text)`: the most likely risk kind, for the escalation's first line.

Calibration and the two thresholds are chosen on a held-out validation split
(20%, stratified) together with the blind sets already reported (every set
under tests/safety/blind/ but the newest, which stays unseen until it is
reported; blind sets never train the model), recall before precision: `risk`
keeps RECALL_AT_RISK of their risk messages; `ask` is set so that the screen
(the rules, then the classifier) catches RECALL_AT_ASK of them, and
RECALL_AT_ASK_PER_KIND of each kind, unless that would ask more than
MAX_FALSE_AT_ASK of the messages without risk (then recall gives way). The
validation split alone is written like the corpus; the reported blind sets
are what clients' own words look like to the model. The final model is then
refitted on the whole corpus.

Fitting is deterministic (lbfgs, fixed split seed) and takes about four
minutes on two cores, so it is done once per corpus and cached in `models/` under the
corpus's hash (`python -m bot risk-model`, run by `make model`); every
process loads the cached fit, or fits it if missing. Nothing here logs
message text.
"""
from __future__ import annotations

import hashlib
import os
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

from bot.rounds import in_order
from bot.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
CACHE_DIR = PROJECT_ROOT / "models"
SEED = 7
VALIDATION_SHARE = 0.2
RECALL_AT_RISK = 0.90   # above this threshold: the escalation message
RECALL_AT_ASK = 0.98    # between the two: "are you safe right now?"
RECALL_AT_ASK_PER_KIND = 0.95  # ... and of each kind of risk
# ... unless that asks more than this share of the messages without risk:
# a question to every third client would teach them to ignore it.
MAX_FALSE_AT_ASK = 0.04
# Below this probability the classifier overrules the rules' keywords: it has
# learned the resolved past, negations and other people's stories as kinds of
# their own ("I tried to take my life in my forties; I'm grateful I'm still here").
RULES_OVERRULED = 0.02
# ... except for these rules, whose words leave no room for a harmless reading
# the classifier could have learned: someone on a ledge, chest pain now, a
# threat to hurt the client, someone breaking in or at the door now, the void
# calling, how many pills it would take (the rules' own guards for idioms, the
# past and other people still apply).
FIRM_RULES = frozenset({"on_a_ledge", "chest_pain", "threat", "intruder", "void_calling", "how_many_to"})


def rules_stand(risk, score: float) -> bool:
    """Whether the rules' finding `risk` (a detector.Risk or None) holds at this score."""
    return risk is not None and (score >= RULES_OVERRULED or risk.rule in FIRM_RULES)
C = 16.0                # weak regularisation: the corpus is varied, n-grams are many
NEGATORS = frozenset({"not", "no", "never", "dont", "didnt", "wont", "cant", "isnt", "arent", "wasnt", "nothing",
                      "nobody", "without", "nor", "aint", "havent", "wouldnt", "couldnt", "shouldnt", "doesnt"})
SCOPE_ENDS = frozenset({".", ",", "!", "?", ";", "but", "though", "although", "yet"})
VERSION = 8  # bump when the features or the model change, so that caches are refitted


def normalise(text: str) -> str:
    """Lower case, accents and curly quotes folded, apostrophes dropped
    ("don't" and "dont" are the same word), whitespace squeezed."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("'", "").replace("`", "")
    return " ".join(text.split())


def negation_marked(text: str) -> str:
    """Words after a negator, up to the end of the clause, get a NOT_ prefix."""
    out, negated = [], False
    for word in re.findall(r"[a-z0-9]+|[.,!?;]", normalise(text)):
        if word in SCOPE_ENDS:
            negated = False
            out.append(word)
            continue
        out.append("NOT_" + word if negated else word)
        negated = negated or word in NEGATORS
    return " ".join(out)


def load_corpus_file(path: Path) -> List[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_corpus(folder: Path = CORPUS_DIR) -> List[dict]:
    return [entry for path in sorted(folder.glob("*.jsonl")) for entry in load_corpus_file(path)]


# The everyday messages of this conversation are negatives too: the intent
# examples of the NLU data (greetings, thanks, "goodbye", commands, answers;
# all but the crisis examples), the buttons' words and short answers. Without
# them "thanks" and "none" looked like risk to a classifier that had only
# seen them in farewell notes.
NLU_DIR = PROJECT_ROOT / "data" / "nlu"
SHORT_ANSWERS = (
    [str(n) for n in range(0, 11)] + [f"{n}/10" for n in range(1, 11)] + [f"{a} and {b}" for a in range(1, 9)
                                                                     for b in range(a + 1, 9)]
    + ["none", "none of them", "none of these", "nothing", "thats all", "that's all", "nope nothing", "all of them",
       "today", "yesterday", "last week", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
       "sunday", "the day before yesterday", "a week ago", "yday", "ok", "okay", "k", "sure", "yes please",
       "no thanks", "not now", "later", "done", "im done for now", "bye", "goodbye", "thanks", "thank you", "hi",
       "hello", "hey", "skip", "next", "continue", "go on", "pause", "stop for now", "i dont know", "idk", "maybe"]
)


def chat_entries() -> List[dict]:
    import yaml

    entries = [{"text": text, "label": "no_escalate", "kind": "chat"} for text in SHORT_ANSWERS]
    for path in sorted(NLU_DIR.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if block.get("intent") in (None, "crisis"):
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = re.sub(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}", lambda m: m.group(1) or m.group(2),
                                  line[2:])
                    entries.append({"text": text, "label": "no_escalate", "kind": "chat"})
    return entries


LABELLED = PROJECT_ROOT / "tests" / "safety" / "labelled.yml"
BLIND_DIR = PROJECT_ROOT / "tests" / "safety" / "blind"


def development_sets() -> List[Path]:
    """The blind sets already reported: all but the newest."""
    return in_order(BLIND_DIR)[:-1]


def development_entries() -> List[dict]:
    return [entry for folder in development_sets() for entry in load_corpus(folder)]


def labelled_entries() -> List[dict]:
    """The team's labelled set (tests/safety/labelled.yml), in the corpus's form."""
    import yaml

    return [{"text": e["text"], "label": "escalate" if e["escalate"] else "no_escalate",
             "kind": f"team_{e['category']}"} for e in yaml.safe_load(LABELLED.read_text(encoding="utf-8"))]


def training_entries() -> List[dict]:
    """The corpus, the team's labelled set and the everyday messages, without
    duplicates. (The blind sets under tests/safety/blind/ never are.)"""
    seen, out = set(), []
    for entry in load_corpus() + labelled_entries() + chat_entries():
        key = normalise(entry["text"])
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


def _model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline

    features = FeatureUnion([
        ("words", TfidfVectorizer(preprocessor=negation_marked, ngram_range=(1, 2), sublinear_tf=True,
                                  token_pattern=r"\S+", lowercase=False)),
        ("chars", TfidfVectorizer(preprocessor=normalise, analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                  sublinear_tf=True)),
    ])
    return make_pipeline(features, LogisticRegression(C=C, solver="lbfgs", max_iter=3000))


def _threshold_for_recall(scores: Sequence[float], recall: float) -> float:
    """The highest threshold that keeps at least `recall` of these positive scores."""
    ordered = sorted(scores, reverse=True)
    keep = min(len(ordered), max(1, -(-int(recall * len(ordered) * 1000) // 1000)))
    return float(ordered[keep - 1])


def _threshold_for_false(scores: Sequence[float], share: float) -> float:
    """The lowest threshold at which at most `share` of these negative scores reach it."""
    ordered = sorted(scores, reverse=True)
    allowed = int(share * len(ordered))
    return float(ordered[allowed]) + 1e-9 if allowed < len(ordered) else 0.0


@dataclass(frozen=True)
class Thresholds:
    risk: float
    ask: float
    validation: Dict[str, float]


@dataclass
class RiskClassifier:
    model: Any  # a fitted scikit-learn pipeline
    risk_kinds: Tuple[str, ...]
    platt: Tuple[float, float]
    thresholds: Thresholds

    def _risk_score(self, texts: List[str]):
        probabilities = self.model.predict_proba(texts)
        columns = [i for i, k in enumerate(self.model.classes_) if k in self.risk_kinds]
        return probabilities[:, columns].sum(axis=1), probabilities

    def judged(self, texts: List[str]) -> List[Tuple[float, str]]:
        """(calibrated probability of risk, likeliest risk kind) of each text,
        from one pass of the model over them all."""
        import math

        a, b = self.platt
        scores, probabilities = self._risk_score(texts)
        risk_columns = [(i, k) for i, k in enumerate(self.model.classes_) if k in self.risk_kinds]
        return [
            (1.0 / (1.0 + math.exp(-(a * float(score) + b))), max(risk_columns, key=lambda c: row[c[0]])[1])
            for score, row in zip(scores, probabilities)
        ]

    def probability(self, text: str) -> float:
        return self.judged([text])[0][0]

    def kind(self, text: str) -> str:
        return self.judged([text])[0][1]


def split(entries: List[dict]) -> Tuple[List[dict], List[dict]]:
    from sklearn.model_selection import train_test_split

    return train_test_split(entries, test_size=VALIDATION_SHARE, random_state=SEED,
                            stratify=[e["kind"] for e in entries])


def fit(entries: List[dict]) -> RiskClassifier:
    """Thresholds and calibration from a validation split, then the final fit on everything."""
    from sklearn.linear_model import LogisticRegression

    risk_kinds = tuple(sorted({e["kind"] for e in entries if e["label"] == "escalate"}))
    train, valid = split(entries)
    valid = valid + development_entries()
    trial = RiskClassifier(_model().fit([e["text"] for e in train], [e["kind"] for e in train]),
                           risk_kinds, (1.0, 0.0), Thresholds(0, 0, {}))
    scores = trial._risk_score([e["text"] for e in valid])[0]
    truth = [e["label"] == "escalate" for e in valid]
    platt = LogisticRegression(C=1e6).fit(scores.reshape(-1, 1), truth)
    a, b = float(platt.coef_[0][0]), float(platt.intercept_[0])
    calibrated = platt.predict_proba(scores.reshape(-1, 1))[:, 1]
    positives = [p for p, t in zip(calibrated, truth) if t]
    negatives = [p for p, t in zip(calibrated, truth) if not t]
    risk = _threshold_for_recall(positives, RECALL_AT_RISK)
    # "Ask" keeps RECALL_AT_ASK of the screen's catches, the rules' included:
    # a message the rules catch (and the classifier does not overrule) needs
    # no threshold of its own.
    from bot.safety.detector import assess

    def ask_for(members: List[int], recall: float) -> float:
        """The highest threshold at which the screen catches `recall` of these positives."""
        caught = {i for i in members if rules_stand(assess(valid[i]["text"])[0], calibrated[i])}
        missed = [float(calibrated[i]) for i in members if i not in caught]
        needed = recall * len(members) - len(caught)
        return risk if needed <= 0 else _threshold_for_recall(missed, min(1.0, needed / max(1, len(missed))))

    risky = [i for i, t in enumerate(truth) if t]
    kinds = {valid[i]["kind"] for i in risky}
    ask = min([risk, ask_for(risky, RECALL_AT_ASK)] + [
        ask_for([i for i in risky if valid[i]["kind"] == kind], RECALL_AT_ASK_PER_KIND) for kind in kinds])
    ask = min(risk, max(ask, _threshold_for_false(negatives, MAX_FALSE_AT_ASK)))
    by_screen = [i for i in risky if calibrated[i] >= ask or rules_stand(assess(valid[i]["text"])[0], calibrated[i])]
    validation = {
        "screen_recall_at_ask": len(by_screen) / len(risky),
        "recall_at_risk": sum(p >= risk for p in positives) / len(positives),
        "recall_at_ask": sum(p >= ask for p in positives) / len(positives),
        "false_at_risk": sum(p >= risk for p in negatives) / len(negatives),
        "false_at_ask": sum(p >= ask for p in negatives) / len(negatives),
    }
    final = _model().fit([e["text"] for e in entries], [e["kind"] for e in entries])
    return RiskClassifier(final, risk_kinds, (a, b), Thresholds(risk, ask, validation))


def corpus_hash(folder: Path = CORPUS_DIR) -> str:
    """What the fit depends on: the corpus, the development sets, and the rules
    (the thresholds are chosen for the rules and the classifier together)."""
    digest = hashlib.sha256(f"v{VERSION}".encode())
    digest.update(json.dumps(SHORT_ANSWERS).encode())
    digest.update((Path(__file__).parent / "detector.py").read_bytes())
    development = [p for d in development_sets() for p in sorted(d.glob("*.jsonl"))]
    for path in sorted(folder.glob("*.jsonl")) + sorted(NLU_DIR.glob("*.yml")) + [LABELLED] + development:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_path() -> Path:
    return CACHE_DIR / f"risk-classifier-{corpus_hash()}.joblib"


def build() -> Path:
    """Fits the classifier for the current corpus into models/ (if not there yet)."""
    import joblib

    path = cache_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fitted = fit(training_entries())
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        joblib.dump(fitted, partial)
        partial.replace(path)
    return path


@lru_cache(maxsize=1)
def classifier() -> RiskClassifier:
    """The process's classifier: the cached fit of the corpus in the repository."""
    import joblib

    return joblib.load(build())
