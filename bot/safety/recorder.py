"""Records every escalation from inside the Rasa server, so that the flag
reaches the clinician even when the action server is down.

`record()` is called when the escalation message (or the help contacts) is
rendered. It writes the record to the reflection store (once per message id).
When the store cannot be reached, the record goes to a spool file in the data
folder, each line encrypted with the answer key; the spool is drained the next
time any message is rendered with the store back. Nothing is kept only in
memory. When the risk came inside an answer to a free-text question, that
answer is the client's and is stored too (also through the spool).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import Any, Dict, Optional

from bot import service, worksheet
from bot.safety import webhook
from bot.settings import get_settings
from bot.store import crypto
from bot.store import repository as repo

logger = logging.getLogger(__name__)
SPOOL_NAME = "escalations.spool"
_lock = threading.Lock()


def _spool_path():
    return get_settings().data_dir / SPOOL_NAME


def _write(item: Dict[str, Any]) -> None:
    service.record_escalation(item["client_id"], item["category"], item["layer"], item["message_id"])
    answer = item.get("answer")
    if answer:
        service.save_answer(
            item["client_id"], answer["flow"], answer["run"], answer["slot"], answer["text"], item["message_id"]
        )


def _spool(item: Dict[str, Any]) -> None:
    settings = get_settings()
    path = _spool_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    line = crypto.encrypt(settings, json.dumps(item)) + "\n"
    with _lock, open(path, "a", encoding="ascii") as spool:
        spool.write(line)
    path.chmod(0o600)


def drain() -> int:
    """Writes the spooled records to the store; returns how many. A record
    that still cannot be written stays in the spool."""
    path = _spool_path()
    if not path.exists():
        return 0
    settings = get_settings()
    with _lock:
        lines = [line for line in path.read_text(encoding="ascii").splitlines() if line.strip()]
        left, done = [], 0
        for line in lines:
            try:
                _write(json.loads(crypto.decrypt(settings, line)))
                done += 1
            except Exception:  # noqa: BLE001 - kept for the next attempt
                left.append(line)
        if left:
            path.write_text("".join(f"{line}\n" for line in left), encoding="ascii")
        else:
            path.unlink()
    if done:
        logger.info("Recorded %d escalation(s) kept while the store was unreachable", done)
    return done


def record_now(item: Dict[str, Any]) -> None:
    try:
        drain()
        _write(item)
    except Exception:  # noqa: BLE001 - the store is down: keep it on disk
        logger.warning("The reflection store is unreachable; the escalation is kept in the spool")
        _spool(item)


def answer_in_risk(tracker: Any, text: Optional[str]) -> Optional[Dict[str, str]]:
    """The free-text answer a risk message gave to the open question, if any."""
    slot = tracker.get_slot("requested_slot") if tracker.active_loop_name else None
    flow = worksheet.SLOT_TO_FLOW.get(slot) if slot else None
    question = worksheet.QUESTIONS.get(slot) if slot else None
    if not flow or question is None or not question.free_text or not text:
        return None
    run = tracker.get_slot("flow_run") if flow in service.REPEATED_FLOWS else repo.MAIN_RUN
    if not run:
        return None
    return {"flow": flow, "run": str(run), "slot": str(slot), "text": text}


async def record(tracker: Any, category: str, layer: str) -> None:
    message = tracker.latest_message
    item = {
        "client_id": tracker.sender_id,
        "category": category,
        "layer": layer,
        "message_id": str(getattr(message, "message_id", "") or ""),
    }
    if category != "help_request":
        item["answer"] = answer_in_risk(tracker, getattr(message, "text", None))
        url = get_settings().escalation_webhook_url
        if url:
            webhook.notify(url, tracker.sender_id, category, layer)
    await asyncio.get_running_loop().run_in_executor(None, record_now, item)


async def drain_soon() -> None:
    if _spool_path().exists():
        try:
            await asyncio.get_running_loop().run_in_executor(None, drain)
        except Exception:  # noqa: BLE001
            logger.warning("Could not drain the escalation spool yet")
