"""The one place that reads the environment.

Values come from the process environment, then from the project's `.env`
(python-dotenv, never overriding what the environment already says). Every
setting is documented in `.env.example` and the README.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import List, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "var"


def _load_dotenv() -> None:
    from dotenv import load_dotenv

    env_file = os.environ.get("REFLECTION_ENV_FILE", str(PROJECT_ROOT / ".env"))
    if os.path.exists(env_file):
        load_dotenv(env_file, override=False)


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

    def as_template_values(self) -> dict:
        return {
            "practice_name": self.name,
            "clinician_name": self.clinician_name,
            "clinician_phone": self.clinician_phone,
            "clinician_hours": self.clinician_hours,
            "aftercare_contacts": "\n".join(f"- {c}" for c in self.aftercare),
            "crisis_line": self.crisis_line,
            "emergency_number": self.emergency_number,
        }


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    encryption_keys: List[str] = field(default_factory=list)
    timezone: Optional[str] = None
    log_level: str = "INFO"
    practice: Optional[Practice] = None
    escalation_webhook_url: Optional[str] = None

    @property
    def key_file(self) -> Path:
        return self.data_dir / "answers.key"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read settings once per process. Tests call `get_settings.cache_clear()`."""
    _load_dotenv()
    data_dir = Path(os.environ.get("REFLECTION_DATA_DIR", str(DEFAULT_DATA_DIR)))
    database_url = os.environ.get("DATABASE_URL", "").strip() or (
        f"sqlite:///{data_dir / 'reflections.db'}"
    )
    keys = [k.strip() for k in os.environ.get("ANSWER_ENCRYPTION_KEYS", "").split(",") if k.strip()]
    values = {name: os.environ.get(name, "").strip() or default for name, default in EXAMPLE_VALUES.items()}
    practice = Practice(
        name=values["PRACTICE_NAME"],
        clinician_name=values["CLINICIAN_NAME"],
        clinician_phone=values["CLINICIAN_PHONE"],
        clinician_hours=values["CLINICIAN_HOURS"],
        aftercare=[c.strip() for c in values["AFTERCARE_CONTACTS"].split(";") if c.strip()],
        crisis_line=values["CRISIS_LINE"],
        emergency_number=values["EMERGENCY_NUMBER"],
        example_values_in_use=[n for n, v in values.items() if v == EXAMPLE_VALUES[n]],
    )
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        encryption_keys=keys,
        timezone=os.environ.get("CLIENT_TIMEZONE", "").strip() or None,
        log_level=os.environ.get("LOG_LEVEL", "INFO").strip().upper() or "INFO",
        practice=practice,
        escalation_webhook_url=os.environ.get("ESCALATION_WEBHOOK_URL", "").strip() or None,
    )
