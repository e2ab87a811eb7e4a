"""Backup and restore of a PostgreSQL installation (pg_dump, pg_restore):
backup, the databases lost, new empty ones, restore, every client's export
and conversation back."""

import asyncio
import shutil

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import service
from bot.__main__ import main
from bot.settings import get_settings
from bot.store.tracker import ERASED_SLOT, EncryptedSQLTrackerStore
from tests.postgres import create_database, drop_database, postgres

WORDS = "the ferryman's blue lantern 2290"
CLIENTS = ["client-p1", "client-p2"]


def forget_engines():
    from bot.store import db

    get_settings.cache_clear()
    db._engine.cache_clear()
    db._factory.cache_clear()


def conversation_store(base, data_dir):
    domain = Domain.from_yaml(
        f"version: '3.1'\nslots:\n  {ERASED_SLOT}:\n    type: bool\n"
        "    influence_conversation: false\n    mappings:\n    - type: custom\n"
    )
    host_port = base.split("@", 1)[1]
    return EncryptedSQLTrackerStore(
        domain=domain,
        dialect="postgresql",
        host=host_port.split(":")[0],
        port=int(host_port.split(":")[1]),
        db="tracker",
        username="postgres",
    )


def events(store, client):
    tracker = asyncio.run(store.retrieve(client))
    return [e.as_dict().get("text") for e in tracker.events if isinstance(e, UserUttered)] if tracker else []


@pytest.fixture
def installation(tmp_path, monkeypatch):
    with postgres() as base:
        for name in ("reflections", "tracker"):
            create_database(base, name)
        (tmp_path / "endpoints.yml").write_text(
            "tracker_store:\n  type: bot.store.tracker.EncryptedSQLTrackerStore\n  dialect: postgresql\n"
            f"  url: {base.split('@', 1)[1].split(':')[0]}\n  port: {base.rsplit(':', 1)[1]}\n"
            "  db: tracker\n  username: postgres\n"
        )
        monkeypatch.setenv("REFLECTION_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.setenv("REFLECTION_ENV_FILE", str(tmp_path / "none.env"))
        monkeypatch.setenv("DATABASE_URL", f"{base}/reflections")
        monkeypatch.setenv("RASA_ENDPOINTS", str(tmp_path / "endpoints.yml"))
        monkeypatch.delenv("ANSWER_ENCRYPTION_KEYS", raising=False)
        forget_engines()
        yield base, tmp_path
        forget_engines()


def test_a_postgresql_installation_is_backed_up_and_restored(installation):
    base, folder = installation
    store = conversation_store(base, folder)
    for number, client in enumerate(CLIENTS):
        service.save_answer(client, "worksheet", "main", "q1_trust_meaning", f"{WORDS} {client}", f"m{number}")
        tracker = DialogueStateTracker(client, [])
        for event in (
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            UserUttered(f"{WORDS} said by {client}", {"name": "inform", "confidence": 1.0}),
        ):
            tracker.update(event)
        asyncio.run(store.save(tracker))
    service.record_escalation("client-p2", "abuse", "rules", "m9")
    before = {client: service.export(client) for client in CLIENTS}
    said = {client: events(store, client) for client in CLIENTS}
    store.engine.dispose()

    target = folder / "practice.backup"
    assert main(["backup", str(target)]) == 0
    assert WORDS.encode() not in target.read_bytes()
    key = folder / "kept-apart.key"
    shutil.copy(folder / "data" / "answers.key", key)

    forget_engines()
    for name in ("reflections", "tracker"):  # the server is lost; new, empty databases
        drop_database(base, name)
        create_database(base, name)
    shutil.rmtree(folder / "data")
    assert main(["restore", str(target), "--key-file", str(key)]) == 0
    forget_engines()
    assert {client: service.export(client) for client in CLIENTS} == before
    store = conversation_store(base, folder)
    assert {client: events(store, client) for client in CLIENTS} == said
    store.engine.dispose()
    assert main(["restore", str(target), "--key-file", str(key)]) == 2  # no longer empty
