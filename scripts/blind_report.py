#!/usr/bin/env python
"""Runs a blind safety set through the running servers and prints how it went.

    python scripts/blind_report.py --url http://127.0.0.1:5005 [SET_DIR]

A blind set is a folder under tests/safety/blind/ of JSON-lines files written
by people who never saw the detector, its patterns or its training corpus:
{"text", "label": "escalate"|"no_escalate", "kind", "state"}. Each message is
sent in a fresh conversation, first brought to its state over the channel:
`new` (nothing before), `worksheet` (a reflection question is open),
`checkin` (the session topic is asked), `rating` (the trust rating is asked).

A message is caught when the reply holds the escalation message or the
"are you safe right now?" question (both show the crisis line). For must-
escalate messages the report also counts replies where a command or a canned
reply came instead. Prints recall per kind and state, the false rate per
negative kind; never prints a message unless --show-failures is given.
Without SET_DIR, the newest set is used.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.rounds import in_order  # noqa: E402
from scripts.conversation_report import response_names  # noqa: E402

BLIND = ROOT / "tests" / "safety" / "blind"
ESCALATION_MARKER = "not monitored live"
ASK_MARKER = "safe right now"

# The messages that bring a fresh conversation to each state.
STATE_STEPS: Dict[str, List[str]] = {
    "new": [],
    "worksheet": ["start the worksheet", "no", "none"],
    "checkin": ["I had a session today", "yesterday"],
    "rating": ["I had a session today", "yesterday", "we talked about my week"],
}
STATE_PROMPTS = {"worksheet": "What does trust mean", "checkin": "topic", "rating": "trust"}


def load(folder: Path) -> List[dict]:
    from bot.safety.classifier import load_corpus

    return load_corpus(folder)


def latest_set() -> Path:
    sets = in_order(BLIND)
    if not sets:
        raise SystemExit("No blind set under tests/safety/blind/")
    return sets[-1]


class Client:
    def __init__(self, base_url: str) -> None:
        self.url = base_url.rstrip("/") + "/webhooks/rest/webhook"

    def replies(self, sender: str, text: str) -> List[dict]:
        body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8")) or []

    def say(self, sender: str, text: str) -> str:
        return "\n".join(reply.get("text") or "" for reply in self.replies(sender, text))

    def outcome(self, entry: dict) -> Tuple[str, bool]:
        """('escalated' | 'asked' | what came instead, reached_state): what
        came instead is "carried_on:" and the bot's response names (never
        the client's words). A state not reached (a slow reply on a loaded
        machine) is tried once more in a fresh conversation."""
        state = entry.get("state", "new")
        for _attempt in range(2):
            sender = f"blind-{uuid.uuid4().hex}"
            last = ""
            for step in STATE_STEPS.get(state, []):
                last = self.say(sender, step)
            reached = state not in STATE_PROMPTS or STATE_PROMPTS[state].lower() in last.lower()
            if reached:
                break
        replies = self.replies(sender, entry["text"])
        reply = "\n".join(r.get("text") or "" for r in replies)
        if ESCALATION_MARKER in reply:
            return "escalated", reached
        if ASK_MARKER in reply.lower():
            return "asked", reached
        return "carried_on:" + ",".join(response_names(replies)), reached


def report(entries: List[dict], client: Client, show_failures: bool = False, workers: int = 4) -> dict:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(client.outcome, entries))
    by_kind: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    by_state: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    asked = escalated = unreached = 0
    failures = []
    instead: Counter = Counter()  # what must-escalate messages got instead, by response names
    for entry, (outcome, reached) in zip(entries, outcomes):
        unreached += not reached
        caught = not outcome.startswith("carried_on")
        must = entry["label"] == "escalate"
        hit = caught if must else not caught
        by_kind[(entry["label"], entry["kind"])][0] += hit
        by_kind[(entry["label"], entry["kind"])][1] += 1
        if must:
            by_state[entry.get("state", "new")][0] += hit
            by_state[entry.get("state", "new")][1] += 1
            asked += outcome == "asked"
            escalated += outcome == "escalated"
        if not hit:
            failures.append((entry, outcome))
            if must:
                instead[outcome.partition(":")[2] or "nothing"] += 1
    positives = [e for e in entries if e["label"] == "escalate"]
    negatives = [e for e in entries if e["label"] != "escalate"]
    recall = sum(v[0] for (label, _), v in by_kind.items() if label == "escalate") / max(1, len(positives))
    false_rate = sum(v[1] - v[0] for (label, _), v in by_kind.items() if label != "escalate") / max(1, len(negatives))
    print(f"{'kind':34} {'n':>4}  rate")
    for (label, kind), (hit, total) in sorted(by_kind.items()):
        name = "recall" if label == "escalate" else "false"
        value = hit / total if label == "escalate" else (total - hit) / total
        print(f"{label[:2]} {kind:31} {total:4}  {name} {value:6.1%}")
    print(
        "must-escalate by state: "
        + ", ".join(f"{state} {hit}/{total} ({hit / total:.0%})" for state, (hit, total) in sorted(by_state.items()))
    )
    print(
        f"RECALL {recall:.1%} of {len(positives)} (escalated {escalated}, asked {asked}); "
        f"FALSE ESCALATIONS {false_rate:.1%} of {len(negatives)}; state not reached {unreached}"
    )
    print(
        "must-escalate messages that got another reply: "
        + (", ".join(f"{names} {n}" for names, n in instead.most_common()) or "none")
    )
    if show_failures:
        for entry, outcome in failures:
            print(f"  [{entry['label']}/{entry['kind']}/{entry.get('state')}] {outcome}: {entry['text']}")
    return {
        "recall": recall,
        "false_rate": false_rate,
        "n": len(entries),
        "unreached": unreached,
        "instead": dict(instead),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set_dir", nargs="?", type=Path)
    parser.add_argument("--url", required=True, help="the Rasa server, e.g. http://127.0.0.1:5005")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()
    folder = args.set_dir or latest_set()
    print(f"Blind set {folder.name}")
    report(load(folder), Client(args.url), args.show_failures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
