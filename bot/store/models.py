"""Tables. Free text lives only in `Answer.value` (encrypted)."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import declarative_base

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Client(Base):
    """A pseudonymous client: the id comes from the channel, never a typed name."""

    __tablename__ = "clients"

    id = Column(String(128), primary_key=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    intro_shown_at = Column(DateTime, nullable=True)
    # Where the client is: the flow (worksheet/checkin/closing) and its run.
    current_flow = Column(String(32), nullable=True)
    current_run = Column(String(64), nullable=True)
    updated_at = Column(DateTime, nullable=False, default=utcnow)


class Answer(Base):
    """One answer as given. Append-only: a changed answer is a new row, so the
    history is kept; the newest row per (flow, run, field) is the current one.
    """

    __tablename__ = "answers"
    __table_args__ = (
        # A message delivered twice stores once.
        UniqueConstraint("client_id", "message_id", "field", name="uq_answer_message"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    client_id = Column(String(128), nullable=False, index=True)
    flow = Column(String(32), nullable=False)
    run = Column(String(64), nullable=False)
    field = Column(String(64), nullable=False)
    status = Column(String(16), nullable=False)  # answered | skipped
    value = Column(Text, nullable=True)  # Fernet token of the answer's JSON
    message_id = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Escalation(Base):
    """An escalation message was shown. No message text is kept."""

    __tablename__ = "escalations"
    __table_args__ = (UniqueConstraint("client_id", "message_id", name="uq_escalation_message"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    client_id = Column(String(128), nullable=False, index=True)
    category = Column(String(32), nullable=False)
    layer = Column(String(32), nullable=False)  # which detector fired
    message_id = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    acknowledged_at = Column(DateTime, nullable=True)
