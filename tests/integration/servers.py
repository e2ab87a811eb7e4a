"""Starts the real action server and Rasa server on loopback for a test,
each with its own database and tracker store in a temporary folder."""

from __future__ import annotations

import json
from contextlib import contextmanager
import os
import secrets
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List, Optional

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
MODEL = ROOT / "models" / "current.tar.gz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Servers:
    def __init__(self, workdir: Path, extra_env: Optional[Dict[str, str]] = None) -> None:
        self.workdir = workdir
        self.rasa_port, self.action_port, self.portal_port = free_port(), free_port(), free_port()
        self.env = {
            **os.environ,
            "REFLECTION_DATA_DIR": str(workdir / "data"),
            "REFLECTION_ENV_FILE": str(workdir / "test.env"),
            "SANIC_HOST": "127.0.0.1",
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "LOCAL_REST_CHANNEL": "on",
            "ACTION_SERVER_SECRET": secrets.token_urlsafe(24),
            "PORTAL_PORT": str(self.portal_port),
            "RASA_PUBLIC_URL": f"http://127.0.0.1:{self.rasa_port}",
            **(extra_env or {}),
        }
        self.endpoints = workdir / "endpoints.yml"
        self.endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
            '  headers:\n    X-Reflection-Action-Secret: ${ACTION_SERVER_SECRET}\n'
            "nlg:\n  type: bot.safety.nlg.PracticeNLG\n"
            f"tracker_store:\n  type: bot.store.tracker.EncryptedSQLTrackerStore\n  dialect: sqlite\n  db: {workdir / 'tracker.db'}\n"
        )
        self.rasa: Optional[subprocess.Popen] = None
        self.actions: Optional[subprocess.Popen] = None
        self.portal: Optional[subprocess.Popen] = None

    # --- processes -------------------------------------------------------
    def _spawn(self, args: List[str], log_name: str) -> subprocess.Popen:
        log = open(self.workdir / log_name, "ab")
        return subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, umask=0o077)

    def start_actions(self) -> None:
        self.actions = self._spawn(
            [str(VENV_BIN / "python"), "-m", "bot.action_server", "--port", str(self.action_port)], "actions.log"
        )
        self._wait(f"http://127.0.0.1:{self.action_port}/health", self.actions, "actions.log")

    def start_rasa(self) -> None:
        origins = self.cli("cors-origins").split()
        self.rasa = self._spawn(
            [
                str(VENV_BIN / "rasa"),
                "run",
                "--model",
                str(MODEL),
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.rasa_port),
                "--credentials",
                "credentials.yml",
                "--endpoints",
                str(self.endpoints),
                "--cors",
                *origins,
            ],
            "rasa.log",
        )
        self._wait(f"http://127.0.0.1:{self.rasa_port}/webhooks/reflection/", self.rasa, "rasa.log", timeout=240)

    def start_portal(self) -> None:
        self.portal = self._spawn([str(VENV_BIN / "python"), "-m", "bot.portal"], "portal.log")
        self._wait(f"{self.portal_url}/health", self.portal, "portal.log")

    @property
    def portal_url(self) -> str:
        return f"http://127.0.0.1:{self.portal_port}"

    def stop_actions(self) -> None:
        self._stop(self.actions)
        self.actions = None

    def stop_rasa(self) -> None:
        self._stop(self.rasa)
        self.rasa = None

    def restart_rasa(self) -> None:
        self.stop_rasa()
        self.start_rasa()

    def start(self) -> "Servers":
        self.start_actions()
        self.start_rasa()
        return self

    def stop(self) -> None:
        self._stop(self.portal)
        self.stop_rasa()
        self.stop_actions()

    @staticmethod
    def _stop(process: Optional[subprocess.Popen]) -> None:
        if process and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _wait(self, url: str, process: subprocess.Popen, log_name: str, timeout: float = 90) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{log_name} exited:\n" + (self.workdir / log_name).read_text()[-3000:])
            try:
                with urllib.request.urlopen(url, timeout=2) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{url} did not come up:\n" + (self.workdir / log_name).read_text()[-3000:])

    # --- a client --------------------------------------------------------
    def post(self, body, path: str = "/webhooks/rest/webhook", headers: Optional[Dict[str, str]] = None) -> tuple:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.rasa_port}{path}",
            data=data,
            headers={"Content-Type": "application/json", **(headers or {})},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as reply:
                return reply.status, json.loads(reply.read() or b"null")
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw or b"null")
            except ValueError:
                return error.code, raw.decode(errors="replace")

    def say(self, sender: str, text: str, message_id: Optional[str] = None) -> str:
        """Sends a message as the client; returns the bot's replies as one text."""
        body = {"sender": sender, "message": text}
        if message_id:
            body["message_id"] = message_id
        status, replies = self.post(body)
        assert status == 200, (status, replies)
        return "\n".join(r.get("text") or "" for r in replies)

    def events(self, sender: str) -> List[tuple]:
        """(type, intent, action) of every event stored for a conversation."""
        path = self.workdir / "tracker.db"
        if not path.exists():
            return []
        with sqlite3.connect(path) as db:
            return db.execute(
                "SELECT type_name, intent_name, action_name FROM events WHERE sender_id = ? " "ORDER BY id", (sender,)
            ).fetchall()

    def cli(self, *args: str) -> str:
        """Runs `python -m bot ARGS` with the servers' settings; returns what it printed."""
        out = subprocess.run(
            [str(VENV_BIN / "python"), "-m", "bot", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout

    def python(self, code: str) -> None:
        """Runs Python code with the servers' settings (e.g. to put data in the store)."""
        subprocess.run([str(VENV_BIN / "python"), "-c", code], cwd=ROOT, env=self.env, check=True)

    def add_clinician(self, username: str, password: str, admin: bool = False) -> None:
        subprocess.run(
            [
                str(VENV_BIN / "python"),
                "-m",
                "bot",
                "add-clinician",
                username,
                "--password-stdin",
                *(["--admin"] if admin else []),
            ],
            input=password + "\n",
            text=True,
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def export(self, client_id: str) -> Dict:
        return json.loads(self.cli("export", client_id))


@contextmanager
def running(
    workdir: Path,
    env_file: Optional[Dict[str, str]] = None,
    extra_env: Optional[Dict[str, str]] = None,
    chat: bool = True,
    portal: bool = False,
) -> Iterator[Servers]:
    """Servers for one test module, with a `.env` of its own: the chat servers
    (the Rasa server needs the trained model) and, if asked, the portal."""
    (workdir / "test.env").write_text("".join(f'{k}="{v}"\n' for k, v in (env_file or {}).items()))
    servers = Servers(workdir, extra_env)
    try:
        if chat:
            if not MODEL.exists():
                raise RuntimeError("models/current.tar.gz is missing: run `make model` (make test does it)")
            servers.start()
        if portal:
            servers.start_portal()
        yield servers
    finally:
        servers.stop()


class Supervised(Servers):
    """The servers as `make run` starts them: scripts/serve.sh, which migrates
    the store and runs every process under supervisord."""

    def __init__(self, workdir: Path, env_file: Optional[Dict[str, str]] = None) -> None:
        super().__init__(workdir)
        (workdir / "test.env").write_text("".join(f'{k}="{v}"\n' for k, v in (env_file or {}).items()))
        self.env.update(
            {
                "RASA_PORT": str(self.rasa_port),
                "ACTION_PORT": str(self.action_port),
                "RASA_ENDPOINTS": str(self.endpoints),
                "LOG_DIR": str(workdir / "logs"),
                "RUN_DIR": str(workdir / "run"),
                "WATCHDOG_SECONDS": "2",
            }
        )
        self.serve: Optional[subprocess.Popen] = None

    def start(self) -> "Supervised":
        self.serve = self._spawn([str(ROOT / "scripts" / "serve.sh")], "serve.log")
        self._wait(f"http://127.0.0.1:{self.rasa_port}/webhooks/reflection/ready", self.serve, "serve.log", 240)
        self._wait(f"{self.portal_url}/ready", self.serve, "serve.log")
        return self

    def stop(self) -> None:
        self._stop(self.serve)

    def supervisorctl(self, *args: str) -> str:
        out = subprocess.run(
            [str(VENV_BIN / "supervisorctl"), "-s", f"unix://{self.workdir / 'run' / 'supervisor.sock'}", *args],
            capture_output=True,
            text=True,
            env=self.env,
        )
        return out.stdout.strip()

    def ready(self, port: int, path: str = "/ready") -> tuple:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=3) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")
        except (urllib.error.URLError, ConnectionError, OSError):
            return None, None
