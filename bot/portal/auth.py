"""Clinician sign-in: scrypt password hashes, lockout after repeated
failures, server-side sessions behind an HttpOnly, SameSite cookie, and a
CSRF token for every form."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Optional

from bot.store import clinicians as repo
from bot.store.db import unit_of_work

SESSION_COOKIE = "reflection_portal"
LOGIN_CSRF_COOKIE = "reflection_login_csrf"
SESSION_HOURS = 8
MAX_FAILED_LOGINS = 5       # in a row, then the account is locked
LOCKOUT_MINUTES = 15
MIN_PASSWORD_CHARS = 12
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt${n}${r}${p}${salt}${digest}".format(
        salt=base64.b64encode(salt).decode(), digest=base64.b64encode(digest).decode(), **_SCRYPT)


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), dklen=32,
                                n=int(n), r=int(r), p=int(p))
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
LOCKED = (f"This account is locked for {LOCKOUT_MINUTES} minutes after {MAX_FAILED_LOGINS} failed "
          "sign-ins in a row. Please wait, or ask the practice's administrator.")


def sign_in(username: str, password: str) -> SignIn:
    with unit_of_work() as session:
        clinician = repo.clinician_named(session, username)
        if clinician is None:
            verify_password(password, _dummy_hash())  # the same time as a real check
            repo.audit(session, "unknown", "sign_in_failed")
            return SignIn(False, WRONG)
        actor = f"clinician:{clinician.username}"
        if repo.is_locked(clinician):
            repo.audit(session, actor, "sign_in_refused_locked")
            return SignIn(False, LOCKED)
        if not verify_password(password, clinician.password_hash):
            locked = repo.note_failed_login(session, clinician, MAX_FAILED_LOGINS, LOCKOUT_MINUTES)
            repo.audit(session, actor, "account_locked" if locked else "sign_in_failed")
            return SignIn(False, LOCKED if locked else WRONG)
        clinician.failed_logins = 0
        token = secrets.token_urlsafe(32)
        repo.open_session(session, clinician.id, token_hash(token), secrets.token_urlsafe(32), SESSION_HOURS)
        repo.audit(session, actor, "signed_in")
        return SignIn(True, session_token=token)


def csrf_ok(expected: Optional[str], given: Optional[str]) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
