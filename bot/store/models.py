"""Tables. Free text lives only in `Answer.value` (encrypted).

A change here comes with a migration in `bot/store/migrations/versions`
(a unit test fails while the two differ)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import declarative_base

Base: Any = declarative_base()  # SQLAlchemy 1.4 gives mypy no type for it


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
    acknowledged_by = Column(String(128), nullable=True)  # the clinician's username


class PrivateAnswer(Base):
    """An answer the client keeps to themselves: left out of the summary."""

    __tablename__ = "private_answers"

    client_id = Column(String(128), primary_key=True)
    flow = Column(String(32), primary_key=True)
    run = Column(String(64), primary_key=True)
    field = Column(String(64), primary_key=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Clinician(Base):
    """A clinician of the practice who signs in to the portal."""

    __tablename__ = "clinicians"

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(128), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)  # scrypt, see bot/portal/auth.py
    is_admin = Column(Boolean, nullable=False, default=False, server_default=false())  # the portal's admin pages
    created_at = Column(DateTime, nullable=False, default=utcnow)
    disabled_at = Column(DateTime, nullable=True)  # cannot sign in while set


class Assignment(Base):
    """Which clinician a client belongs to (one each)."""

    __tablename__ = "assignments"

    client_id = Column(String(128), primary_key=True)
    clinician_id = Column(Integer, nullable=False, index=True)
    assigned_at = Column(DateTime, nullable=False, default=utcnow)


class PortalSession(Base):
    """A signed-in browser. Only a hash of the cookie's value is kept."""

    __tablename__ = "portal_sessions"

    token_hash = Column(String(64), primary_key=True)
    clinician_id = Column(Integer, nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False)


class AuditEntry(Base):
    """Who did what to which client's data. Counts and names, never content."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(DateTime, nullable=False, default=utcnow)
    actor = Column(String(160), nullable=False)  # "clinician:<username>" or "client"
    action = Column(String(40), nullable=False)
    client_id = Column(String(128), nullable=True, index=True)
    detail = Column(String(255), nullable=True)


class Erasure(Base):
    """A client who deleted their data: tokens issued before this are refused.
    Keeps the pseudonymous id and the time only."""

    __tablename__ = "erasures"

    client_id = Column(String(128), primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow)


class UsedToken(Base):
    """A single-use token (a download link) already used, until it expires."""

    __tablename__ = "used_tokens"

    jti = Column(String(64), primary_key=True)
    expires_at = Column(DateTime, nullable=False, index=True)
