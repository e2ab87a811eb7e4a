"""Encryption of free text at rest (Fernet from `cryptography`).

Keys come from ANSWER_ENCRYPTION_KEYS (comma separated, newest first, so a
rotation adds a new key in front and keeps the old ones readable). Without it,
a key is generated once into the data directory (embedded default, mode 0600).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, Tuple

from cryptography.fernet import Fernet, MultiFernet

from bot.settings import Settings, read_or_create_secret


# The key file's key, by the file's identity: read once, not on every event of
# every tracker read; read again if the file is replaced.
_read_keys: Dict[Tuple[str, int, int, int], str] = {}


def _key_file_key(settings: Settings) -> str:
    path = settings.key_file
    if not path.exists():
        return read_or_create_secret(path, lambda: Fernet.generate_key().decode())
    stat = path.stat()
    identity = (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
    if identity not in _read_keys:
        if len(_read_keys) > 8:
            _read_keys.clear()
        _read_keys[identity] = read_or_create_secret(path, lambda: Fernet.generate_key().decode())
    return _read_keys[identity]


@lru_cache(maxsize=8)
def _cipher(keys: Tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def cipher_for(settings: Settings) -> MultiFernet:
    keys = tuple(settings.encryption_keys) or (_key_file_key(settings),)
    return _cipher(keys)


def encrypt(settings: Settings, text: str) -> str:
    return cipher_for(settings).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(settings: Settings, token: str) -> str:
    return cipher_for(settings).decrypt(token.encode("ascii")).decode("utf-8")
