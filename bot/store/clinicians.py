"""The portal's side of the store: clinicians, their clients, sign-in
sessions, acknowledgements, private answers and the audit log. Functions take
a session and never commit (see `bot.store.db`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional, Set, Tuple

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.store.models import Assignment, AuditEntry, Clinician, Escalation, PortalSession, PrivateAnswer, utcnow


def add_clinician(session: Session, username: str, password_hash: str, admin: Optional[bool] = None) -> Clinician:
    """A new clinician, or a new password (and, when given, admin flag) for one."""
    clinician = session.execute(select(Clinician).where(Clinician.username == username)).scalar_one_or_none()
    if clinician is None:
        clinician = Clinician(username=username, password_hash=password_hash, is_admin=bool(admin))
        session.add(clinician)
    else:  # a new password signs every browser out
        clinician.password_hash = password_hash
        if admin is not None:
            clinician.is_admin = admin
        session.execute(delete(PortalSession).where(PortalSession.clinician_id == clinician.id))
    session.flush()
    return clinician


def clinician_named(session: Session, username: str) -> Optional[Clinician]:
    return session.execute(select(Clinician).where(Clinician.username == username)).scalar_one_or_none()


def assign(session: Session, client_id: str, clinician: Clinician) -> None:
    row = session.get(Assignment, client_id)
    if row is None:
        session.add(Assignment(client_id=client_id, clinician_id=clinician.id))
    else:
        row.clinician_id, row.assigned_at = clinician.id, utcnow()


def clients_of(session: Session, clinician_id: int) -> List[str]:
    return list(
        session.execute(
            select(Assignment.client_id).where(Assignment.clinician_id == clinician_id).order_by(Assignment.client_id)
        ).scalars()
    )


def is_clients_clinician(session: Session, clinician_id: int, client_id: str) -> bool:
    row = session.get(Assignment, client_id)
    return row is not None and row.clinician_id == clinician_id


# --- sign-in sessions ---------------------------------------------------------
def open_session(session: Session, clinician_id: int, token_hash: str, csrf_token: str, hours: float) -> None:
    session.add(
        PortalSession(
            token_hash=token_hash,
            clinician_id=clinician_id,
            csrf_token=csrf_token,
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )


def signed_in(session: Session, token_hash: str) -> Optional[Tuple[Clinician, str]]:
    row = session.get(PortalSession, token_hash)
    if row is None or row.expires_at <= utcnow():
        return None
    clinician = session.get(Clinician, row.clinician_id)
    return (clinician, row.csrf_token) if clinician and clinician.disabled_at is None else None


def disable_clinician(session: Session, clinician: Clinician, disabled: bool = True) -> None:
    """Stops (or lets again) a clinician signing in; every browser of theirs is signed out at once."""
    clinician.disabled_at = utcnow() if disabled else None
    session.execute(delete(PortalSession).where(PortalSession.clinician_id == clinician.id))


def remove_clinician(session: Session, clinician: Clinician) -> int:
    """Removes a clinician, their sessions and their assignments (their
    clients' reflections stay). Returns how many clients they had."""
    session.execute(delete(PortalSession).where(PortalSession.clinician_id == clinician.id))
    clients = session.execute(delete(Assignment).where(Assignment.clinician_id == clinician.id)).rowcount or 0
    session.delete(clinician)
    return clients


def close_session(session: Session, token_hash: str) -> None:
    session.execute(delete(PortalSession).where(PortalSession.token_hash == token_hash))


# --- flags --------------------------------------------------------------------
def acknowledge(session: Session, client_id: str, escalation_id: int, username: str) -> bool:
    row = session.get(Escalation, escalation_id)
    if row is None or row.client_id != client_id:
        return False
    if row.acknowledged_at is None:
        row.acknowledged_at, row.acknowledged_by = utcnow(), username
    return True


# --- private answers ----------------------------------------------------------
def keep_private(session: Session, client_id: str, flow: str, run: str, field: str) -> None:
    if session.get(PrivateAnswer, (client_id, flow, run, field)) is None:
        session.add(PrivateAnswer(client_id=client_id, flow=flow, run=run, field=field))


def private_answers(session: Session, client_id: str) -> Set[Tuple[str, str, str]]:
    rows = session.execute(select(PrivateAnswer).where(PrivateAnswer.client_id == client_id)).scalars()
    return {(r.flow, r.run, r.field) for r in rows}


# --- audit log ----------------------------------------------------------------
def audit(
    session: Session, actor: str, action: str, client_id: Optional[str] = None, detail: Optional[str] = None
) -> None:
    session.add(AuditEntry(actor=actor, action=action, client_id=client_id, detail=detail))


def audit_entries(
    session: Session,
    client_ids: Optional[List[str]] = None,
    limit: int = 200,
    *,
    actor: str = "",
    action: str = "",
    client: str = "",
    since: Optional[datetime] = None,
    until: Optional[datetime] = None,
) -> List[Dict[str, Any]]:
    """The newest entries first; `actor`, `action` and `client` match a part
    of the value, `since` and `until` bound the time."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if client_ids is not None:
        query = query.where(AuditEntry.client_id.in_(client_ids))
    for column, part in ((AuditEntry.actor, actor), (AuditEntry.action, action), (AuditEntry.client_id, client)):
        if part:
            query = query.where(column.contains(part, autoescape=True))
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    return [
        {"at": r.at, "actor": r.actor, "action": r.action, "client_id": r.client_id, "detail": r.detail}
        for r in session.execute(query).scalars()
    ]


def all_clinicians(session: Session) -> List[Dict[str, Any]]:
    """Every clinician with their number of clients, by username."""
    counts = dict(
        session.execute(select(Assignment.clinician_id, func.count()).group_by(Assignment.clinician_id)).all()
    )
    return [
        {
            "username": c.username,
            "admin": c.is_admin,
            "disabled_at": c.disabled_at,
            "created_at": c.created_at,
            "clients": counts.get(c.id, 0),
        }
        for c in session.execute(select(Clinician).order_by(Clinician.username)).scalars()
    ]
