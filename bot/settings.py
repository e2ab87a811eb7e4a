"""The one place that reads the environment.

Values come from the process environment, then from the project's `.env`
(python-dotenv, never overriding what the environment already says). Every
setting is documented in `.env.example` and the README.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import List, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "var"


def _load_dotenv() -> None:
    from dotenv import load_dotenv

    if env_file().exists():
        load_dotenv(env_file(), override=False)


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SystemExit(f"Setting {name} must be on or off, got {raw!r}")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        raise SystemExit(f"Setting {name} must be a whole number, got {raw!r}")


# The worksheet's example aftercare contact; shown until the practice sets its own.
EXAMPLE_AFTERCARE = "Community Mental Health Treatment Center (123)456-7890"
EXAMPLE_VALUES = {
    "PRACTICE_NAME": "Your therapy practice",
    "CLINICIAN_NAME": "your therapist",
    "CLINICIAN_PHONE": "(123)456-7890",
    "CLINICIAN_HOURS": "Monday to Friday, 9am to 5pm",
    "AFTERCARE_CONTACTS": EXAMPLE_AFTERCARE,
    "CRISIS_LINE": "988 (call or text)",
    "EMERGENCY_NUMBER": "911",
}


@dataclass(frozen=True)
class Practice:
    """The practice's contacts, shown in the escalation message."""

    name: str
    clinician_name: str
    clinician_phone: str
    clinician_hours: str
    aftercare: List[str]
    crisis_line: str
    emergency_number: str
    example_values_in_use: List[str]

    @property
    def clinician_line(self) -> str:
        """ "Your therapist, Dr. Rivera: phone (hours)", or without the name
        when none is set ("your therapist" would read twice)."""
        name = self.clinician_name.strip()
        who = (
            "Your therapist"
            if not name or name.lower() in ("your therapist", "therapist")
            else f"Your therapist, {name}"
        )
        return f"{who}: {self.clinician_phone} ({self.clinician_hours})"

    def as_template_values(self) -> dict:
        return {
            "practice_name": self.name,
            "clinician_name": self.clinician_name,
            "clinician_phone": self.clinician_phone,
            "clinician_hours": self.clinician_hours,
            "clinician_line": self.clinician_line,
            "aftercare_contacts": "\n".join(f"- {c}" for c in self.aftercare),
            "crisis_line": self.crisis_line,
            "emergency_number": self.emergency_number,
        }


def practice_from(values: dict) -> Practice:
    return Practice(
        name=values["PRACTICE_NAME"],
        clinician_name=values["CLINICIAN_NAME"],
        clinician_phone=values["CLINICIAN_PHONE"],
        clinician_hours=values["CLINICIAN_HOURS"],
        aftercare=[c.strip() for c in values["AFTERCARE_CONTACTS"].split(";") if c.strip()],
        crisis_line=values["CRISIS_LINE"],
        emergency_number=values["EMERGENCY_NUMBER"],
        example_values_in_use=[n for n, v in values.items() if v == EXAMPLE_VALUES[n]],
    )


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    encryption_keys: List[str] = field(default_factory=list)
    timezone: Optional[str] = None
    # How numeric dates are read: "11/20" is November 20 (month first, the US
    # way) or, with DATE_ORDER=day-first, "20/11" is.
    day_first: bool = False
    log_level: str = "INFO"
    practice: Practice = field(default_factory=lambda: practice_from(EXAMPLE_VALUES))
    escalation_webhook_url: Optional[str] = None
    widget_jwt_secret: Optional[str] = None
    action_server_secret: Optional[str] = None
    widget_origins: List[str] = field(default_factory=list)
    rasa_public_url: str = "http://127.0.0.1:5005"
    portal_host: str = "127.0.0.1"
    portal_port: int = 8080
    portal_demo: bool = True
    local_rest_channel: bool = False
    portal_cookie_secure: bool = False
    portal_public_url: Optional[str] = None
    # Rasa's endpoints file: where the conversation store is (backup, keys).
    rasa_endpoints: Path = PROJECT_ROOT / "endpoints.yml"
    # Days after a client's last activity that their answers and conversation
    # are kept; 0 keeps them until the client or the practice deletes them.
    retention_days: int = 0
    # Fair use (bot/limits.py): messages a minute, and at once, per client on
    # the widget channel; per address on the widget channel and the portal.
    # 0 a minute turns a limit off.
    chat_per_minute: int = 120
    chat_burst: int = 30
    chat_per_minute_per_address: int = 600
    portal_per_minute_per_address: int = 300

    @property
    def key_file(self) -> Path:
        return self.data_dir / "answers.key"

    @property
    def widget_secret_file(self) -> Path:
        return self.data_dir / "widget.secret"

    @property
    def cookies_secure(self) -> bool:
        """The portal's cookies are `Secure` (and `__Host-`) unless browsers
        reach it over plain HTTP on this machine."""
        from urllib.parse import urlparse

        url = self.portal_url
        return self.portal_cookie_secure or url.startswith("https://") or not _loopback(urlparse(url).hostname or "")

    @property
    def portal_url(self) -> str:
        """Where browsers reach the portal (PORTAL_PUBLIC_URL behind a proxy)."""
        return self.portal_public_url or f"http://{self.portal_host}:{self.portal_port}"


