"""Where a process's time goes, from a py-spy speedscope file: shares of the
busy samples (all threads) by part of a message's handling, by package and by
function, counting a function's own time (self) or with what it calls
(total). `python -m bench.profile FILE [N]`."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Tuple

SITE = re.compile(r".*/(?:site-packages|lib/python3\.\d+)/")
Frame = Tuple[str, str]  # (function, path as _path gives it)

# Parts of a message's handling: a function a sample's stack must hold (and
# one it must not). Shares include what the function calls, so an "of which"
# line is inside the line above it; the parts need not add up to 100%.
AREAS: List[Tuple[str, Frame, Optional[Frame]]] = [
    ("custom-action replies checked by jsonschema", ("_validate_action_result", "rasa/core/actions/action.py"), None),
    ("risk screen (NLU component)", ("process", "bot/nlu/risk_screen.py"), None),
    ("intent classifier (NLU component)", ("process", "bot/nlu/intents.py"), None),
    ("policies predicting the next action", ("_predict_next_with_tracker", "rasa/core/processor.py"), None),
    ("tracker read for the turn", ("get_tracker", "rasa/core/processor.py"), None),
    (
        "tracker read for the retry check",
        ("retrieve", "rasa/core/tracker_store.py"),
        ("_process", "bot/channels/conversation.py"),
    ),
    ("  of which decrypting events (both reads)", ("unseal", "bot/store/tracker.py"), None),
    ("tracker save", ("save_tracker", "rasa/core/processor.py"), None),
    ("  of which encrypting events", ("seal", "bot/store/tracker.py"), None),
    ("database commits (all of them)", ("commit", "sqlalchemy/orm/session.py"), None),
    ("the answer key read from its file (for each cipher)", ("_key_file_key", "bot/store/crypto.py"), None),
    ("widget token check (with its erasure lookup)", ("client_before_body", "bot/channels/web.py"), None),
]


def _path(frame: dict) -> str:
    path = frame.get("file") or ""
    if SITE.match(path):
        return SITE.sub("", path)
    return re.sub(r".*/(?=(?:bot|actions|bench)/)", "", path)


def _short(frame: dict) -> str:
    return f"{frame.get('name')} ({_path(frame)}:{frame.get('line')})"


def _package(frame: dict) -> str:
    """The library a frame is in (`stdlib` for Python's own), or the project's folder."""
    path = frame.get("file") or ""
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    found = re.search(r"/(bot|actions|bench)/", path)
    if found:
        return found.group(1)
    return "stdlib" if re.search(r"/lib/python3\.\d+/", path) else path or "?"


def shares(path: Path) -> Tuple[Dict[str, List[Tuple[str, float]]], float, List[Tuple[str, float]]]:
    """({"area"|"package"|"self"|"total": [(name, share)]}, busy seconds, [(thread, seconds)])."""
    data = json.loads(path.read_text())
    frames = data["shared"]["frames"]
    names = [_short(f) for f in frames]
    keys = [(f.get("name"), _path(f)) for f in frames]
    packages = [_package(f) for f in frames]
    own: Counter = Counter()
    total: Counter = Counter()
    package: Counter = Counter()
    area: Counter = Counter()
    threads, busy = [], 0.0
    for profile in data["profiles"]:
        threads.append((profile.get("name", "?"), sum(profile["weights"])))
        for stack, weight in zip(profile["samples"], profile["weights"]):
            busy += weight
            if stack:  # a stack runs from the root to the leaf
                own[names[stack[-1]]] += weight
                package[packages[stack[-1]]] += weight
            for name in {names[i] for i in stack}:
                total[name] += weight
            held = {keys[i] for i in stack}
            for label, wanted, unwanted in AREAS:
                if wanted in held and unwanted not in held:
                    area[label] += weight
    scale = busy or 1.0
    by = {
        kind: [(n, w / scale) for n, w in c.most_common()]
        for kind, c in (("package", package), ("self", own), ("total", total))
    }
    by["area"] = [(label, area[label] / scale) for label, _, _ in AREAS]
    return by, busy, threads


def report(path: Path, top: int = 15) -> str:
    by, busy, threads = shares(path)
    lines = [
        f"Profile {path}: {busy:.1f} s of busy samples ("
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in threads)
        + ")",
        "  where the time goes (parts of a message's handling, with what they call):",
    ]
    lines += [f"    {share:6.1%}  {name}" for name, share in by["area"]]
    lines.append("  own time by package:")
    lines += [f"    {share:6.1%}  {name}" for name, share in by["package"][:top] if share >= 0.005]
    lines.append("  own time by function:")
    lines += [f"    {share:6.1%}  {name}" for name, share in by["self"][:top]]
    lines.append("  total time by function (with what it calls):")
    lines += [f"    {share:6.1%}  {name}" for name, share in by["total"][: top * 2]]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 15))
