"""Tells the practice at once that an escalation happened (optional).

POSTs JSON to ESCALATION_WEBHOOK_URL: the pseudonymous client id, the
category, which layer fired, the time, and whether the client is a visitor of
the demo page (`"demo": true`). Never the message text. Sent in the
background with retries and exponential backoff, so the client's reply is
never delayed.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from typing import Any, Dict, Optional, Set

import aiohttp

logger = logging.getLogger(__name__)

DEMO_CLIENT_PREFIX = "demo-"  # the ids the demo page gives its visitors (bot/portal/app.py)

ATTEMPTS = 5
FIRST_DELAY_SECONDS = 1.0  # then 2, 4, 8 s
TIMEOUT_SECONDS = 10
_pending: Set[asyncio.Task] = set()  # keeps background sends alive until done


def payload(client_id: str, category: str, layer: str) -> Dict[str, Any]:
    return {
        "event": "escalation",
        "client_id": client_id,
        "demo": client_id.startswith(DEMO_CLIENT_PREFIX),  # a visitor of the demo page, not a client
        "category": category,
        "layer": layer,
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


async def send(url: str, body: Dict[str, Any], first_delay: float = FIRST_DELAY_SECONDS) -> bool:
    delay = first_delay
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)) as session:
                async with session.post(url, json=body) as reply:
                    if reply.status < 300:
                        return True
                    logger.warning("Escalation webhook answered %s (attempt %d)", reply.status, attempt)
        except Exception as problem:  # network errors: retry
            logger.warning("Escalation webhook failed (attempt %d): %s", attempt, type(problem).__name__)
        if attempt < ATTEMPTS:
            await asyncio.sleep(delay)
            delay *= 2
    logger.error("Escalation webhook gave up after %d attempts; the escalation is recorded in the store", ATTEMPTS)
    return False


def notify(url: Optional[str], client_id: str, category: str, layer: str) -> None:
    """Starts the notification in the background and returns at once."""
    if not url:
        return
    task = asyncio.get_running_loop().create_task(send(url, payload(client_id, category, layer)))
    _pending.add(task)
    task.add_done_callback(_pending.discard)
