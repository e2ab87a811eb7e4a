"""Use cases over one client's reflections. `Reflections` works inside a unit
of work its caller opened (a conversational turn in `bot.turns` opens one and
combines several of these); the functions below it are each one unit of work,
for the portal, the command line and the safety recorder. Synchronous: the
action server runs them in a worker thread.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Dict, Iterator, Optional, Tuple

from sqlalchemy.orm import Session

from bot import dialogue, summary, worksheet
from bot.settings import Settings, get_settings
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
        if slots[earlier] in (dialogue.NOTHING,) or (earlier == "q6_need_1" and slots[earlier] == dialogue.SKIPPED):
            slots[later] = slots[later] or dialogue.NOTHING
    return slots


class Reflections:
    """One client's reflections inside one unit of work: reads and writes
    share its transaction, and nothing here commits."""

    def __init__(self, session: Session, settings: Settings, client_id: str):
        self.session, self.settings, self.client_id = session, settings, client_id

    def position(self) -> Tuple[Optional[str], Optional[str]]:
        """The flow and run the client is in, (None, None) between flows."""
        return repo.get_position(self.session, self.client_id)

    def first_visit(self) -> bool:
        """True exactly once per client: when the introduction must be shown."""
        return repo.mark_intro_shown(self.session, self.client_id)

    def open_flow(self, flow: str, run: Optional[str] = None) -> FlowState:
        """Start or continue a flow: where the client is and what is answered."""
        if run is None and flow in REPEATED_FLOWS:
            # A check-in or draft left half-way is continued; otherwise a new one starts.
            current_flow, current_run = self.position()
            resuming = current_flow == flow and current_run
            run = current_run if resuming else uuid.uuid4().hex[:12]
        run = run or repo.MAIN_RUN
        slots = _markers(repo.current_answers(self.session, self.settings, self.client_id, flow, run), flow)
        repo.set_position(self.session, self.client_id, flow, run)
        return FlowState(flow, run, slots, dialogue.next_open_slot(flow, slots))

    def save_answer(
        self, flow: str, run: str, slot: str, value: Any, message_id: str, status: str = repo.ANSWERED
    ) -> bool:
        """Stores one answer; False when this message was already stored for it."""
        stored = repo.record_answer(
            self.session,
            self.settings,
            client_id=self.client_id,
            flow=flow,
            run=run,
            field=slot,
            value=value,
            message_id=message_id,
            status=status,
        )
        repo.set_position(self.session, self.client_id, flow, run)
        return stored

    def finish_flow(self) -> None:
        repo.set_position(self.session, self.client_id, None, None)

    def answers_of(self, flow: str, run: str) -> Dict[str, Any]:
        """The current values of one flow run: {slot: value}."""
        answers = repo.current_answers(self.session, self.settings, self.client_id, flow, run)
        return {slot: answer.value for slot, answer in answers.items()}

    def latest_run(self, flow: str) -> Optional[str]:
        if flow not in REPEATED_FLOWS:
            return repo.MAIN_RUN
        return repo.latest_run(self.session, self.client_id, flow)

    def export(self) -> Dict[str, Any]:
        return repo.export_client(self.session, self.settings, self.client_id)

    def record_escalation(self, category: str, layer: str, message_id: str) -> bool:
        return repo.record_escalation(self.session, self.client_id, category, layer, message_id)

    # --- the client's control of their data -----------------------------------
    def export_for_client(self) -> Dict[str, Any]:
        """The client's own export: everything, with what they keep private marked."""
        data = self.export()
        data["private"] = sorted("/".join(key) for key in clinicians.private_answers(self.session, self.client_id))
        return data

    def summary(self) -> Dict[str, Any]:
        """The pre-session summary: what the clinician sees of this client."""
        return summary.build(self.export(), clinicians.private_answers(self.session, self.client_id))

    def keep_private(self, slot: str, actor: str = "client") -> bool:
        """Leaves the client's current answer to `slot` out of the summary."""
        flow = worksheet.SLOT_TO_FLOW.get(slot)
        run = self.latest_run(flow) if flow else None
        if flow is None or run is None:
            return False
        clinicians.keep_private(self.session, self.client_id, flow, run, slot)
        clinicians.audit(self.session, actor, "kept_answer_private", self.client_id, slot)
        return True

    def delete_all(self, actor: str = "client") -> Dict[str, int]:
        """Erases the client's reflections; the audit log keeps only the counts."""
        removed = repo.delete_client(self.session, self.client_id)
        clinicians.audit(
            self.session,
            actor,
            "deleted_own_data",
            self.client_id,
            ", ".join(f"{name}={count}" for name, count in removed.items()),
        )
        return removed


