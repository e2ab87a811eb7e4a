"""Rasa's SQL tracker store, with every event's data encrypted at rest.

Configured in endpoints.yml (`type: bot.store.tracker.EncryptedSQLTrackerStore`).
Each event's JSON (the client's words, the bot's replies, slot values) is a
Fernet token under the same keys as the answers (`bot/store/crypto.py`). The
columns Rasa queries by (sender, type, time, intent and action names) stay as
they are; they hold no free text.

When a client asks to delete their data, `action_delete_my_data` sets the slot
`data_erased`; on saving that turn, every stored event of the conversation is
deleted and nothing of it is written again.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.settings import get_settings
from bot.store.crypto import decrypt, encrypt

logger = logging.getLogger(__name__)
ERASED_SLOT = "data_erased"


def seal(data: Dict[str, Any]) -> str:
    return encrypt(get_settings(), json.dumps(data))


def unseal(stored: str) -> Dict[str, Any]:
    """An event's data; rows written before encryption was on are plain JSON."""
    if stored.lstrip().startswith("{"):
        return json.loads(stored)
    return json.loads(decrypt(get_settings(), stored))


class EncryptedSQLTrackerStore(SQLTrackerStore):
    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            events = list(self._additional_events(session, tracker))
            if any(isinstance(e, SlotSet) and e.key == ERASED_SLOT and e.value for e in events):
                if self.engine.dialect.name == "sqlite":  # overwrite, do not just free, the erased pages
                    session.execute(sa.text("PRAGMA secure_delete=ON"))
                removed = (
                    session.query(self.SQLEvent)
                    .filter(self.SQLEvent.sender_id == tracker.sender_id)
                    .delete(synchronize_session=False)
                )
                session.commit()
                logger.info("Erased a conversation at the client's request (%d events)", removed)
                return
            for event in events:
                data = event.as_dict()
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=seal(data),
                    )
                )
            session.commit()

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events: List[Dict[str, Any]] = [unseal(row.data) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None
