"""Backup, restore and retention on real SQLite stores (the reflections and
Rasa's encrypted conversation store), through the command line."""

import asyncio
import shutil
import sqlite3
from datetime import timedelta

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import service
from bot.__main__ import main
from bot.settings import get_settings
from bot.store import retention
from bot.store.db import unit_of_work
from bot.store.models import Escalation, utcnow
from bot.store.tracker import ERASED_SLOT, EncryptedSQLTrackerStore

WORDS = "the lighthouse keeper's green lamp 4412"
CLIENTS = ["client-old", "client-new", "client-flagged"]


@pytest.fixture
def installation(data_dir, monkeypatch):
    """A data folder with answers, flags and conversations for three clients."""
    endpoints = data_dir / "endpoints.yml"
    endpoints.write_text(
        f"tracker_store:\n  type: bot.store.tracker.EncryptedSQLTrackerStore\n"
        f"  dialect: sqlite\n  db: {data_dir / 'tracker.db'}\n"
    )
    monkeypatch.setenv("RASA_ENDPOINTS", str(endpoints))
    get_settings.cache_clear()
    domain = Domain.from_yaml(
        f"version: '3.1'\nslots:\n  {ERASED_SLOT}:\n    type: bool\n"
        "    influence_conversation: false\n    mappings:\n    - type: custom\n"
    )
    store = EncryptedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(data_dir / "tracker.db"))
    for number, client in enumerate(CLIENTS):
        service.save_answer(client, "worksheet", "main", "q1_trust_meaning", f"{WORDS} ({client})", f"m{number}")
        tracker = DialogueStateTracker(client, [])
        for event in (
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            UserUttered(f"{WORDS} {client}", {"name": "inform", "confidence": 1.0}, message_id=f"id-{client}"),
        ):
            tracker.update(event)
        asyncio.run(store.save(tracker))
    service.record_escalation("client-flagged", "self_harm", "rules", "m9")
    store.engine.dispose()
    return data_dir


def exports():
    return {client: service.export(client) for client in CLIENTS}


def events_of(folder, client):
    with sqlite3.connect(folder / "tracker.db") as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (client,)).fetchone()[0]


def indexed_of(folder, client):
    with sqlite3.connect(folder / "tracker.db") as db:
        return db.execute("SELECT COUNT(*) FROM delivered_messages WHERE sender_id = ?", (client,)).fetchone()[0]


def test_backup_wipe_restore_gives_every_client_back(installation, tmp_path_factory, capsys):
    before = exports()
    target = tmp_path_factory.mktemp("offsite") / "practice.backup"
    assert main(["backup", str(target)]) == 0
    raw = target.read_bytes()
    assert WORDS.encode() not in raw and b"client-old" not in raw and b"SQLite format" not in raw
    assert target.stat().st_mode & 0o077 == 0
    key = tmp_path_factory.mktemp("keyring") / "answers.key"
    shutil.copy(installation / "answers.key", key)
    tracker_events = {client: events_of(installation, client) for client in CLIENTS}

    for path in list(installation.iterdir()):  # the disk is lost
        if path.name != "endpoints.yml":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    get_settings.cache_clear()
    from bot.store import db

    db._engine.cache_clear()
    db._factory.cache_clear()

    wrong = tmp_path_factory.mktemp("wrong") / "other.key"
    wrong.write_text("zsXQ8iVwS1u2mQ2pZ0iZt9o2T8mC6eX5Qq3mVd8cJ1E=")
    assert main(["restore", str(target), "--key-file", str(wrong)]) == 2
    assert "does not open this backup" in capsys.readouterr().err
    assert main(["restore", str(target), "--key-file", str(key)]) == 0
    assert exports() == before
    assert {client: events_of(installation, client) for client in CLIENTS} == tracker_events
    # Into a store that is no longer empty: refused, nothing overwritten.
    assert main(["restore", str(target), "--key-file", str(key)]) == 2
    assert "empty one only" in capsys.readouterr().err


def test_retention_deletes_the_inactive_and_keeps_open_flags(installation, capsys):
    later = utcnow() + timedelta(days=40)
    with unit_of_work() as session:  # client-new was active recently
        session.add(
            Escalation(
                client_id="client-new",
                category="x",
                layer="y",
                message_id="n1",
                created_at=later - timedelta(days=2),
                acknowledged_at=later,
            )
        )
    dry = retention.run(30, dry_run=True, now=later)
    assert dry.clients == ["client-old"] and dry.kept_flagged == 1
    assert events_of(installation, "client-old") > 0

    outcome = retention.run(30, now=later)
    assert outcome.clients == ["client-old"] and outcome.events > 0
    assert events_of(installation, "client-old") == 0
    assert indexed_of(installation, "client-old") == 0 and indexed_of(installation, "client-flagged") == 1
    assert service.export("client-old")["worksheet_answers"] == {}
    assert WORDS in repr(service.export("client-flagged")) and events_of(installation, "client-flagged") > 0
    assert WORDS in repr(service.export("client-new"))
    from bot.store import clinicians

    with unit_of_work() as session:
        entry = clinicians.audit_entries(session)[0]
    assert entry["action"] == "retention" and "clients=1" in entry["detail"] and WORDS not in entry["detail"]
    # Off by default: nothing goes.
    assert retention.run(now=later + timedelta(days=400)).clients == []
    assert main(["retention"]) == 0 and "Retention is off" in capsys.readouterr().out
