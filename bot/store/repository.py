"""Reading and writing a client's reflections. Functions take a session and
never commit: the caller's unit of work does (see `bot.store.db`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Optional

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot import worksheet
from bot.settings import Settings
from bot.store.crypto import decrypt, encrypt
from bot.store.models import Answer, Client, Erasure, Escalation, PrivateAnswer, UsedToken, utcnow

ANSWERED = "answered"
SKIPPED = "skipped"
MAIN_RUN = "main"  # the worksheet and the closing reflection are done once


@dataclass(frozen=True)
class StoredAnswer:
    field: str
    status: str
    value: Any
    created_at: datetime


def ensure_client(session: Session, client_id: str) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        client = Client(id=client_id)
        session.add(client)
        session.flush()
    return client


def mark_intro_shown(session: Session, client_id: str) -> bool:
    """Record that the first-conversation introduction was shown.
    Returns True the first time, False afterwards."""
    client = ensure_client(session, client_id)
    if client.intro_shown_at is not None:
        return False
    client.intro_shown_at = utcnow()
    return True


def set_position(session: Session, client_id: str, flow: Optional[str], run: Optional[str]) -> None:
    client = ensure_client(session, client_id)
    client.current_flow, client.current_run, client.updated_at = flow, run, utcnow()


def get_position(session: Session, client_id: str) -> tuple:
    client = session.get(Client, client_id)
    return (client.current_flow, client.current_run) if client else (None, None)


def record_answer(
    session: Session,
    settings: Settings,
    *,
    client_id: str,
    flow: str,
    run: str,
    field: str,
    value: Any,
    message_id: str,
    status: str = ANSWERED,
) -> bool:
    """Store one answer at once. Returns False when this message was already
    stored for this field (a message delivered twice stores once)."""
    ensure_client(session, client_id)
    duplicate = session.execute(
        select(Answer.id).where(
            Answer.client_id == client_id,
            Answer.message_id == message_id,
            Answer.field == field,
        )
    ).first()
    if duplicate:
        return False
    session.add(
        Answer(
            client_id=client_id,
            flow=flow,
            run=run,
            field=field,
            status=status,
            value=None if value is None else encrypt(settings, json.dumps(value)),
            message_id=message_id,
        )
    )
    session.flush()
    return True


def _rows(session: Session, client_id: str, flow: Optional[str] = None, run: Optional[str] = None):
    query = select(Answer).where(Answer.client_id == client_id)
    if flow is not None:
        query = query.where(Answer.flow == flow)
    if run is not None:
        query = query.where(Answer.run == run)
    return session.execute(query.order_by(Answer.created_at, Answer.id)).scalars().all()


def _view(settings: Settings, row: Answer) -> StoredAnswer:
    value = None if row.value is None else json.loads(decrypt(settings, row.value))
    return StoredAnswer(row.field, row.status, value, row.created_at)


def current_answers(
    session: Session, settings: Settings, client_id: str, flow: str, run: str
) -> Dict[str, StoredAnswer]:
    """The newest answer per field of one flow run."""
    latest: Dict[str, StoredAnswer] = {}
    for row in _rows(session, client_id, flow, run):
        latest[row.field] = _view(settings, row)
    return latest


def latest_run(session: Session, client_id: str, flow: str) -> Optional[str]:
    row = session.execute(
        select(Answer.run)
        .where(Answer.client_id == client_id, Answer.flow == flow)
        .order_by(Answer.created_at.desc(), Answer.id.desc())
        .limit(1)
    ).first()
    return row[0] if row else None


def export_client(session: Session, settings: Settings, client_id: str) -> Dict[str, Any]:
    """Everything stored for one client, with times: how their data leaves."""
    client = session.get(Client, client_id)
    rows = _rows(session, client_id)
    runs: Dict[tuple, Dict[str, List[Dict[str, Any]]]] = {}
    for row in rows:
        view = _view(settings, row)
        runs.setdefault((row.flow, row.run), {}).setdefault(row.field, []).append(
            {
                "status": view.status,
                "value": view.value,
                "at": _iso(view.created_at),
            }
        )

    def section(flow: str, run: str) -> Dict[str, Any]:
        fields = runs.get((flow, run), {})
        out = {}
        for slot in worksheet.FLOWS[flow]:
            if slot in fields:
                history = fields[slot]
                out[slot] = {**history[-1], "question": worksheet.QUESTIONS[slot].text, "history": history[:-1]}
        return out

    worksheet_section = section("worksheet", MAIN_RUN)
    checklist = worksheet_section.pop(worksheet.CHECKLIST_SLOT, None)
    worksheet_section.pop(worksheet.INTRO_SLOT, None)
    if checklist and checklist["status"] == ANSWERED:
        checklist["items"] = worksheet.checklist_titles(checklist["value"])
    flow_runs = [run for flow, run in runs if flow == "checkin"]  # in the order they began
    checkins = [{"id": run, **section("checkin", run)} for run in flow_runs]
    agenda = [
        {"source": "checkin", "checkin": c["id"], "text": c["agenda_item"]["value"], "at": c["agenda_item"]["at"]}
        for c in checkins
        if c.get("agenda_item", {}).get("status") == ANSWERED and c["agenda_item"]["value"]
    ]
    drafts = [{"id": run, **section("draft", run)} for flow, run in runs if flow == "draft"]
    agenda += [
        {"source": "draft", "draft": d["id"], "text": d["draft_text"]["value"], "at": d["draft_text"]["at"]}
        for d in drafts
        if d.get("draft_text", {}).get("value")
    ]
    agenda.sort(key=lambda item: item["at"])
    return {
        "client_id": client_id,
        "created_at": _iso(client.created_at) if client else None,
        "checklist": checklist,
        "worksheet_answers": worksheet_section,
        "checkins": checkins,
        "agenda_items": agenda,
        "drafts": drafts,
        "closing_reflection": section("closing", MAIN_RUN),
        "escalations": escalations(session, client_id),
    }


def record_escalation(session: Session, client_id: str, category: str, layer: str, message_id: str) -> bool:
    """Record that the escalation message was shown; once per message."""
    ensure_client(session, client_id)
    exists = session.execute(
        select(Escalation.id).where(Escalation.client_id == client_id, Escalation.message_id == message_id)
    ).first()
    if exists:
        return False
    session.add(Escalation(client_id=client_id, category=category, layer=layer, message_id=message_id))
    session.flush()
    return True


def escalations(session: Session, client_id: str) -> List[Dict[str, Any]]:
    rows = (
        session.execute(
            select(Escalation).where(Escalation.client_id == client_id).order_by(Escalation.created_at, Escalation.id)
        )
        .scalars()
        .all()
    )
    return [
        {
            "id": r.id,
            "at": _iso(r.created_at),
            "category": r.category,
            "layer": r.layer,
            "acknowledged_at": _iso(r.acknowledged_at),
            "acknowledged_by": r.acknowledged_by,
        }
        for r in rows
    ]


def delete_client(session: Session, client_id: str, erasure: bool = True) -> Dict[str, int]:
    """Erase a client's reflections and records. Returns how many rows of each
    went. An erasure (the client's own or the practice's) also refuses every
    link issued before it; retention (`erasure=False`) does not."""
    removed = {
        "answers": session.execute(delete(Answer).where(Answer.client_id == client_id)).rowcount or 0,
        "escalations": session.execute(delete(Escalation).where(Escalation.client_id == client_id)).rowcount or 0,
        "private_marks": session.execute(delete(PrivateAnswer).where(PrivateAnswer.client_id == client_id)).rowcount
        or 0,
    }
    session.execute(delete(Client).where(Client.id == client_id))
    if not erasure:
        return removed
    record = session.get(Erasure, client_id)
    if record is None:
        session.add(Erasure(client_id=client_id, at=utcnow()))
    else:
        record.at = utcnow()
    return removed


def clients_since_before(session: Session, prefix: str, before: datetime) -> List[str]:
    """Clients whose id starts with `prefix`, first seen before `before`."""
    rows = session.execute(
        select(Client.id).where(Client.id.startswith(prefix, autoescape=True), Client.created_at < before)
    )
    return [row[0] for row in rows]


def erased_at(session: Session, client_id: str) -> Optional[datetime]:
    """When the client last deleted their data, if ever."""
    erasure = session.get(Erasure, client_id)
    return erasure.at if erasure else None


def use_token_once(session: Session, jti: str, expires_at: datetime) -> bool:
    """Marks a single-use token used; False when it was used before."""
    session.execute(delete(UsedToken).where(UsedToken.expires_at < utcnow()))
    if session.get(UsedToken, jti) is not None:
        return False
    session.add(UsedToken(jti=jti, expires_at=expires_at))
    session.flush()
    return True


def _iso(moment: Optional[datetime]) -> Optional[str]:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None