def read_or_create_secret(path: Path, make) -> str:
    """A secret kept in a file of the data directory: made once (mode 0600),
    then read. Safe when several processes start at the same time."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(make())
    for _ in range(50):  # another process may be writing it this instant
        value = path.read_text().strip()
        if value:
            return value
        time.sleep(0.02)
    raise SystemExit(f"The secret file {path} is empty; delete it and start again.")


def action_secret(settings: Optional[Settings] = None) -> str:
    """What the Rasa server sends the action server to be let in
    (ACTION_SERVER_SECRET, or one generated once into the data folder)."""
    settings = settings or get_settings()
    return settings.action_server_secret or read_or_create_secret(
        settings.data_dir / "action.secret", lambda: secrets.token_urlsafe(32)
    )


def portal_secret(settings: Optional[Settings] = None) -> str:
    """What the portal signs its sign-in form's CSRF values with (generated
    once into the data folder)."""
    settings = settings or get_settings()
    return read_or_create_secret(settings.data_dir / "portal.secret", lambda: secrets.token_urlsafe(32))


def _loopback(host: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def _demo_switches(settings: Settings) -> List[str]:
    return [
        name
        for name, value in (("PORTAL_DEMO", settings.portal_demo), ("LOCAL_REST_CHANNEL", settings.local_rest_channel))
        if value
    ]


def unsafe_demo_settings(settings: Optional[Settings] = None) -> Optional[str]:
    """Why the settings are not safe to start with, or None. The demo page
    (anyone gets a client) and the local REST channel (the client id is taken
    on trust) are for a machine nobody else can reach."""
    settings = settings or get_settings()
    on = _demo_switches(settings)
    hosts = {"PORTAL_HOST": settings.portal_host, "SANIC_HOST": os.environ.get("SANIC_HOST", "127.0.0.1")}
    open_hosts = [f"{name}={host}" for name, host in hosts.items() if not _loopback(host)]
    if on and open_hosts:
        return (
            f"{' and '.join(on)} must be off when a server listens beyond this machine "
            f"({', '.join(open_hosts)}). Set {'=off and '.join(on)}=off in .env, or listen on 127.0.0.1."
        )
    return None


def demo_warning(settings: Optional[Settings] = None) -> Optional[str]:
    on = _demo_switches(settings or get_settings())
    if not on:
        return None
    return f"{' and '.join(on)} ON: for trying it out on this machine only. " "Turn off in .env before clients use it."


def env_file() -> Path:
    return Path(os.environ.get("REFLECTION_ENV_FILE", str(PROJECT_ROOT / ".env")))


def exposure_warnings(settings: Optional[Settings] = None) -> List[str]:
    """What in this installation lets others read clients' data or the secrets:
    `.env` or the data folder open to other users of the machine, and the
    encryption key kept in the data folder (a copy of the folder is then a
    copy of the key). Printed at every start."""
    settings = settings or get_settings()
    found = []
    for path, mode in ((env_file(), "600"), (settings.data_dir, "700")):
        if path.exists() and path.stat().st_mode & 0o077:
            found.append(f"{path} can be read by other users of this machine: chmod {mode} {path}")
    if settings.data_dir.exists():
        for path in sorted(settings.data_dir.iterdir()):
            if path.is_file() and path.stat().st_mode & 0o077:
                found.append(f"{path} can be read by other users of this machine: chmod 600 {path}")
    if not settings.encryption_keys and settings.key_file.exists():
        found.append(
            f"The encryption key is in the data folder ({settings.key_file}), so a backup of the folder "
            "carries its key. Move the key to ANSWER_ENCRYPTION_KEYS (README: Keys and file modes)."
        )
    return found


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read settings once per process. Tests call `get_settings.cache_clear()`."""
    _load_dotenv()
    data_dir = Path(os.environ.get("REFLECTION_DATA_DIR", str(DEFAULT_DATA_DIR)))
    database_url = os.environ.get("DATABASE_URL", "").strip() or (f"sqlite:///{data_dir / 'reflections.db'}")
    keys = [k.strip() for k in os.environ.get("ANSWER_ENCRYPTION_KEYS", "").split(",") if k.strip()]
    practice = practice_from(
        {name: os.environ.get(name, "").strip() or default for name, default in EXAMPLE_VALUES.items()}
    )
    portal_host = os.environ.get("PORTAL_HOST", "").strip() or "127.0.0.1"
    portal_port = _int("PORTAL_PORT", 8080)
    origins = [o.strip().rstrip("/") for o in os.environ.get("WIDGET_ALLOWED_ORIGINS", "").split(",") if o.strip()]
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        encryption_keys=keys,
        timezone=os.environ.get("CLIENT_TIMEZONE", "").strip() or None,
        day_first=os.environ.get("DATE_ORDER", "").strip().lower() in ("day-first", "dmy", "day first"),
        log_level=os.environ.get("LOG_LEVEL", "INFO").strip().upper() or "INFO",
        practice=practice,
        escalation_webhook_url=os.environ.get("ESCALATION_WEBHOOK_URL", "").strip() or None,
        widget_jwt_secret=os.environ.get("WIDGET_JWT_SECRET", "").strip() or None,
        action_server_secret=os.environ.get("ACTION_SERVER_SECRET", "").strip() or None,
        widget_origins=origins or [f"http://localhost:{portal_port}", f"http://127.0.0.1:{portal_port}"],
        rasa_public_url=(os.environ.get("RASA_PUBLIC_URL", "").strip() or "http://127.0.0.1:5005").rstrip("/"),
        portal_host=portal_host,
        portal_port=portal_port,
        portal_demo=_flag("PORTAL_DEMO", True),
        local_rest_channel=_flag("LOCAL_REST_CHANNEL", False),
        portal_cookie_secure=_flag("PORTAL_COOKIE_SECURE", False),
        portal_public_url=(os.environ.get("PORTAL_PUBLIC_URL", "").strip().rstrip("/") or None),
        rasa_endpoints=PROJECT_ROOT / (os.environ.get("RASA_ENDPOINTS", "").strip() or "endpoints.yml"),
        retention_days=_int("RETENTION_DAYS", 0),
        chat_per_minute=_int("CHAT_MESSAGES_PER_MINUTE", 120),
        chat_burst=_int("CHAT_BURST", 30),
        chat_per_minute_per_address=_int("CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS", 600),
        portal_per_minute_per_address=_int("PORTAL_REQUESTS_PER_MINUTE_PER_ADDRESS", 300),
    )
