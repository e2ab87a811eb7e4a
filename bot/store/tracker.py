"""Rasa's SQL tracker store, with every event's data encrypted at rest.

Configured in endpoints.yml (`type: bot.store.tracker.EncryptedSQLTrackerStore`).
Each event's JSON (the client's words, the bot's replies, slot values) is a
Fernet token under the same keys as the answers (`bot/store/crypto.py`). The
columns Rasa queries by (sender, type, time, intent and action names) stay as
they are; they hold no free text.

When a client asks to delete their data, `action_delete_my_data` sets the slot
`data_erased`; on saving that turn, every stored event of the conversation is
deleted and nothing of it is written again.

Each client message that carries a `message_id` (the widget's retry key) is
also indexed in `delivered_messages` (the sender and a SHA-256 digest of the
id, pointing at the message's event row), so a retry is recognised, and its
earlier replies found, by an indexed lookup that decrypts only those replies,
whatever the length of the conversation.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any, Dict, List, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.settings import get_settings
from bot.store.crypto import decrypt, encrypt

logger = logging.getLogger(__name__)
ERASED_SLOT = "data_erased"


# How far after a message its replies are looked for (a turn writes far fewer rows).
REPLY_ROWS = 200


class DeliveredMessage(SQLTrackerStore.Base):
    """A client message taken in under a message id: where its event row is."""

    __tablename__ = "delivered_messages"
    id = sa.Column(sa.Integer, primary_key=True)
    sender_id = sa.Column(sa.String(255), nullable=False)
    digest = sa.Column(sa.String(64), nullable=False)
    event_id = sa.Column(sa.Integer, nullable=False)
    __table_args__ = (sa.Index("ix_delivered_sender_digest", "sender_id", "digest", unique=True),)


def digest(message_id: str) -> str:
    return hashlib.sha256(message_id.encode("utf-8")).hexdigest()


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
                session.query(DeliveredMessage).filter(DeliveredMessage.sender_id == tracker.sender_id).delete(
                    synchronize_session=False
                )
                session.commit()
                logger.info("Erased a conversation at the client's request (%d events)", removed)
                return
            for event in events:
                data = event.as_dict()
                row = self.SQLEvent(
                    sender_id=tracker.sender_id,
                    type_name=event.type_name,
                    timestamp=data.get("timestamp"),
                    intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                    action_name=data.get("name"),
                    data=seal(data),
                )
                session.add(row)
                if isinstance(event, UserUttered) and event.message_id:
                    session.flush()  # the row's id
                    self._index(session, tracker.sender_id, event.message_id, row.id)
            session.commit()

    @staticmethod
    def _index(session: Any, sender_id: str, message_id: str, event_id: int) -> None:
        key = digest(message_id)
        known = (
            session.query(DeliveredMessage)
            .filter(DeliveredMessage.sender_id == sender_id, DeliveredMessage.digest == key)
            .first()
        )
        if known is None:  # Rasa's own ids (without a client's) repeat nothing; a client's may
            session.add(DeliveredMessage(sender_id=sender_id, digest=key, event_id=event_id))

    def replies_to(self, sender_id: str, message_id: str) -> Optional[List[Dict[str, Any]]]:
        """The bot's replies to the message taken in under this id (None: never
        taken in). Reads the index and the rows after that message only."""
        with self.session_scope() as session:
            known = (
                session.query(DeliveredMessage.event_id)
                .filter(DeliveredMessage.sender_id == sender_id, DeliveredMessage.digest == digest(message_id))
                .first()
            )
            if known is None:
                return None
            rows = (
                session.query(self.SQLEvent.type_name, self.SQLEvent.data)
                .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.id > known.event_id)
                .order_by(self.SQLEvent.id)
                .limit(REPLY_ROWS)
                .all()
            )
        replies = []
        for row in rows:
            if row.type_name == UserUttered.type_name:
                break
            if row.type_name == "bot":
                data = unseal(row.data)
                reply = {"recipient_id": sender_id, "text": data.get("text")}
                reply.update({k: v for k, v in (data.get("data") or {}).items() if v})
                replies.append(reply)
        return replies

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events: List[Dict[str, Any]] = [unseal(row.data) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None
