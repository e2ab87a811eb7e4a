"""Backup and restore of everything a client or clinician wrote.

    python -m bot backup FILE
    python -m bot restore FILE --key-file KEY

A backup holds the reflections store, the conversation store (Rasa's tracker)
and the escalation spool, each a consistent snapshot taken with SQLite's
online backup while the servers run. The whole file is encrypted with the
answer key (Fernet, in chunks), and the key is never in it: keep the key
apart from the backups (README: Backup and restore). Inside, answers and
conversation events stay encrypted as stored.

A restore goes into an empty installation only, with the key given
separately; it checks the key opens the backup before writing anything.
"""
from __future__ import annotations

import io
import json
import os
import sqlite3
import struct
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.settings import Settings, get_settings
from bot.store.crypto import cipher_for

MAGIC = b"REFLECTION-BACKUP 1\n"
CHUNK = 1024 * 1024
REFLECTIONS, CONVERSATIONS, SPOOL, MANIFEST = "reflections.db", "tracker.db", "escalations.spool", "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot be done; the text says why and what to do."""


def _sqlite_path(url: Optional[str], what: str) -> Optional[Path]:
    if url is None:
        return None
    if not url.startswith("sqlite:///"):
        raise BackupError(f"The {what} is not SQLite ({url.split(':', 1)[0]}): back it up with the database's "
                          "own tool (pg_dump for PostgreSQL) and keep the key apart (README).")
    return Path(url.split("///", 1)[1])


def _locations(settings: Settings) -> Dict[str, Optional[Path]]:
    from bot.safety.recorder import SPOOL_NAME
    from bot.store.rotation import tracker_url

    return {
        REFLECTIONS: _sqlite_path(settings.database_url, "reflections store"),
        CONVERSATIONS: _sqlite_path(tracker_url(settings.rasa_endpoints), "conversation store"),
        SPOOL: settings.data_dir / SPOOL_NAME,
    }


def _snapshot(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (its online backup API)."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    copy.close()
    live.close()


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
                raise BackupError("This key does not open this backup (or the file is damaged). "
                                  "Give the key the installation had when the backup was made.") from None


def backup(target: Path, settings: Optional[Settings] = None) -> Dict[str, int]:
    """Writes the backup; returns the size in bytes of each part."""
    from bot.store import schema
    from bot.store.db import raw_engine

    settings = settings or get_settings()
    cipher = cipher_for(settings)
    sizes: Dict[str, int] = {}
    with tempfile.TemporaryDirectory(dir=settings.data_dir) as work:
        work_dir = Path(work)
        with tarfile.open(work_dir / "backup.tar", "w") as archive:
            for name, source in _locations(settings).items():
                if source is None or not source.exists():
                    continue
                copy = work_dir / name
                if name == SPOOL:
                    copy.write_bytes(source.read_bytes())
                else:
                    _snapshot(source, copy)
                sizes[name] = copy.stat().st_size
                archive.add(copy, arcname=name)
            if REFLECTIONS not in sizes:
                raise BackupError("There is nothing to back up yet (no reflections store).")
            with raw_engine(settings.database_url).connect() as connection:
                revision = schema.current(connection)
            manifest = json.dumps({"made_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                   "schema_revision": revision, "parts": sizes}).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(manifest)
            archive.addfile(info, io.BytesIO(manifest))
        partial = target.with_name(target.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out, open(work_dir / "backup.tar", "rb") as plain:
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


def _is_empty(settings: Settings, locations: Dict[str, Optional[Path]]) -> bool:
    for name in (REFLECTIONS, CONVERSATIONS):
        path = locations[name]
        if path is None or not path.exists():
            continue
        with sqlite3.connect(path) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            for table in ({"answers", "clients", "escalations", "clinicians"} if name == REFLECTIONS else {"events"}):
                if table in tables and connection.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
                    return False
        connection.close()
    spool = locations[SPOOL]
    return not (spool and spool.exists() and spool.stat().st_size)


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    stream = archive.extractfile(name)
    if stream is None:
        raise BackupError(f"The backup's {name} is damaged.")
    return stream.read()


def restore(source: Path, key_file: Path, settings: Optional[Settings] = None) -> Dict[str, int]:
    """Brings a backup back into an empty installation. Returns each part's size."""
    settings = settings or get_settings()
    keys = _read_key(key_file)
    if settings.encryption_keys:
        if not set(keys) & set(settings.encryption_keys):
            raise BackupError("The key given is not among ANSWER_ENCRYPTION_KEYS: the restored answers "
                              "could not be read. Put it there first.")
    locations = _locations(settings)
    if not _is_empty(settings, locations):
        raise BackupError("This installation already holds reflections or conversations; a restore goes into "
                          "an empty one only (stop the servers and move the data folder aside first).")
    cipher = MultiFernet([Fernet(k.encode()) for k in keys])
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.data_dir) as work:
        plain = Path(work) / "backup.tar"
        with open(plain, "wb") as out:
            _decrypted(cipher, source, out)
        with tarfile.open(plain) as archive:
            names = archive.getnames()
            if MANIFEST not in names or REFLECTIONS not in names:
                raise BackupError(f"{source} is not a complete backup.")
            manifest = json.loads(_member(archive, MANIFEST))
            for name in names:
                target = locations.get(name)
                if name == MANIFEST or target is None:
                    continue
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
                    stale.unlink(missing_ok=True)
                descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(descriptor, "wb") as out:
                    out.write(_member(archive, name))
    if not settings.encryption_keys:  # the embedded default: the key file (empty, so any old key locked nothing)
        descriptor = os.open(settings.key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(keys[0])
    from bot.store import schema
    from bot.store.db import raw_engine

    schema.migrate(raw_engine(settings.database_url))  # a backup from an older release is brought along
    return manifest["parts"]
