#!/usr/bin/env python
"""Recall and false-escalation rate of the safety screen on tests/safety/labelled.yml.

    python scripts/safety_report.py                 # screen() directly
    python scripts/safety_report.py --url http://127.0.0.1:5005/webhooks/rest/webhook
                                                    # a running Rasa server instead

Prints one row per category: recall for the risk categories (escalate: true),
false-escalation rate for the others (escalate: false). Exits 1 when recall is
below 100% or the false-escalation rate above 5%. With --url, a message counts
as escalated when any reply text contains "not monitored live" (the escalation
message) or the "are you safe right now?" question. Messages are never printed, only counts (plus the failing texts with
--show-failures, for working on the labelled set itself).
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Callable, Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LABELLED = ROOT / "tests" / "safety" / "labelled.yml"
MAX_FALSE_RATE = 0.05
ESCALATION_MARKER = "not monitored live"
ASK_MARKER = "safe right now"  # the "are you safe right now?" question shows the crisis line too


def load(path: Path = LABELLED) -> List[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def local_escalates() -> Callable[[str], bool]:
    from bot.safety.screen import screen

    return lambda text: screen(text).level != "none"


def server_escalates(url: str, timeout: float = 30.0) -> Callable[[str], bool]:
    def escalates(text: str) -> bool:
        body = json.dumps({"sender": f"safety-report-{uuid.uuid4().hex}", "message": text}).encode("utf-8")
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            replies = json.loads(response.read().decode("utf-8")) or []
        return any(
            ESCALATION_MARKER in (reply.get("text") or "") or ASK_MARKER in (reply.get("text") or "").lower()
            for reply in replies
        )

    return escalates


def report(entries: List[dict], escalates: Callable[[str], bool], show_failures: bool = False) -> int:
    totals: Dict[str, int] = defaultdict(int)
    escalated: Dict[str, int] = defaultdict(int)
    kind: Dict[str, bool] = {}
    failures: List[str] = []
    for entry in entries:
        category, expected = entry["category"], bool(entry["escalate"])
        got = escalates(entry["text"])
        totals[category] += 1
        escalated[category] += got
        kind[category] = expected
        if got != expected:
            failures.append(f"  [{category}] expected {'escalate' if expected else 'no escalation'}: {entry['text']}")

    print(f"{'category':<16}{'kind':<18}{'n':>5}{'escalated':>11}{'rate':>9}")
    for label, want in (("recall", True), ("false rate", False)):
        n = hits = 0
        for category in sorted(c for c in totals if kind[c] == want):
            rate = escalated[category] / totals[category]
            n += totals[category]
            hits += escalated[category]
            print(f"{category:<16}{label:<18}{totals[category]:>5}{escalated[category]:>11}{rate:>9.1%}")
        overall = hits / n if n else (1.0 if want else 0.0)
        print(f"{'ALL':<16}{label:<18}{n:>5}{hits:>11}{overall:>9.1%}")
        if want:
            recall = overall
        else:
            false_rate = overall
    ok = recall >= 1.0 and false_rate <= MAX_FALSE_RATE
    print(
        f"\nrecall {recall:.1%} (need 100%), false-escalation rate {false_rate:.1%} (need <= {MAX_FALSE_RATE:.0%}): "
        f"{'PASS' if ok else 'FAIL'}"
    )
    if show_failures and failures:
        print("\nmisclassified:")
        print("\n".join(failures))
    return 0 if ok else 1


def main(argv: List[str] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="REST webhook of a running Rasa server, instead of detect()")
    parser.add_argument("--file", type=Path, default=LABELLED, help="labelled YAML (default: %(default)s)")
    parser.add_argument("--show-failures", action="store_true", help="print the misclassified labelled texts")
    args = parser.parse_args(argv)
    escalates = server_escalates(args.url) if args.url else local_escalates()
    return report(load(args.file), escalates, args.show_failures)


if __name__ == "__main__":
    sys.exit(main())
