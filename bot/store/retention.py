"""Retention: a client's answers and conversation are deleted a set number of
days (RETENTION_DAYS) after their last activity. Off (0) by default: the
practice chooses, and its records policy says how long (README: Retention).

A client with a risk flag no clinician has acknowledged yet is kept whole,
however old, until it is acknowledged. Each run is audited by counts only.
Run daily by the housekeeping process (`python -m bot housekeeping`), or by
hand: `python -m bot retention [--days N] [--dry-run]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Dict, List, Optional

from sqlalchemy import MetaData, Table, delete, func, select
from sqlalchemy.exc import NoSuchTableError

from bot.settings import Settings, get_settings
from bot.store import clinicians
from bot.store import repository as repo
from bot.store.db import raw_engine, unit_of_work
from bot.store.models import Answer, Client, Escalation, utcnow


@dataclass
class Outcome:
    clients: List[str] = field(default_factory=list)  # whose data went (or would go)
    kept_flagged: int = 0  # old enough, kept for an unacknowledged flag
    events: int = 0  # conversation events deleted


def _conversations(settings: Settings):
    """Rasa's events table and its engine, or (None, None) before any conversation."""
    from bot.store.rotation import tracker_url

    url = tracker_url(settings.rasa_endpoints)
    if url is None:
        return None, None
    engine = raw_engine(url)
    try:
        return engine, Table("events", MetaData(), autoload_with=engine)
    except NoSuchTableError:
        return None, None


def _message_index(engine) -> Optional[Table]:
    """The tracker store's index of message ids (bot/store/tracker.py), if made yet."""
    try:
        return Table("delivered_messages", MetaData(), autoload_with=engine)
    except NoSuchTableError:
        return None


def _last_activity(settings: Settings, session, events) -> Dict[str, datetime]:
    last: Dict[str, datetime] = {}

    def note(client_id: str, moment: Optional[datetime]) -> None:
        if moment is not None and (client_id not in last or moment > last[client_id]):
            last[client_id] = moment

    for client_id, moment in session.execute(select(Client.id, Client.updated_at)):
        note(client_id, moment)
    for model, column in ((Answer, Answer.created_at), (Escalation, Escalation.created_at)):
        for client_id, moment in session.execute(select(model.client_id, func.max(column)).group_by(model.client_id)):
            note(client_id, moment)
    engine, table = events
    if table is not None:
        with engine.connect() as connection:
            for sender, stamp in connection.execute(
                select(table.c.sender_id, func.max(table.c.timestamp)).group_by(table.c.sender_id)
            ):
                if stamp is not None:
                    note(sender, datetime.fromtimestamp(stamp, timezone.utc).replace(tzinfo=None))
    return last


def run(
    days: Optional[int] = None,
    dry_run: bool = False,
    settings: Optional[Settings] = None,
    now: Optional[datetime] = None,
) -> Outcome:
    """Deletes (or, dry, lists) what is past the retention period."""
    settings = settings or get_settings()
    days = settings.retention_days if days is None else days
    outcome = Outcome()
    if days <= 0:
        return outcome
    cutoff = (now or utcnow()) - timedelta(days=days)
    engine, table = _conversations(settings)
    with unit_of_work(settings) as session:
        flagged = {
            row[0]
            for row in session.execute(
                select(Escalation.client_id).where(Escalation.acknowledged_at.is_(None)).distinct()
            )
        }
        for client_id, moment in sorted(_last_activity(settings, session, (engine, table)).items()):
            if moment >= cutoff:
                continue
            if client_id in flagged:
                outcome.kept_flagged += 1
                continue
            outcome.clients.append(client_id)
        if dry_run or not outcome.clients:
            return outcome
        for client_id in outcome.clients:
            repo.delete_client(session, client_id, erasure=False)
        if table is not None:
            index = _message_index(engine)
            with engine.begin() as connection:
                for start in range(0, len(outcome.clients), 500):
                    batch = outcome.clients[start : start + 500]
                    outcome.events += (
                        connection.execute(delete(table).where(table.c.sender_id.in_(batch))).rowcount or 0
                    )
                    if index is not None:
                        connection.execute(delete(index).where(index.c.sender_id.in_(batch)))
        clinicians.audit(
            session,
            "system",
            "retention",
            None,
            f"days={days}, clients={len(outcome.clients)}, events={outcome.events}, "
            f"kept_flagged={outcome.kept_flagged}",
        )
    return outcome
