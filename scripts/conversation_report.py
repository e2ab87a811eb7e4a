#!/usr/bin/env python
"""Runs a conversation test set through the running servers and prints, per
kind and per state, how many messages were handled as they must be.

    python scripts/conversation_report.py --url http://127.0.0.1:5005 [SET_DIR]

A conversation set is a folder under tests/conversation/ of JSON-lines files
written by people who never saw the NLU data or the code:
{"text", "state", "kind", "stored": true|false, "reply", optional "question",
"tip", "date", "value"}. Each message is sent in a fresh conversation, opened with the
greeting as the widget does and brought to its state over the channel
(STATES below). Whether it was stored
is read from the client's own "show my answers" before and after; the reply
kind from the responses the bot sent. A message is handled well when it was
stored exactly when it must be (with the right value for dates, ratings and
the checklist), the reply is of the kind written, and no escalation came.
Never prints a message unless --show-failures is given.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.request
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import worksheet  # noqa: E402
from bot.rounds import in_order  # noqa: E402

SETS = ROOT / "tests" / "conversation"
ESCALATION_MARKER = "not monitored live"
LONG_ANSWER = "Being able to say what I really think without being judged for it."
# Answers that carry a fresh conversation past each question.
FILLER = {
    "read_intro": "/deny",
    "holding_back": "none",
    "q6_need_1": "being listened to",
    "q6_need_2": "that's all",
    "session_date": "yesterday",
    "session_topic": "we talked about my week",
    "trust_rating": "3",
    "safety_rating": "3",
    "agenda_item": "nothing",
    "draft_what": "she looked at her phone while I was talking",
    "draft_feeling": "I felt like I didn't matter",
}
# state -> (opening messages, the slot whose question is open, or None)
STATES: Dict[str, Tuple[List[str], Optional[str]]] = {
    "menu": ([], None),
    "checklist": (["/start_worksheet", "/deny"], "holding_back"),
    "session_date": (["/start_checkin"], "session_date"),
    "session_topic": (["/start_checkin", FILLER["session_date"]], "session_topic"),
    "rating": (["/start_checkin", FILLER["session_date"], FILLER["session_topic"]], "trust_rating"),
    "could_do": (["/start_checkin", FILLER["session_date"], FILLER["session_topic"], "3", "3"], "therapist_could_do"),
    "offer_draft": (
        [
            "/start_checkin",
            FILLER["session_date"],
            FILLER["session_topic"],
            "3",
            "3",
            "she could have listened more closely",
            "nothing",
        ],
        None,
    ),
    "draft_instead": (["/start_draft", FILLER["draft_what"], FILLER["draft_feeling"]], "draft_instead"),
    "confirm_delete": (["/start_worksheet", "/deny", "none", LONG_ANSWER, "/pause", "/delete_my_data"], None),
    "after_pause": (["/start_worksheet", "/deny", "none", "/pause", "/greet"], "q1_trust_meaning"),
}
# States whose last opening step asks a yes or no: what was stored is read before it.
READ_BEFORE_LAST_STEP = {"confirm_delete"}
# What the bot's last words hold once a state without a question of its own is reached.
STATE_MARKERS = {"offer_draft": "draft", "confirm_delete": "delete", "after_pause": "part-way"}
# What each reply kind is made of: response names, or a prefix of a text reply.
REPLY_RESPONSES: Dict[str, Set[str]] = {
    "skip": {"utter_skipped"},
    "pause": {"utter_paused", "utter_goodbye"},
    "change": {"utter_ask_which_answer", "utter_changing_answer", "utter_nothing_to_change"},
    "show_answers": {"show_answers", "summary"},
    "explain": {"utter_explain_question"},
    "scale": {"utter_explain_question", "utter_rating_scale"},
    "clarify": {"utter_answer_or_command", "utter_choice_or_answer", "utter_not_sure"},
    "acknowledge": {
        "utter_acknowledge",
        "utter_acknowledge_in_question",
        "utter_acknowledge_tip",
        "utter_tip",
        "utter_rupture",
    },
    "tip": {"utter_tip", "utter_tips_for_checklist", "utter_acknowledge_tip"},
    "rupture": {"utter_rupture"},
    "draft_start": {"utter_ask_draft_what"},
    "declined": {"utter_ok_here"},
    "delete_done": {"utter_data_deleted"},
    # back after a pause, a greeting or a remark: welcomed, the flow offered again, nothing stored
    "reask_after_pause": {
        "utter_welcome_back_in_flow",
        "utter_welcome_back",
        "utter_flow_resumed",
        "utter_acknowledge",
        "utter_not_sure",
        "utter_you_are_welcome",
    },
    "delete_cancelled": {"utter_delete_cancelled"},
    "resume": {"utter_flow_resumed"},
    # what the assistant can do: help, what it is, or the welcome with the menu
    "help": {"utter_help", "utter_what_i_am", "utter_welcome_back"},
}
TEXT_REPLIES = {
    "Here is what you have written": "show_answers",
    "You haven't written anything": "show_answers",
    "Your therapist will see": "summary",
}


def load(folder: Path) -> List[dict]:
    entries = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entries.append(json.loads(line))
    return entries


def latest_set() -> Path:
    sets = in_order(SETS)
    if not sets:
        raise SystemExit("No conversation set under tests/conversation/")
    return sets[-1]


def _templates() -> List[Tuple[str, re.Pattern]]:
    """Every response text of the domain as a pattern, longest first; those
    that are one variable alone ("{tip}") are told apart by what they hold."""
    found = []
    for path in sorted((ROOT / "domain").glob("*.yml")):
        for name, variants in (yaml.safe_load(path.read_text()) or {}).get("responses", {}).items():
            for variant in variants:
                text = (variant.get("text") or "").strip()
                if text and not re.fullmatch(r"\{\w+\}", text):
                    pattern = re.escape(text)
                    pattern = re.sub(r"\\\{\w+\\\}", "(?s:.*?)", pattern)
                    found.append((name, re.compile(f"^{pattern}$", re.S)))
    return sorted(found, key=lambda item: -len(item[1].pattern))


TEMPLATES = _templates()
HINTS = set(getattr(worksheet, "QUESTION_HINTS", {}).values())  # none before the hints existed


def response_names(replies: List[dict]) -> List[str]:
    names = []
    for reply in replies:
        text = (reply.get("text") or "").strip()
        name = next((kind for prefix, kind in TEXT_REPLIES.items() if text.startswith(prefix)), None)
        name = name or next((n for n, pattern in TEMPLATES if pattern.match(text)), None)
        if name is None and text in HINTS:
            name = "utter_explain_question"
        elif name is None and any(text.startswith(f"{tip.title}: ") for tip in worksheet.TIPS):
            name = "utter_tip"
        names.append(name or "text")
    return names


def answers_shown(text: str) -> Dict[str, str]:
    """label -> value from the client's "show my answers" text."""
    shown = {}
    for line in text.splitlines():
        if line.startswith("- ") and ": " in line:
            label, value = line[2:].split(": ", 1)
            shown[label] = value
    return shown


