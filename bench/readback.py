"""Reads the benchmark clients' answers back from our store and counts the
lost and the doubled ones. Runs as its own process with the servers'
settings: `python -m bench.readback < client-ids.json` prints JSON."""

from __future__ import annotations

import json
import sys
from typing import Dict, List


def check(export: Dict, expected: Dict[str, object]) -> Dict[str, int]:
    """Lost: an answer sent that is not stored as sent (missing or another
    value). Doubled: an answer stored more than once, or a second check-in."""
    checkins = export.get("checkins") or []
    lost = doubled = 0
    doubled += max(0, len(checkins) - 1)
    stored = checkins[0] if checkins else {}
    for slot, value in expected.items():
        answer = stored.get(slot)
        if not answer or answer.get("status") != "answered" or answer.get("value") != value:
            lost += 1
        elif answer.get("history"):
            doubled += len(answer["history"])
    return {"lost": lost, "doubled": doubled}


def main() -> None:
    from bot import service

    wanted: Dict[str, Dict[str, object]] = json.load(sys.stdin)
    found: Dict[str, Dict[str, int]] = {}
    for client_id, expected in wanted.items():
        found[client_id] = check(service.export(client_id), expected)
    json.dump(found, sys.stdout)


def run(env: Dict[str, str], wanted: Dict[str, Dict[str, object]]) -> Dict[str, Dict[str, int]]:
    import subprocess

    from bench.stack import BIN, ROOT

    out = subprocess.run(
        [str(BIN / "python"), "-m", "bench.readback"],
        input=json.dumps(wanted),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(out.stdout)


def totals(found: Dict[str, Dict[str, int]], clients: List[str]) -> Dict[str, int]:
    return {key: sum(found[c][key] for c in clients) for key in ("lost", "doubled")}


if __name__ == "__main__":
    main()
