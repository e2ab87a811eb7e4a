"""Clinician sign-in: scrypt password hashes, throttling of failed sign-ins
per address (no account lock that anyone could set off), server-side
sessions behind an HttpOnly, SameSite cookie, and a CSRF token for every
form (the sign-in form's signed with the portal's secret)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Dict, Optional

from bot.store import clinicians as repo
from bot.store.db import unit_of_work

SESSION_COOKIE = "reflection_portal"
LOGIN_CSRF_COOKIE = "reflection_login_csrf"
SESSION_HOURS = 8
MAX_FAILED_LOGINS = 10  # from one address in THROTTLE_MINUTES, then it waits
THROTTLE_MINUTES = 15
MIN_PASSWORD_CHARS = 12
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt${n}${r}${p}${salt}${digest}".format(
        salt=base64.b64encode(salt).decode(), digest=base64.b64encode(digest).decode(), **_SCRYPT
    )


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), dklen=32, n=int(n), r=int(r), p=int(p)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, base64.b64decode(digest))


_DUMMY_HASH = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(8))
    return _DUMMY_HASH


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SignIn:
    ok: bool
    message: str = ""
    session_token: Optional[str] = None


WRONG = "That username and password do not match. Please try again."
THROTTLED = (
    f"Too many failed sign-ins from this address. Please wait {THROTTLE_MINUTES} minutes, "
    "or ask the practice's administrator."
)


class Throttle:
    """Events per key (an address) in a sliding window, in this process: failed
    sign-ins here, new demo chats in `app.py`. For sign-ins the same for every
    username, known or not, so it tells nothing."""

    def __init__(self, limit: int = MAX_FAILED_LOGINS, minutes: float = THROTTLE_MINUTES) -> None:
        self.limit, self.seconds = limit, minutes * 60
        self.events: Dict[str, list] = {}

    def _recent(self, key: str) -> list:
        now = time.monotonic()
        recent = [t for t in self.events.get(key, []) if t > now - self.seconds]
        self.events[key] = recent
        return recent

    def blocked(self, key: str) -> bool:
        return len(self._recent(key)) >= self.limit

    def add(self, key: str) -> None:
        if len(self.events) > 10_000:  # forget quiet keys so the table stays small
            self.events = {k: t for k, t in self.events.items() if self._recent(k)}
        self._recent(key).append(time.monotonic())


def sign_in(username: str, password: str, address: str = "", throttle: Optional[Throttle] = None) -> SignIn:
    """Unknown usernames and wrong passwords get the same answer in the same
    time; an address with too many failures gets THROTTLED, whoever it names."""
    if throttle is not None and throttle.blocked(address):
        verify_password(password, _dummy_hash())  # the same time as any other answer
        with unit_of_work() as session:
            repo.audit(session, "unknown", "sign_in_throttled")
        return SignIn(False, THROTTLED)
    with unit_of_work() as session:
        clinician = repo.clinician_named(session, username)
        stored = clinician.password_hash if clinician is not None else _dummy_hash()  # the same time either way
        if not verify_password(password, stored) or clinician is None or clinician.disabled_at is not None:
            if throttle is not None:
                throttle.add(address)
            repo.audit(session, f"clinician:{clinician.username}" if clinician else "unknown", "sign_in_failed")
            return SignIn(False, WRONG)
        actor = f"clinician:{clinician.username}"
        token = secrets.token_urlsafe(32)
        repo.open_session(session, clinician.id, token_hash(token), secrets.token_urlsafe(32), SESSION_HOURS)
        repo.audit(session, actor, "signed_in")
        return SignIn(True, session_token=token)


def csrf_ok(expected: Optional[str], given: Optional[str]) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def signed_csrf(secret: str) -> str:
    """A sign-in form's CSRF value: a nonce and its HMAC with the portal's secret."""
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).hexdigest()}"


def signed_csrf_ok(secret: str, cookie: Optional[str], given: Optional[str]) -> bool:
    """The form's value is the cookie's, and the server signed it."""
    if not csrf_ok(cookie, given):
        return False
    nonce, _, mac = str(given).partition(".")
    return hmac.compare_digest(mac, hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).hexdigest())
