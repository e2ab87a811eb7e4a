"""Readiness, for the supervisor, the cluster set-up and a load balancer.

Each process answers `/ready` with what it depends on. The HTTP status says
whether to send it traffic: for the Rasa server that is its model alone, never
the action server or the store, because the escalation message must still be
shown while those are down; for the action server and the portal it is their
store. The body names each dependency as "up" or "down" and nothing more.
"""

from __future__ import annotations

import asyncio
import urllib.request
from typing import Dict, Optional, Tuple

from sqlalchemy import text

from bot.settings import Settings, get_settings

UP, DOWN = "up", "down"


def _store_answers(settings: Settings) -> bool:
    from bot.store.db import unit_of_work

    try:
        with unit_of_work(settings) as session:
            session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        return False


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status == 200
    except Exception:  # noqa: BLE001
        return False


async def store(settings: Optional[Settings] = None) -> str:
    return UP if await asyncio.to_thread(_store_answers, settings or get_settings()) else DOWN


async def url(address: str) -> str:
    return UP if await asyncio.to_thread(_answers, address) else DOWN


async def rasa_readiness(agent) -> Tuple[int, Dict[str, str]]:
    """(status, body) of the Rasa server's `/ready`."""
    model = UP if agent is not None and agent.is_ready() else DOWN
    body = {"model": model, "reflections_store": await store()}
    endpoint = getattr(agent, "action_endpoint", None)
    if endpoint is not None and endpoint.url:
        body["action_server"] = await url(endpoint.url.rsplit("/", 1)[0] + "/health")
    return (200 if model == UP else 503), body


async def store_readiness(settings: Optional[Settings] = None) -> Tuple[int, Dict[str, str]]:
    """(status, body) of the action server's and the portal's `/ready`."""
    status = await store(settings)
    return (200 if status == UP else 503), {"reflections_store": status}
