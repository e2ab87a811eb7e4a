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
from datetime import timezone
from typing import Optional

import jwt

from bot.settings import Settings, get_settings, read_or_create_secret

CHANNEL = "reflection"  # the widget's channel, the one that checks these tokens
ALGORITHM = "HS256"
MIN_SECRET_CHARS = 32
CLIENT_ID = re.compile(r"[A-Za-z0-9_.:@-]{1,128}")  # always with fullmatch; ".." is refused too
# The longest a token may live (exp - iat): a chat link lasts a week at most.
MAX_HOURS = 7 * 24
CLOCK_SKEW_SECONDS = 60


class BadToken(ValueError):
    """The token is missing, expired, forged or malformed."""


def secret(settings: Optional[Settings] = None) -> str:
    settings = settings or get_settings()
    value = settings.widget_jwt_secret or read_or_create_secret(
        settings.widget_secret_file, lambda: secrets.token_urlsafe(48)
    )
    if len(value) < MIN_SECRET_CHARS:
        raise SystemExit(f"WIDGET_JWT_SECRET must be at least {MIN_SECRET_CHARS} characters long.")
    return value


def valid_client_id(client_id: object) -> bool:
    return isinstance(client_id, str) and bool(CLIENT_ID.fullmatch(client_id)) and ".." not in client_id


def mint(client_id: str, hours: float = 12, settings: Optional[Settings] = None, purpose: Optional[str] = None) -> str:
    """A token for the chat, or (with a `purpose`) for that one use only."""
    if not valid_client_id(client_id):
        raise ValueError('A client id is 1-128 letters, digits and . _ : @ - (no "..")')
    if not 0 < hours <= MAX_HOURS:
        raise ValueError(f"A token lives at most {MAX_HOURS} hours")
    now = int(time.time())
    claims = {"sub": client_id, "iat": now, "exp": now + int(hours * 3600)}
    if purpose:
        claims["purpose"] = purpose
        claims["jti"] = secrets.token_urlsafe(16)
    return jwt.encode(claims, secret(settings), algorithm=ALGORITHM)


def claims_of(token: Optional[str], settings: Optional[Settings] = None, purpose: Optional[str] = None) -> dict:
    """The claims of a valid token; raises BadToken otherwise. A token minted
    for a purpose (a download link) is good for that only; one issued before
    its client deleted their data is good for nothing."""
    if not token:
        raise BadToken("missing")
    try:
        claims = jwt.decode(
            token,
            secret(settings),
            algorithms=[ALGORITHM],
            leeway=CLOCK_SKEW_SECONDS,
            options={"require": ["sub", "exp", "iat"], "verify_signature": True},
        )
    except jwt.PyJWTError as problem:
        raise BadToken(type(problem).__name__) from None
    if claims.get("purpose") != purpose:
        raise BadToken("wrong purpose")
    if not valid_client_id(claims.get("sub")):
        raise BadToken("bad subject")
    iat, exp = claims["iat"], claims["exp"]
    if not all(isinstance(v, int) for v in (iat, exp)) or exp - iat > MAX_HOURS * 3600:
        raise BadToken("lifetime too long")
    if purpose and not isinstance(claims.get("jti"), str):
        raise BadToken("no id")
    if _issued_before_erasure(claims["sub"], iat, settings):
        raise BadToken("issued before the client deleted their data")
    return claims


def client_of(token: Optional[str], settings: Optional[Settings] = None, purpose: Optional[str] = None) -> str:
    """The client id a valid token speaks for; raises BadToken otherwise."""
    return claims_of(token, settings, purpose)["sub"]


def _issued_before_erasure(client_id: str, iat: int, settings: Optional[Settings]) -> bool:
    from bot.store import repository
    from bot.store.db import unit_of_work

    with unit_of_work(settings) as session:
        erased = repository.erased_at(session, client_id)
    return erased is not None and iat < int(erased.replace(tzinfo=timezone.utc).timestamp())


def bearer(header: Optional[str]) -> Optional[str]:
    """The token of an `Authorization: Bearer <token>` header."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
