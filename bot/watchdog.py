"""Restarts a process that is up but no longer answers (supervisord alone
only restarts one that exits). Run by supervisord beside the servers:

    python -m bot.watchdog --every 10

Every `--every` seconds it asks each server's health URL; after three misses
in a row by a process supervisord has had running for longer than its grace
time, it has supervisord restart that process, and logs it.
"""

from __future__ import annotations

import argparse
import logging
import os
import time
import urllib.request
import xmlrpc.client
from typing import Any, Dict, Tuple

from supervisor.xmlrpc import SupervisorTransport

from bot.settings import get_settings

logger = logging.getLogger("bot.watchdog")
MISSES = 3
RUNNING = 20  # supervisord's state code for RUNNING


def targets() -> Dict[str, Tuple[str, float]]:
    """Program -> (health URL, seconds after a start before it is watched)."""
    rasa, actions = os.environ.get("RASA_PORT", "5005"), os.environ.get("ACTION_PORT", "5055")
    return {
        "actions": (f"http://127.0.0.1:{actions}/health", 20),
        "rasa": (f"http://127.0.0.1:{rasa}/webhooks/reflection/", 180),  # loading the model takes a while
        "portal": (f"http://127.0.0.1:{get_settings().portal_port}/health", 20),
    }


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status == 200
    except Exception:  # noqa: BLE001 - any failure is a miss
        return False


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--every", type=float, default=10)
    args = parser.parse_args(argv)
    logging.basicConfig(level=get_settings().log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    socket = os.path.join(os.environ.get("RUN_DIR", "var/run"), "supervisor.sock")
    supervisor = xmlrpc.client.ServerProxy(
        "http://127.0.0.1", transport=SupervisorTransport(None, None, f"unix://{socket}")
    ).supervisor
    misses = {name: 0 for name in targets()}
    while True:
        time.sleep(args.every)
        for name, (url, grace) in targets().items():
            try:
                info: Dict[str, Any] = supervisor.getProcessInfo(name)  # type: ignore[assignment]
            except (OSError, xmlrpc.client.Fault):
                continue
            if info["state"] != RUNNING or info["now"] - info["start"] < grace or answers(url):
                misses[name] = 0
                continue
            misses[name] += 1
            if misses[name] >= MISSES:
                logger.warning("%s has not answered %s for %d checks in a row: restarting it", name, url, MISSES)
                misses[name] = 0
                try:
                    supervisor.stopProcess(name)
                    supervisor.startProcess(name, False)
                except (OSError, xmlrpc.client.Fault) as problem:
                    logger.error("Could not restart %s: %s", name, problem)


if __name__ == "__main__":
    main()
