"""Where a process's time goes, from a py-spy speedscope file: shares of the
busy samples (all threads) by package and by function, counting a function's
own time (self) or with what it calls (total). `python -m bench.profile FILE [N]`."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

SITE = re.compile(r".*/(?:site-packages|lib/python3\.\d+)/")


def _short(frame: dict) -> str:
    path = SITE.sub("", frame.get("file") or "")
    path = re.sub(r".*/(?=(?:bot|actions|bench)/)", "", path)
    return f"{frame.get('name')} ({path}:{frame.get('line')})"


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
    """({"package"|"self"|"total": [(name, share)]}, busy seconds, [(thread, seconds)])."""
    data = json.loads(path.read_text())
    frames = data["shared"]["frames"]
    names = [_short(f) for f in frames]
    packages = [_package(f) for f in frames]
    own: Counter = Counter()
    total: Counter = Counter()
    package: Counter = Counter()
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
    scale = busy or 1.0
    return (
        {
            kind: [(n, w / scale) for n, w in c.most_common()]
            for kind, c in (("package", package), ("self", own), ("total", total))
        },
        busy,
        threads,
    )


def report(path: Path, top: int = 15) -> str:
    by, busy, threads = shares(path)
    lines = [
        f"Profile {path}: {busy:.1f} s of busy samples ("
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in threads)
        + ")",
        "  own time by package:",
    ]
    lines += [f"    {share:6.1%}  {name}" for name, share in by["package"][:top] if share >= 0.005]
    lines.append("  own time by function:")
    lines += [f"    {share:6.1%}  {name}" for name, share in by["self"][:top]]
    lines.append("  total time by function (with what it calls):")
    lines += [f"    {share:6.1%}  {name}" for name, share in by["total"][: top * 3]]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 15))