def expected_date(spec: dict, today: date) -> Set[date]:
    if "days_ago" in spec:
        return {today - timedelta(days=int(spec["days_ago"]))}
    if "weekday" in spec:
        names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        index = next(i for i, n in enumerate(names) if n.startswith(str(spec["weekday"]).lower()[:3]))
        back = (today.weekday() - index) % 7
        return {today - timedelta(days=back), today - timedelta(days=back or 7)}
    if "month" in spec:
        when = date(today.year, int(spec["month"]), int(spec["day"]))
        return {when if when <= today else date(today.year - 1, when.month, when.day)}
    return set()


@dataclass
class Result:
    good: bool
    stored: bool
    replies: List[str] = field(default_factory=list)
    why: str = ""
    reached: bool = True


class Client:
    def __init__(self, base_url: str) -> None:
        self.url = base_url.rstrip("/") + "/webhooks/rest/webhook"

    def say(self, sender: str, text: str) -> List[dict]:
        body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8")) or []

    def _answers(self, sender: str) -> Dict[str, str]:
        return answers_shown("\n".join(r.get("text") or "" for r in self.say(sender, "/show_answers")))

    def _reach(self, sender: str, entry: dict) -> Tuple[Optional[str], bool, Optional[Dict[str, str]]]:
        steps, slot = STATES.get(entry["state"], ([], None))
        steps = list(steps)
        if entry["state"] == "worksheet_question":
            slot = _slot_of_question(entry.get("question") or "")
            steps = ["/start_worksheet", "/deny", "none"]
            for earlier in worksheet.FLOWS["worksheet"][2:]:
                if earlier == slot:
                    break
                if earlier != "q6_need_3":  # "that's all" to the second need skips the third
                    steps.append(FILLER.get(earlier, LONG_ANSWER))
        last: List[dict] = []
        before = None
        steps = ["/greet"] + steps  # the widget greets first
        for number, step in enumerate(steps):
            if number == len(steps) - 1 and entry["state"] in READ_BEFORE_LAST_STEP:
                before = self._answers(sender)  # "show my answers" would answer the confirmation
            last = self.say(sender, step)
        text = "\n".join(r.get("text") or "" for r in last)
        marker = STATE_MARKERS.get(entry["state"]) or (worksheet.QUESTIONS[slot].text[:30] if slot else "")
        reached = marker.lower() in text.lower() if marker else bool(text)
        return slot, reached, before

    def run(self, entry: dict) -> Result:
        sender = f"conv-{uuid.uuid4().hex}"
        slot, reached, before = self._reach(sender, entry)
        before = self._answers(sender) if before is None else before
        replies = self.say(sender, entry["text"])
        names = response_names(replies)
        after = self._answers(sender)
        label = worksheet.QUESTIONS[slot].label if slot else None
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        if label and entry["state"] == "after_pause":
            changed = {k: v for k, v in changed.items() if k == label}
        stored = bool(changed) and not all(v == "(skipped)" for v in changed.values())
        if slot and worksheet.SLOT_TO_FLOW.get(slot) == "draft":  # drafts are not among the answers shown
            stored = "utter_draft_shown" in names
        result = Result(True, stored, names, reached=reached)
        text = "\n".join(r.get("text") or "" for r in replies)
        if ESCALATION_MARKER in text or "safe right now" in text.lower():
            return Result(False, stored, names, "escalated", reached)
        if stored != bool(entry["stored"]):
            return Result(False, stored, names, "stored" if stored else "not stored", reached)
        if entry["stored"] and label:
            value = changed.get(label)
            why = _wrong_value(entry, slot, value)
            if why:
                return Result(False, stored, names, why, reached)
        why = _wrong_reply(entry, names, stored, slot, text)
        if why:
            return Result(False, stored, names, why, reached)
        return result


