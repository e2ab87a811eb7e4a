#!/usr/bin/env python
"""How the risk classifier generalises, measured on its own corpus only.

    python scripts/risk_validation.py [--by-writer]

Default: the held-out validation split of `bot.safety.classifier` (the split
its thresholds are chosen on), with the screen's full decision (rules, then
the classifier's two thresholds), per kind. With --by-writer: each writer's
file is held out in turn and the classifier is fitted on the others, a
harder test of messages in a voice it never saw. Prints counts only.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.safety import classifier as risk  # noqa: E402
from bot.safety.detector import detect  # noqa: E402


def evaluate(model: risk.RiskClassifier, limits: risk.Thresholds, entries: List[dict], title: str) -> None:
    by_kind = defaultdict(lambda: [0, 0])
    caught_pos = caught_neg = positives = 0
    for entry in entries:
        text = entry["text"]
        caught = detect(text) is not None or model.probability(text) >= limits.ask
        key = (entry["label"], entry["kind"])
        by_kind[key][0] += 1
        by_kind[key][1] += caught
        if entry["label"] == "escalate":
            positives += 1
            caught_pos += caught
        else:
            caught_neg += caught
    negatives = len(entries) - positives
    print(
        f"{title}: recall {caught_pos / positives:.1%} of {positives}, "
        f"false {caught_neg / negatives:.1%} of {negatives}"
    )
    print("   " + ", ".join(f"{kind} {hit / n:.0%}" for (label, kind), (n, hit) in sorted(by_kind.items())))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--by-writer", action="store_true")
    args = parser.parse_args()
    if not args.by_writer:
        entries = risk.training_entries()
        train, valid = risk.split(entries)
        fitted = risk.fit(train)
        evaluate(fitted, risk.classifier().thresholds, valid, "validation split")
        return 0
    for held_out in sorted(risk.CORPUS_DIR.glob("*.jsonl")):
        train = (
            [e for p in sorted(risk.CORPUS_DIR.glob("*.jsonl")) if p != held_out for e in risk.load_corpus_file(p)]
            + risk.labelled_entries()
            + risk.chat_entries()
        )
        fitted = risk.fit(train)
        evaluate(fitted, fitted.thresholds, risk.load_corpus_file(held_out), f"held out {held_out.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
