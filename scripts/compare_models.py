#!/usr/bin/env python
"""Do models trained from the same commit make the same decisions?

    python scripts/compare_models.py models/a.tar.gz models/b.tar.gz [...]

Parses the NLU test set, the labelled safety set, the classifier's corpus and
the drafting and check-in sentences with each model and compares, message by
message: the intent after the safety screen (reported), and the decisions that
matter: the safety verdict, and what becomes of the message given as the
answer to an open question (`bot.dialogue.decide`, with `bot.commands`, for a
worksheet question, a check-in question and a drafting question: stored, or
handled as what else it is; it does not use the trained model, and this
shows it). Prints the number of messages and of disagreements per set (never the
texts, unless --show); exits 1 when a decision that matters differs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

os.environ.setdefault("LOG_LEVEL", "WARNING")  # Rasa's own debug lines would carry the texts
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Everyday sentences inside the drafting flow and as check-in answers.
DRAFTING = [
    "put it away",
    "I would like you to put it away",
    "stop doing that",
    "I want you to leave it",
    "cut it out",
    "end the session on time",
    "we talked about homework",
    "she gave me homework and I didn't do it",
    "my mom and the holidays",
    "listen more and don't interrupt",
    "ask before giving advice",
    "nothing",
    "you checked your phone while I was talking",
    "ignored",
    "please stop checking the clock",
]


def nlu_texts() -> List[str]:
    data = yaml.safe_load((ROOT / "tests" / "nlu" / "heldout.yml").read_text(encoding="utf-8"))
    texts = []
    for block in data.get("nlu", []):
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                texts.append(line[2:])
    return texts


def sets() -> Dict[str, List[str]]:
    from bot.safety.classifier import load_corpus

    labelled = yaml.safe_load((ROOT / "tests" / "safety" / "labelled.yml").read_text(encoding="utf-8"))
    return {
        "nlu test set": nlu_texts(),
        "labelled safety set": [e["text"] for e in labelled],
        "safety corpus": [e["text"] for e in load_corpus()],
        "drafting and check-in": DRAFTING,
    }


OPEN_QUESTIONS = ("q3_safety_meaning", "therapist_could_do", "draft_instead")


async def decisions(model: Path, texts: List[str]) -> List[Tuple]:
    """(intent, (risk level, what each open question makes of it)) per text."""
    from datetime import date

    from rasa.core.agent import Agent

    from bot.commands import intent_of
    from bot.dialogue import decide

    agent = Agent.load(str(model))
    out = []
    for text in texts:
        parsed = await agent.parse_message(text)
        intent = (parsed.get("intent") or {}).get("name")
        level = (parsed.get("risk") or {}).get("level", "none")
        asked_for, probability = intent_of(text)  # as the action server decides it (bot.turns.form_message)
        taken = tuple(decide(slot, text, asked_for, probability, date(2026, 11, 23)).kind for slot in OPEN_QUESTIONS)
        out.append((intent, (level, taken)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="+", type=Path)
    parser.add_argument("--show", action="store_true", help="print the messages whose decisions differ")
    parser.add_argument("--only", action="append", help="compare only this set (by the start of its name)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # unconfigured, structlog prints every parse with its text
    texts = {
        name: items
        for name, items in sets().items()
        if not args.only or any(name.startswith(prefix) for prefix in args.only)
    }
    results = {m: {} for m in args.models}
    for model in args.models:
        for name, items in texts.items():
            results[model][name] = asyncio.run(decisions(model, items))
    first, differ = args.models[0], 0
    for name, items in texts.items():

        def differing(part: int) -> List[int]:
            return [
                i
                for i in range(len(items))
                if any(results[m][name][i][part] != results[first][name][i][part] for m in args.models[1:])
            ]

        intents, bad = differing(0), differing(1)
        differ += len(bad)
        print(
            f"{name:24} {len(items):5} messages, {len(bad):3} with different decisions "
            f"(intent differs for {len(intents)})"
        )
        if args.show:
            for i in sorted(set(bad) | set(intents)):
                print("   ", json.dumps(items[i]), [results[m][name][i] for m in args.models])
    print("IDENTICAL DECISIONS" if differ == 0 else f"{differ} DIFFERENT DECISIONS")
    return 0 if differ == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