@contextmanager
def reflections(client_id: str) -> Iterator[Reflections]:
    """One unit of work over one client's reflections."""
    settings = get_settings()
    with unit_of_work(settings) as session:
        yield Reflections(session, settings, client_id)


# --- one use case, one unit of work ---------------------------------------------
def open_flow(client_id: str, flow: str, run: Optional[str] = None) -> FlowState:
    with reflections(client_id) as client:
        return client.open_flow(flow, run)


def position(client_id: str) -> Tuple[Optional[str], Optional[str]]:
    with reflections(client_id) as client:
        return client.position()


def save_answer(
    client_id: str, flow: str, run: str, slot: str, value: Any, message_id: str, status: str = repo.ANSWERED
) -> bool:
    with reflections(client_id) as client:
        return client.save_answer(flow, run, slot, value, message_id, status)


def finish_flow(client_id: str) -> None:
    with reflections(client_id) as client:
        client.finish_flow()


def export(client_id: str) -> Dict[str, Any]:
    with reflections(client_id) as client:
        return client.export()


def record_escalation(client_id: str, category: str, layer: str, message_id: str) -> bool:
    with reflections(client_id) as client:
        return client.record_escalation(category, layer, message_id)


def export_for_client(client_id: str) -> Dict[str, Any]:
    with reflections(client_id) as client:
        return client.export_for_client()


def summary_of(client_id: str) -> Dict[str, Any]:
    with reflections(client_id) as client:
        return client.summary()


def keep_private(client_id: str, slot: str) -> bool:
    with reflections(client_id) as client:
        return client.keep_private(slot)


def delete_client_data(client_id: str) -> Dict[str, int]:
    with reflections(client_id) as client:
        return client.delete_all()


def redeem_export_token(token: Optional[str], settings: Optional[Settings] = None) -> str:
    """The client a download link's token speaks for, once: a second use, like
    a forged or expired token, raises `tokens.BadToken`. Audited."""
    from datetime import datetime, timezone

    from bot.channels import tokens
    from sqlalchemy.exc import IntegrityError

    claims = tokens.claims_of(token, settings, purpose="export")
    expires = datetime.fromtimestamp(claims["exp"], timezone.utc).replace(tzinfo=None)
    try:
        with unit_of_work(settings) as session:
            if not repo.use_token_once(session, claims["jti"], expires):
                raise tokens.BadToken("used already")
            clinicians.audit(session, "client", "downloaded_own_export", claims["sub"])
    except IntegrityError:  # the same link used twice at the same instant
        raise tokens.BadToken("used already") from None
    return claims["sub"]


def forget_demo_clients(prefix: str, hours: float, settings: Optional[Settings] = None) -> int:
    """Erases the reflections of demo-page visitors first seen longer ago than
    their links last (`hours`): their links have expired, so they can never
    write again. Returns how many; audited by count."""
    from datetime import datetime, timedelta, timezone

    cutoff = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(hours=hours)
    with unit_of_work(settings) as session:
        gone = repo.clients_since_before(session, prefix, cutoff)
        for client_id in gone:
            repo.delete_client(session, client_id)
        if gone:
            clinicians.audit(session, "system", "expired_demo_clients", None, f"clients={len(gone)}")
    return len(gone)
