"""A throwaway PostgreSQL server on loopback for a test (Debian's
`postgresql` package; `.ci/run` installs it). As root, the server runs as the
`postgres` user, as Debian's own tools do."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from typing import Iterator, List


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL is needed for this test: apt-get install postgresql (.ci/run does it)")
    return found[-1]


def _as_server_user(command: List[str]) -> List[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres() -> Iterator[str]:
    """Yields the base URL (`postgresql+psycopg2://postgres@127.0.0.1:PORT`)."""
    folder = tempfile.mkdtemp(prefix="reflection-pg-")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = os.path.join(folder, "data")
    subprocess.run(
        _as_server_user([_bin("initdb"), "-D", data, "--auth=trust", "-U", "postgres", "--no-sync"]),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        _as_server_user(
            [
                _bin("pg_ctl"),
                "-D",
                data,
                "-l",
                os.path.join(folder, "log"),
                "-w",
                "-o",
                f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        url = f"postgresql+psycopg2://postgres@127.0.0.1:{port}"
        deadline, listening = time.time() + 30, False
        while not listening and time.time() < deadline:
            with socket.socket() as s:
                listening = s.connect_ex(("127.0.0.1", port)) == 0
            if not listening:
                time.sleep(0.2)
        assert listening, f"PostgreSQL did not listen on port {port} within 30 s (see {folder}/log)"
        yield url
    finally:
        subprocess.run(_as_server_user([_bin("pg_ctl"), "-D", data, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def create_database(base_url: str, name: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{base_url}/postgres", future=True, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{base_url}/{name}"


def drop_database(base_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{base_url}/postgres", future=True, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    engine.dispose()
