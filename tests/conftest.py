import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A fresh reflection store (SQLite) and key for one test."""
    from bot import settings

    monkeypatch.setenv("REFLECTION_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("REFLECTION_ENV_FILE", str(tmp_path / "no.env"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("ANSWER_ENCRYPTION_KEYS", raising=False)
    settings.get_settings.cache_clear()
    yield tmp_path
    settings.get_settings.cache_clear()
