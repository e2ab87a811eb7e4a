"""Engine and session factory: created on first use, one per database URL."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings, get_settings
from bot.store import schema

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    engine = raw_engine(url)
    schema.prepare(engine)
    return engine


def raw_engine(url: str) -> Engine:
    """An engine that leaves the schema alone (migrate, backup, restore)."""
    kwargs: Dict[str, Any] = {"future": True, "pool_pre_ping": True}  # never echo: it would log answers
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA secure_delete=ON")  # deleted answers are overwritten, not left in free pages
            cursor.close()

    return engine


def engine_for(settings: Optional[Settings] = None) -> Engine:
    return _engine((settings or get_settings()).database_url)


def refuse_an_older_store(settings: Optional[Settings] = None) -> None:
    """At a server's start: stop with the command to run when the store needs
    a migration. A store that does not answer yet is no reason to stay down
    (the escalation spool covers it); it is tried again on first use."""
    try:
        engine_for(settings)
    except schema.SchemaBehind as problem:
        raise SystemExit(str(problem)) from None
    except Exception as problem:  # noqa: BLE001
        logger.warning(
            "The reflections store does not answer yet (%s); going on without it for now", type(problem).__name__
        )


@lru_cache(maxsize=4)
def _factory(url: str) -> sessionmaker:
    return sessionmaker(bind=_engine(url), future=True, expire_on_commit=False)


@contextmanager
def unit_of_work(settings: Optional[Settings] = None) -> Iterator[Session]:
    """A transaction: commits when the block ends, rolls back on error."""
    settings = settings or get_settings()
    with _factory(settings.database_url).begin() as session:
        yield session
