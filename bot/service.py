"""Use cases over the store, each one unit of work. Synchronous: actions run
them in a worker thread (`asyncio.to_thread`) so the action server never blocks.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from bot import dialogue, summary, worksheet
from bot.settings import get_settings
from bot.store import clinicians
from bot.store import repository as repo
from bot.store.db import unit_of_work


# Flows done many times (each run has its own id); the others are done once.
REPEATED_FLOWS = frozenset({"checkin", "draft"})


@dataclass(frozen=True)
class FlowState:
    flow: str
    run: str
    slots: Dict[str, Optional[str]]  # slot -> stored | skipped | none | None
    next_slot: Optional[str]


def _markers(answers: Dict[str, repo.StoredAnswer], flow: str) -> Dict[str, Optional[str]]:
    slots: Dict[str, Optional[str]] = {}
    for slot in worksheet.FLOWS[flow]:
        answer = answers.get(slot)
        if answer is None:
            slots[slot] = None
        elif answer.status == repo.SKIPPED:
            slots[slot] = dialogue.SKIPPED
        elif answer.value in (None, "") and slot in worksheet.OPTIONAL_SLOTS:
            slots[slot] = dialogue.NOTHING
        else:
            slots[slot] = dialogue.STORED
    # "That's all" on the second or third need fills the rest of question 6.
    q6 = [s for s in worksheet.FLOWS[flow] if s.startswith("q6_need_")]
    for earlier, later in zip(q6, q6[1:]):
        if slots[earlier] in (dialogue.NOTHING,) or (
            earlier == "q6_need_1" and slots[earlier] == dialogue.SKIPPED
        ):
            slots[later] = slots[later] or dialogue.NOTHING
    return slots


def open_flow(client_id: str, flow: str, run: Optional[str] = None) -> FlowState:
    """Start or continue a flow: where the client is and what is answered."""
    settings = get_settings()
    with unit_of_work(settings) as session:
        current_flow, current_run = repo.get_position(session, client_id)
        if run is None and flow in REPEATED_FLOWS:
            # A check-in or draft left half-way is continued; otherwise a new one starts.
            resuming = current_flow == flow and current_run
            run = current_run if resuming else uuid.uuid4().hex[:12]
        run = run or repo.MAIN_RUN
        answers = repo.current_answers(session, settings, client_id, flow, run)
        slots = _markers(answers, flow)
        repo.set_position(session, client_id, flow, run)
    return FlowState(flow, run, slots, dialogue.next_open_slot(flow, slots))


def position(client_id: str) -> Tuple[Optional[str], Optional[str]]:
    with unit_of_work() as session:
        return repo.get_position(session, client_id)


def save_answer(client_id: str, flow: str, run: str, slot: str, value: Any,
                message_id: str, status: str = repo.ANSWERED) -> bool:
    settings = get_settings()
    with unit_of_work(settings) as session:
        stored = repo.record_answer(
            session, settings, client_id=client_id, flow=flow, run=run, field=slot,
            value=value, message_id=message_id, status=status,
        )
        repo.set_position(session, client_id, flow, run)
    return stored


def finish_flow(client_id: str) -> None:
    with unit_of_work() as session:
        repo.set_position(session, client_id, None, None)


def first_visit(client_id: str) -> bool:
    """True exactly once per client: when the introduction must be shown."""
    with unit_of_work() as session:
        return repo.mark_intro_shown(session, client_id)


def export(client_id: str) -> Dict[str, Any]:
    settings = get_settings()
    with unit_of_work(settings) as session:
        return repo.export_client(session, settings, client_id)


def latest_run(client_id: str, flow: str) -> Optional[str]:
    if flow not in REPEATED_FLOWS:
        return repo.MAIN_RUN
    with unit_of_work() as session:
        return repo.latest_run(session, client_id, flow)


def record_escalation(client_id: str, category: str, layer: str, message_id: str) -> bool:
    with unit_of_work() as session:
        return repo.record_escalation(session, client_id, category, layer, message_id)


def answers_of(client_id: str, flow: str, run: str) -> Dict[str, Any]:
    """The current values of one flow run: {slot: value}."""
    settings = get_settings()
    with unit_of_work(settings) as session:
        answers = repo.current_answers(session, settings, client_id, flow, run)
    return {slot: answer.value for slot, answer in answers.items()}


# --- the client's control of their data ---------------------------------------
def export_for_client(client_id: str) -> Dict[str, Any]:
    """The client's own export: everything, with what they keep private marked."""
    settings = get_settings()
    with unit_of_work(settings) as session:
        data = repo.export_client(session, settings, client_id)
        data["private"] = sorted("/".join(key) for key in clinicians.private_answers(session, client_id))
    return data


def summary_of(client_id: str) -> Dict[str, Any]:
    """The pre-session summary: what the clinician sees of this client."""
    settings = get_settings()
    with unit_of_work(settings) as session:
        data = repo.export_client(session, settings, client_id)
        private = clinicians.private_answers(session, client_id)
    return summary.build(data, private)


def keep_private(client_id: str, slot: str) -> bool:
    """Leaves the client's current answer to `slot` out of the summary."""
    flow = worksheet.SLOT_TO_FLOW.get(slot)
    if flow is None:
        return False
    run = latest_run(client_id, flow)
    if run is None:
        return False
    with unit_of_work() as session:
        clinicians.keep_private(session, client_id, flow, run, slot)
        clinicians.audit(session, "client", "kept_answer_private", client_id, slot)
    return True


def delete_client_data(client_id: str) -> Dict[str, int]:
    """Erases the client's reflections; the audit log keeps only the counts."""
    with unit_of_work() as session:
        removed = repo.delete_client(session, client_id)
        clinicians.audit(session, "client", "deleted_own_data", client_id,
                         ", ".join(f"{name}={count}" for name, count in removed.items()))
    return removed
