"""Backup and restore of everything a client or clinician wrote.

    python -m bot backup FILE
    python -m bot restore FILE --key-file KEY

A backup holds the reflections store, the conversation store (Rasa's tracker)
and the escalation spool, each a consistent snapshot taken while the servers
run: SQLite's online backup for a SQLite store, `pg_dump` for a PostgreSQL
one. The whole file is encrypted with the answer key (Fernet, in chunks), and
the key is never in it: keep the key apart from the backups (README: Backup
and restore). Inside, answers and conversation events stay encrypted as
stored.

A restore goes into an empty installation only, with the key given
separately; it checks the key opens the backup before writing anything.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from bot.settings import Settings, get_settings
from bot.store.crypto import cipher_for

MAGIC = b"REFLECTION-BACKUP 1\n"
CHUNK = 1024 * 1024
REFLECTIONS, CONVERSATIONS, SPOOL, MANIFEST = "reflections", "tracker", "escalations.spool", "manifest.json"
# The tables whose rows make an installation not empty.
HOLDING = {REFLECTIONS: ("answers", "clients", "escalations", "clinicians"), CONVERSATIONS: ("events",)}


class BackupError(Exception):
    """A backup or restore that cannot be done; the text says why and what to do."""


def _stores(settings: Settings) -> Dict[str, Optional[str]]:
    """Each database part's SQLAlchemy URL (None when there is no such store)."""
    from bot.store.rotation import tracker_url

    return {REFLECTIONS: settings.database_url, CONVERSATIONS: tracker_url(settings.rasa_endpoints)}


def _spool(settings: Settings) -> Path:
    from bot.safety.recorder import SPOOL_NAME

    return settings.data_dir / SPOOL_NAME


def _kind(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(
            f"A {backend} store cannot be backed up by this command; use the database's own tool "
            "and keep the key apart (README)."
        )
    return backend


def _sqlite_file(url: str) -> Path:
    return Path(make_url(url).database or "")


def _pg_env(url: str) -> Dict[str, str]:
    """libpq's settings for a PostgreSQL URL (the password in the environment,
    never on a command line others can list)."""
    parts = make_url(url)
    if not shutil.which("pg_dump"):
        raise BackupError("pg_dump and pg_restore are needed for a PostgreSQL store (Debian: postgresql-client).")
    values = {
        "PGHOST": parts.host,
        "PGPORT": str(parts.port) if parts.port else None,
        "PGUSER": parts.username,
        "PGPASSWORD": parts.password,
        "PGDATABASE": parts.database,
    }
    return {**os.environ, **{k: v for k, v in values.items() if v}}


def _run(command: List[str], url: str, what: str) -> None:
    done = subprocess.run(command, env=_pg_env(url), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip()[-500:]}")


def _snapshot(url: str, target_dir: Path, name: str) -> Optional[Path]:
    """A consistent copy of one live store in `target_dir`, or None if it does not exist yet."""
    if _kind(url) == "sqlite":
        source = _sqlite_file(url)
        if not source.exists():
            return None
        target = target_dir / f"{name}.db"
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as live, sqlite3.connect(target) as copy:
            live.backup(copy)
        copy.close()
        live.close()
        return target
    target = target_dir / f"{name}.pgdump"
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)], url, "pg_dump")
    return target


def _encrypted_chunks(cipher: MultiFernet, stream: io.BufferedIOBase) -> Iterator[bytes]:
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return
        token = cipher.encrypt(chunk)
        yield struct.pack(">Q", len(token)) + token


def _decrypted(cipher: MultiFernet, path: Path, out: io.BufferedIOBase) -> None:
    with open(path, "rb") as stream:
        if stream.read(len(MAGIC)) != MAGIC:
            raise BackupError(f"{path} is not a backup made by `python -m bot backup`.")
        while True:
            size = stream.read(8)
            if not size:
                return
            token = stream.read(struct.unpack(">Q", size)[0])
            try:
                out.write(cipher.decrypt(token))
            except InvalidToken:
                raise BackupError(
                    "This key does not open this backup (or the file is damaged). "
                    "Give the key the installation had when the backup was made."
                ) from None


def _private_file(path: Path, mode: str = "wb"):
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), mode)


