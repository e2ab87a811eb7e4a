"""Engine and session factory: created on first use, one per database URL."""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings, get_settings
from bot.store.models import Base


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    kwargs = {"future": True, "pool_pre_ping": True}  # never echo: it would log answers
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
    Base.metadata.create_all(engine)
    _add_missing_columns(engine)
    return engine


def _add_missing_columns(engine: Engine) -> None:
    """A store made by an older version gets the nullable columns added since."""
    existing = inspect(engine)
    quote = engine.dialect.identifier_preparer.quote  # names from our own models, never input
    with engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            have = {c["name"] for c in existing.get_columns(table.name)}
            for column in table.columns:
                if column.name not in have and column.nullable:
                    kind = column.type.compile(dialect=engine.dialect)
                    connection.execute(text(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} {kind}"))


@lru_cache(maxsize=4)
def _factory(url: str) -> sessionmaker:
    return sessionmaker(bind=_engine(url), future=True, expire_on_commit=False)


@contextmanager
def unit_of_work(settings: Settings = None) -> Iterator[Session]:
    """A transaction: commits when the block ends, rolls back on error."""
    settings = settings or get_settings()
    with _factory(settings.database_url).begin() as session:
        yield session