def _slot_of_question(question: str) -> str:
    for slot in worksheet.FLOWS["worksheet"][2:]:
        if (
            worksheet.QUESTIONS[slot].text[:25].lower() in question.lower()
            or question.lower()[:25] in worksheet.QUESTIONS[slot].text.lower()
        ):
            return slot
    return "q1_trust_meaning"


def _wrong_value(entry: dict, slot: str, value: Optional[str]) -> str:
    if worksheet.SLOT_TO_FLOW.get(slot) == "draft":
        return ""  # drafts are not among the answers shown: stored is read from the draft read back
    if value is None:
        return "stored elsewhere"
    if slot in worksheet.RATING_SLOTS and "value" in entry:
        return "" if value == f"{entry['value']}/10" else f"rating {value}"
    if slot == worksheet.CHECKLIST_SLOT and "value" in entry:
        titles = {item.title: n for n, item in enumerate(worksheet.CHECKLIST, start=1)}
        got = sorted(titles[t] for t in value.split(", ") if t in titles)
        return "" if got == sorted(entry["value"]) else f"checklist {got}"
    if slot in worksheet.DATE_SLOTS and isinstance(entry.get("date"), dict):
        wanted = expected_date(entry["date"], date.today())
        return "" if not wanted or value in {d.isoformat() for d in wanted} else f"date {value}"
    return ""


def _wrong_reply(entry: dict, names: List[str], stored: bool, slot: Optional[str], text: str) -> str:
    reply = entry.get("reply")
    if reply == "next" or not reply:
        return ""
    if reply == "reask" and entry["state"] == "after_pause":
        reply = "reask_after_pause"
    elif reply == "reask":
        asked_again = slot and (
            f"utter_ask_{slot}" in names
            or any(
                n in names
                for n in (
                    "utter_rating_invalid",
                    "utter_date_invalid",
                    "utter_checklist_unclear",
                    "utter_empty_answer",
                    "utter_yes_or_no",
                )
            )
        )
        return "" if asked_again and not set(names) & REPLY_RESPONSES["pause"] else f"reply {names}"
    wanted = REPLY_RESPONSES.get(reply)
    if wanted is None:
        return ""
    if not set(names) & wanted:
        return f"reply {names}"
    if reply == "tip" and entry.get("tip"):
        tip = next((t for t in worksheet.TIPS if t.title.lower().split()[-1] in str(entry["tip"]).lower()), None)
        if tip and tip.text not in text:
            return "another tip"
    return ""


def report(entries: List[dict], client: Client, show_failures: bool = False, workers: int = 4) -> dict:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(client.run, entries))
    by_kind: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    by_state: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    wrongly_stored = lost = unreached = 0
    for entry, result in zip(entries, results):
        for table, key in ((by_kind, entry["kind"]), (by_state, entry["state"])):
            table[key][0] += result.good
            table[key][1] += 1
        wrongly_stored += result.stored and not entry["stored"]
        lost += entry["stored"] and not result.stored
        unreached += not result.reached
    good = sum(r.good for r in results)
    print(f"{'kind':26} {'n':>4}  good")
    for kind, (hit, total) in sorted(by_kind.items()):
        print(f"{kind:26} {total:4}  {hit / total:6.1%}")
    print("by state: " + ", ".join(f"{s} {h}/{t}" for s, (h, t) in sorted(by_state.items())))
    print(
        f"HANDLED WELL {good / max(1, len(entries)):.1%} of {len(entries)}; stored though not an answer "
        f"{wrongly_stored}; answers not stored {lost}; state not reached {unreached}"
    )
    if show_failures:
        for entry, result in zip(entries, results):
            if not result.good or not result.reached:
                print(
                    f"  [{entry['kind']}/{entry['state']}/{entry.get('reply')}] {result.why}"
                    f"{'' if result.reached else ' (state not reached)'} "
                    f"{result.replies}: {entry['text']}"
                )
    return {
        "good": good / max(1, len(entries)),
        "n": len(entries),
        "unreached": unreached,
        "by_kind": {k: v[0] / v[1] for k, v in by_kind.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set_dir", nargs="?", type=Path)
    parser.add_argument("--url", required=True, help="the Rasa server, e.g. http://127.0.0.1:5005")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()
    folder = args.set_dir or latest_set()
    print(f"Conversation set {folder.name}")
    report(load(folder), Client(args.url), args.show_failures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