def backup(target: Path, settings: Optional[Settings] = None) -> Dict[str, int]:
    """Writes the backup; returns the size in bytes of each part."""
    from bot.store import schema
    from bot.store.db import raw_engine

    settings = settings or get_settings()
    cipher = cipher_for(settings)
    sizes: Dict[str, int] = {}
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.data_dir) as work:
        work_dir = Path(work)
        with tarfile.open(work_dir / "backup.tar", "w") as archive:
            for name, url in _stores(settings).items():
                copy = _snapshot(url, work_dir, name) if url else None
                if copy is not None:
                    sizes[copy.name] = copy.stat().st_size
                    archive.add(copy, arcname=copy.name)
            spool = _spool(settings)
            if spool.exists():
                sizes[SPOOL] = spool.stat().st_size
                archive.add(spool, arcname=SPOOL)
            if not any(name.startswith(REFLECTIONS) for name in sizes):
                raise BackupError("There is nothing to back up yet (no reflections store).")
            with raw_engine(settings.database_url).connect() as connection:
                revision = schema.current(connection)
            manifest = json.dumps(
                {
                    "made_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "schema_revision": revision,
                    "parts": sizes,
                }
            ).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(manifest)
            archive.addfile(info, io.BytesIO(manifest))
        partial = target.with_name(target.name + ".partial")
        with _private_file(partial) as out, open(work_dir / "backup.tar", "rb") as plain:
            out.write(MAGIC)
            for record in _encrypted_chunks(cipher, plain):
                out.write(record)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(target)
    return sizes


def _read_key(key_file: Path) -> List[str]:
    keys = [k.strip() for k in key_file.read_text().replace("\n", ",").split(",") if k.strip()]
    try:
        for key in keys:
            Fernet(key.encode())
    except ValueError:
        raise BackupError(f"{key_file} does not hold an answer key.") from None
    if not keys:
        raise BackupError(f"{key_file} is empty.")
    return keys


def _holds_anything(name: str, url: Optional[str]) -> bool:
    from bot.store.db import raw_engine

    if not url or (_kind(url) == "sqlite" and not _sqlite_file(url).exists()):
        return False
    engine = raw_engine(url)
    try:
        with engine.connect() as connection:
            present = set(inspect(connection).get_table_names())
            return any(
                connection.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first()
                for table in HOLDING[name]
                if table in present
            )  # names from HOLDING, never input
    finally:
        engine.dispose()


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    stream = archive.extractfile(name)
    if stream is None:
        raise BackupError(f"The backup's {name} is damaged.")
    return stream.read()


def _put_back(archive: tarfile.TarFile, member: str, url: Optional[str], work_dir: Path) -> None:
    part, _, form = member.partition(".")
    if url is None:
        raise BackupError(f"The backup holds a {part} store and this installation has none configured.")
    kind = _kind(url)
    if (form == "db") != (kind == "sqlite"):
        raise BackupError(
            f"The backup's {part} store is {'SQLite' if form == 'db' else 'PostgreSQL'} and this "
            f"installation's is {kind}: restore into the same kind of store."
        )
    if kind == "sqlite":
        target = _sqlite_file(url)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            stale.unlink(missing_ok=True)
        with _private_file(target) as out:
            out.write(_member(archive, member))
        return
    dump = work_dir / member
    with _private_file(dump) as out:
        out.write(_member(archive, member))
    # The store was found empty, so tables a start made are dropped and replaced.
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--dbname",
            make_url(url).database or "",
            str(dump),
        ],
        url,
        "pg_restore",
    )


def restore(source: Path, key_file: Path, settings: Optional[Settings] = None) -> Dict[str, int]:
    """Brings a backup back into an empty installation. Returns each part's size."""
    from bot.store import schema
    from bot.store.db import raw_engine

    settings = settings or get_settings()
    keys = _read_key(key_file)
    if settings.encryption_keys and not set(keys) & set(settings.encryption_keys):
        raise BackupError(
            "The key given is not among ANSWER_ENCRYPTION_KEYS: the restored answers "
            "could not be read. Put it there first."
        )
    stores = _stores(settings)
    spool = _spool(settings)
    if any(_holds_anything(name, url) for name, url in stores.items()) or (spool.exists() and spool.stat().st_size):
        raise BackupError(
            "This installation already holds reflections or conversations; a restore goes into "
            "an empty one only (stop the servers and move the data folder aside first)."
        )
    cipher = MultiFernet([Fernet(k.encode()) for k in keys])
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.data_dir) as work:
        work_dir = Path(work)
        plain = work_dir / "backup.tar"
        with _private_file(plain) as out:
            _decrypted(cipher, source, out)
        with tarfile.open(plain) as archive:
            names = archive.getnames()
            if MANIFEST not in names or not any(n.startswith(REFLECTIONS + ".") for n in names):
                raise BackupError(f"{source} is not a complete backup.")
            manifest = json.loads(_member(archive, MANIFEST))
            for name in names:
                if name == SPOOL:
                    with _private_file(spool) as out:
                        out.write(_member(archive, name))
                elif name != MANIFEST:
                    _put_back(archive, name, stores.get(name.partition(".")[0]), work_dir)
    if not settings.encryption_keys:  # the embedded default: the key file (empty, so any old key locked nothing)
        with _private_file(settings.key_file, "w") as out:
            out.write(keys[0])
    schema.migrate(raw_engine(settings.database_url))  # a backup from an older release is brought along
    return manifest["parts"]
