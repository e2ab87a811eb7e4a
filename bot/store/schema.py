"""The reflections store's schema, kept by Alembic migrations
(`bot/store/migrations/versions`).

- A new, empty store is made at the newest revision.
- A store made before migrations existed (tables, no `alembic_version`) is
  stamped as the baseline, then upgraded.
- `python -m bot migrate` (run by `make run` before the servers start)
  upgrades; a server never does so by itself, because replicas sharing one
  database would race. A server meeting an older store refuses to start
  with the command to run.

Rasa's conversation store (`var/tracker.db`) is Rasa's own schema and is
not migrated here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

from bot.store.models import Base

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"


class SchemaBehind(RuntimeError):
    """The store was made by an older release and needs `python -m bot migrate`."""


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    return str(ScriptDirectory(str(MIGRATIONS)).get_current_head())


def current(connection: Connection) -> Optional[str]:
    """The store's revision; BASELINE for a store made before migrations,
    None for an empty one."""
    revision = MigrationContext.configure(connection).get_current_revision()
    if revision is None and inspect(connection).has_table("clients"):
        return BASELINE
    return revision


def prepare(engine: Engine) -> None:
    """Called once per engine: makes an empty store at the newest revision;
    refuses an older one."""
    with engine.begin() as connection:
        revision = current(connection)
        if revision is None:
            Base.metadata.create_all(connection)
            command.stamp(_config(connection), "head")
        elif revision != head():
            raise SchemaBehind(
                f"The reflections store is at schema revision {revision}; this release needs {head()}. "
                "Back it up (python -m bot backup FILE), then run: python -m bot migrate"
            )


def migrate(engine: Engine) -> tuple:
    """Brings the store to the newest revision. Returns (before, after)."""
    with engine.begin() as connection:
        before = current(connection)
        config = _config(connection)
        if before is None:
            Base.metadata.create_all(connection)
            command.stamp(config, "head")
        else:
            if MigrationContext.configure(connection).get_current_revision() is None:
                command.stamp(config, BASELINE)
            command.upgrade(config, "head")
    return before, head()
