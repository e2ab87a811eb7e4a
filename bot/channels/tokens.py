"""Widget tokens: a JWT signed with HS256 and the practice's shared secret
(WIDGET_JWT_SECRET), whose `sub` is the pseudonymous client id.

The practice's own site mints them (see the README); `python -m bot
mint-link` does it from the command line. The channel trusts nothing else
about who is writing.
"""
from __future__ import annotations

import re
import secrets
import time
from typing import Optional

import jwt

from bot.settings import Settings, get_settings, read_or_create_secret

CHANNEL = "reflection"  # the widget's channel, the one that checks these tokens
ALGORITHM = "HS256"
MIN_SECRET_CHARS = 32
CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:@-]{1,128}$")


class BadToken(ValueError):
    """The token is missing, expired, forged or malformed."""


def secret(settings: Optional[Settings] = None) -> str:
    settings = settings or get_settings()
    value = settings.widget_jwt_secret or read_or_create_secret(
        settings.widget_secret_file, lambda: secrets.token_urlsafe(48))
    if len(value) < MIN_SECRET_CHARS:
        raise SystemExit(f"WIDGET_JWT_SECRET must be at least {MIN_SECRET_CHARS} characters long.")
    return value


def mint(client_id: str, hours: float = 12, settings: Optional[Settings] = None,
         purpose: Optional[str] = None) -> str:
    """A token for the chat, or (with a `purpose`) for that one thing only."""
    if not CLIENT_ID.match(client_id):
        raise ValueError("A client id is 1-128 letters, digits and . _ : @ -")
    now = int(time.time())
    claims = {"sub": client_id, "iat": now, "exp": now + int(hours * 3600)}
    if purpose:
        claims["purpose"] = purpose
    return jwt.encode(claims, secret(settings), algorithm=ALGORITHM)


def client_of(token: Optional[str], settings: Optional[Settings] = None, purpose: Optional[str] = None) -> str:
    """The client id a valid token speaks for; raises BadToken otherwise.
    A token minted for a purpose (a download link) is good for that only."""
    if not token:
        raise BadToken("missing")
    try:
        claims = jwt.decode(token, secret(settings), algorithms=[ALGORITHM],
                            options={"require": ["sub", "exp"], "verify_signature": True})
    except jwt.PyJWTError as problem:
        raise BadToken(type(problem).__name__) from None
    if claims.get("purpose") != purpose:
        raise BadToken("wrong purpose")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not CLIENT_ID.match(sub):
        raise BadToken("bad subject")
    return sub


def bearer(header: Optional[str]) -> Optional[str]:
    """The token of an `Authorization: Bearer <token>` header."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
