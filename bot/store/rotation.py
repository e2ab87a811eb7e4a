"""Key rotation: re-encrypt every stored answer and conversation event with
the newest key (the first of ANSWER_ENCRYPTION_KEYS).

  1. Put the new key in front: ANSWER_ENCRYPTION_KEYS=new,old
  2. Restart, then run `python -m bot rotate-keys`
  3. Remove the old key: ANSWER_ENCRYPTION_KEYS=new, and restart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Optional

import yaml
from sqlalchemy import create_engine, select, update

from bot.settings import PROJECT_ROOT, Settings, get_settings
from bot.store.crypto import cipher_for
from bot.store.db import unit_of_work
from bot.store.models import Answer


BATCH = 500


def tracker_url(endpoints: Path = PROJECT_ROOT / "endpoints.yml") -> Optional[str]:
    """The SQL URL of Rasa's tracker store, as endpoints.yml configures it."""
    from rasa.core.tracker_store import SQLTrackerStore

    store = (yaml.safe_load(endpoints.read_text()) or {}).get("tracker_store") or {}
    if not store.get("db"):
        return None
    db = store["db"]
    if store.get("dialect", "sqlite") == "sqlite" and not Path(db).is_absolute():
        db = str(PROJECT_ROOT / db)
    host = store.get("url") or store.get("host")  # Rasa passes the endpoint's `url` as the host
    return str(
        SQLTrackerStore.get_db_url(
            store.get("dialect", "sqlite"), host, store.get("port"), db, store.get("username"), store.get("password")
        )
    )


def rotate(settings: Optional[Settings] = None, tracker_db_url: Optional[str] = None) -> Dict[str, int]:
    settings = settings or get_settings()
    cipher = cipher_for(settings)
    counts = {"answers": 0, "events": 0}
    with unit_of_work(settings) as session:
        for row in session.execute(select(Answer).where(Answer.value.is_not(None))).scalars():
            row.value = cipher.rotate(row.value.encode("ascii")).decode("ascii")
            counts["answers"] += 1
    if tracker_db_url:
        from sqlalchemy import MetaData, Table

        from sqlalchemy.exc import NoSuchTableError

        engine = create_engine(tracker_db_url, future=True)
        try:
            events = Table("events", MetaData(), autoload_with=engine)
        except NoSuchTableError:  # no conversation yet
            engine.dispose()
            return counts
        with engine.connect() as connection:
            ids = [row[0] for row in connection.execute(select(events.c.id).order_by(events.c.id))]
        # Short transactions, so a running Rasa server is never kept waiting on the lock.
        for start in range(0, len(ids), BATCH):
            with engine.begin() as connection:
                rows = connection.execute(
                    select(events.c.id, events.c.data).where(events.c.id.in_(ids[start : start + BATCH]))
                ).all()
                for event_id, data in rows:
                    fresh = (
                        cipher.encrypt(data.encode("utf-8"))
                        if data.lstrip().startswith("{")
                        else cipher.rotate(data.encode("ascii"))
                    )
                    connection.execute(update(events).where(events.c.id == event_id).values(data=fresh.decode("ascii")))
                    counts["events"] += 1
        engine.dispose()
    return counts
