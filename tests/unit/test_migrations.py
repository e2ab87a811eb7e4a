"""Schema migrations: a store made by the release before migrations is
upgraded with every answer readable; the migrations and the models agree."""

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.settings import get_settings
from bot.store import schema
from bot.store.db import raw_engine, unit_of_work
from bot.store.models import Base

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "store_before_migrations.sql"
FIXTURE_KEY = "zsXQ8iVwS1u2mQ2pZ0iZt9o2T8mC6eX5Qq3mVd8cJ1E="  # test-only; the fixture's fake answers


@pytest.fixture
def old_store(tmp_path, monkeypatch):
    """A data folder whose store the previous release made."""
    connection = sqlite3.connect(tmp_path / "reflections.db")
    connection.executescript(FIXTURE.read_text())
    connection.close()
    monkeypatch.setenv("REFLECTION_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ANSWER_ENCRYPTION_KEYS", FIXTURE_KEY)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_a_server_refuses_an_older_store_and_names_the_command(old_store):
    with pytest.raises(schema.SchemaBehind, match="python -m bot migrate"):
        with unit_of_work(old_store):
            pass


def test_the_previous_release_store_upgrades_with_every_answer_readable(old_store):
    from bot import service

    before, after = schema.migrate(raw_engine(old_store.database_url))
    assert (before, after) == (schema.BASELINE, schema.head()) and after != schema.BASELINE
    for i, client in enumerate(["client-a", "client-b", "demo-c"]):
        data = service.export(client)
        flat = repr(data)
        assert f"Being heard, client {i}, ünïcode ✓" in flat
        assert "limited_disclosure" in flat and "minimal_engagement" in flat
        assert f"{7 - i}" in flat and "skipped" in flat
        assert data["escalations"] and data["escalations"][0]["category"] == "self_harm"
    with unit_of_work(old_store) as session:
        from bot.store import clinicians

        rivera = clinicians.clinician_named(session, "rivera")
        assert rivera is not None and rivera.is_admin is False and rivera.password_hash == "scrypt$fake$hash"
        assert clinicians.clients_of(session, rivera.id) == ["client-a"]
        assert clinicians.private_answers(session, "client-a") == {("worksheet", "main", "q1_trust_meaning")}
        assert [e["action"] for e in clinicians.audit_entries(session)] == ["view_summary"]
    # Running it again changes nothing.
    assert schema.migrate(raw_engine(old_store.database_url)) == (schema.head(), schema.head())


def test_the_migrations_make_exactly_the_models_tables(tmp_path):
    engine = raw_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    with engine.begin() as connection:  # from nothing, through every migration
        from alembic import command

        command.upgrade(schema._config(connection), "head")
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert set(inspect(engine).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}


def test_a_new_store_is_made_at_the_newest_revision(tmp_path):
    engine = raw_engine(f"sqlite:///{tmp_path / 'new.db'}")
    schema.prepare(engine)
    with engine.connect() as connection:
        assert schema.current(connection) == schema.head()
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


@pytest.mark.parametrize("server", ["bot.portal", "bot.action_server"])
def test_a_server_started_on_an_older_store_stops_with_the_command_to_run(old_store, server):
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", server],
        env={**os.environ, "PORTAL_PORT": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "python -m bot migrate" in done.stderr
