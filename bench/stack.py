"""The servers under test, on loopback: ours (the action server and the Rasa
server with the widget channel, each with its own store in a temporary
folder, as tests/integration/servers.py starts them) and a stock `rasa init`
assistant with Rasa's REST channel. Also what /proc says about a process:
resident memory and CPU time, the process and its children together."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the virtual environment running the benchmark
MODEL = ROOT / "models" / "current.tar.gz"
STOCK_DIR = ROOT / "var" / "bench" / "stock"
WIDGET_SECRET = "bench-widget-secret-" + "b" * 32
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Fair-use limits (bot/limits.py) for the benchmark: NAME=VALUE pairs added to
# our servers' environment (--env adds more). Every benchmark client comes from
# loopback, as behind a proxy, so the per-address limits are off (the proxy
# keeps them); the per-client limit stays at the product's default, and is
# what meets the one-token flood. `unset_limits()` names any setting of
# bot/settings.py this list misses.
RATE_LIMITS: Dict[str, str] = {
    "CHAT_MESSAGES_PER_MINUTE": "120",
    "CHAT_BURST": "30",
    "CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS": "0",
    "PORTAL_REQUESTS_PER_MINUTE_PER_ADDRESS": "0",
}

# Both sides run with the thread counts `make run` gives (scripts/serve.sh).
COMMON_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "TF_INTER_OP_PARALLELISM_THREADS": "2",
    "TF_INTRA_OP_PARALLELISM_THREADS": "2",
    "SANIC_HOST": "127.0.0.1",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unset_limits(env: Dict[str, str]) -> List[str]:
    """Settings of bot/settings.py that look like rate or size limits and
    that the benchmark leaves at their default."""
    source = (ROOT / "bot" / "settings.py").read_text()
    names = set(re.findall(r"[\"']([A-Z][A-Z0-9_]*(?:RATE|LIMIT|PER_MINUTE|PER_SECOND|BURST)[A-Z0-9_]*)[\"']", source))
    return sorted(name for name in names if name not in env)


# --- /proc ---------------------------------------------------------------------
def _family(pid: int) -> List[int]:
    """The process and all its descendants."""
    parents: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    family, todo = [], [pid]
    while todo:
        current = todo.pop()
        family.append(current)
        todo.extend(parents.get(current, []))
    return family


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process and its children so far."""
    total = 0
    for member in _family(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    """Resident memory of the process and its children."""
    total = 0
    for member in _family(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


# --- processes -----------------------------------------------------------------
class Server:
    """One server process: started, waited for until its readiness URL says
    200, stopped. `startup` is seconds from process start to ready."""

    def __init__(self, name: str, args: List[str], cwd: Path, env: Dict[str, str], log: Path, ready_url: str):
        self.name, self.args, self.cwd, self.env, self.log, self.ready_url = name, args, cwd, env, log, ready_url
        self.process: Optional[subprocess.Popen] = None
        self.startup = 0.0

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 300) -> "Server":
        began = time.perf_counter()
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self.args, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT, umask=0o077
            )
        while time.perf_counter() - began < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} stopped while starting; see {self.log}:\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.ready_url, timeout=2) as reply:
                    if reply.status == 200:
                        self.startup = time.perf_counter() - began
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} was not ready after {timeout:.0f} s:\n{self.tail()}")

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Ours:
    """The action server and the Rasa server of this project, each with its
    store in `workdir` (SQLite, as `make run` has them)."""

    def __init__(self, workdir: Path, extra_env: Optional[Dict[str, str]] = None) -> None:
        self.workdir = workdir
        self.rasa_port, self.action_port = free_port(), free_port()
        (workdir / "bench.env").write_text(f'WIDGET_JWT_SECRET="{WIDGET_SECRET}"\n')
        self.env = {
            **os.environ,
            **COMMON_ENV,
            "REFLECTION_DATA_DIR": str(workdir / "data"),
            "REFLECTION_ENV_FILE": str(workdir / "bench.env"),
            "ACTION_SERVER_SECRET": secrets.token_urlsafe(24),
            "RASA_PUBLIC_URL": f"http://127.0.0.1:{self.rasa_port}",
            "LOCAL_REST_CHANNEL": "off",
            **RATE_LIMITS,
            **(extra_env or {}),
        }
        self.tracker_db = workdir / "tracker.db"
        endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
        endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{self.action_port}/webhook"
        endpoints["tracker_store"]["db"] = str(self.tracker_db)
        (workdir / "endpoints.yml").write_text(yaml.safe_dump(endpoints, sort_keys=False))
        self.actions = Server(
            "our action server",
            [str(BIN / "python"), "-m", "bot.action_server", "--port", str(self.action_port)],
            ROOT,
            self.env,
            workdir / "actions.log",
            f"http://127.0.0.1:{self.action_port}/ready",
        )
        self.rasa = Server(
            "our Rasa server",
            [
                str(BIN / "rasa"),
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
                str(workdir / "endpoints.yml"),
            ],
            ROOT,
            self.env,
            workdir / "rasa.log",
            f"http://127.0.0.1:{self.rasa_port}/webhooks/reflection/ready",
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/reflection/webhook"

    def start(self) -> "Ours":
        if not MODEL.exists():
            raise SystemExit("models/current.tar.gz is missing: run `make model` first.")
        self.actions.start()
        self.rasa.start()
        return self

    def stop(self) -> None:
        self.rasa.stop()
        self.actions.stop()

    def processes(self) -> List[Server]:
        return [self.rasa, self.actions]


def ensure_stock(log: Path) -> float:
    """Creates and trains the stock assistant once (var/bench/stock); returns
    the seconds it took, 0 when it was there already."""
    if list((STOCK_DIR / "models").glob("*.tar.gz")):
        return 0.0
    began = time.perf_counter()
    STOCK_DIR.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **COMMON_ENV}
    if (STOCK_DIR / "config.yml").exists():  # made before, the training stopped
        command = [str(BIN / "rasa"), "train", "--quiet"]
    else:
        command = [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(STOCK_DIR)]
    with open(log, "ab") as out:
        subprocess.run(command, cwd=STOCK_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
    if not list((STOCK_DIR / "models").glob("*.tar.gz")):
        raise SystemExit(f"The stock assistant did not train; see {log}")
    return time.perf_counter() - began


class Stock:
    """A stock `rasa init` assistant with its REST channel (in-memory tracker
    store, no action server: what `rasa init` gives)."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        model = sorted((STOCK_DIR / "models").glob("*.tar.gz"))[-1]
        self.rasa = Server(
            "stock Rasa server",
            [
                str(BIN / "rasa"),
                "run",
                "--model",
                str(model),
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--credentials",
                "credentials.yml",
                "--endpoints",
                "endpoints.yml",
            ],
            STOCK_DIR,
            {**os.environ, **COMMON_ENV},
            workdir / "stock.log",
            f"http://127.0.0.1:{self.port}/webhooks/rest/",
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/rest/webhook"

    def start(self) -> "Stock":
        self.rasa.start()
        return self

    def stop(self) -> None:
        self.rasa.stop()

    def processes(self) -> List[Server]:
        return [self.rasa]
