"""Evaluation sets live in folders named DATE-roundN, oldest first: round10
comes after round9 (a plain string sort would put it before round2)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List


def _key(path: Path) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def in_order(parent: Path) -> List[Path]:
    """The set folders under `parent`, oldest first."""
    return sorted((p for p in parent.iterdir() if p.is_dir()), key=_key) if parent.exists() else []
