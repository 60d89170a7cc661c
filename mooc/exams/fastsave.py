"""Who is saving: the signed-in learner as PostgreSQL checks it inside the save itself.

An answer save is the request an exam day is made of (3,000 learners × 20 questions
within the hour). Django's usual authentication re-reads the user row on every
request and compares the session's "auth hash" (an HMAC of the password hash) in
Python. Here the same checks are folded into the save's one SQL statement
(`engine.answer_save_as`), so a save costs the session lookup and one statement:

- the user id and the auth hash come from the server-side session (Redis, written
  through to the database), exactly the values `django.contrib.auth.get_user` uses;
- the statement joins the user row and requires what `AccountBackend` requires
  (active, activated, not locked) and recomputes the session auth hash from the
  stored password hash with PostgreSQL's sha256(): HMAC-SHA256 written out as
  sha256(outer pad || sha256(inner pad || message)), the pads derived here from
  SECRET_KEY. Changing the password therefore still ends the other sessions, and
  deactivating or locking an account still stops its saves at once.

Nothing is given up against `get_user`, with one exception that falls back instead
of failing: a session signed with a key from SECRET_KEY_FALLBACKS does not match
here, so the caller takes the usual path, which accepts it and rotates the hash.
Whenever this returns None or the statement does not apply, the caller uses the
ordinary, fully checked path, which also explains any refusal.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import DEFAULT_DB_ALIAS, connection
from django.http import HttpRequest

from mooc.accounts.backends import AccountBackend
from mooc.accounts.models import User

_BACKEND = f"{AccountBackend.__module__}.{AccountBackend.__qualname__}"
# Django's salt for `AbstractBaseUser.get_session_auth_hash`.
_KEY_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
_BLOCK = 64  # SHA-256 block size in bytes


@dataclass(frozen=True)
class SessionIdentity:
    """A session's claim: "I am user `user_id`, whose password hash gives `auth_hash`"."""

    user_id: int
    auth_hash: str


@functools.lru_cache(maxsize=4)
def hmac_pads(secret: str) -> tuple[bytes, bytes]:
    """The inner and outer HMAC-SHA256 pads of Django's session auth hash key.

    `salted_hmac(salt, value, secret, algorithm="sha256")` keys the HMAC with
    sha256(salt + secret); a key shorter than the block is padded with zeros.
    """
    key = hashlib.sha256((_KEY_SALT + secret).encode()).digest().ljust(_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def session_identity(request: HttpRequest) -> SessionIdentity | None:
    """The identity the session claims, or None when the fast path does not apply
    (not PostgreSQL, not logged in, or logged in through another backend)."""
    if connection.vendor != "postgresql":
        return None
    session = request.session
    try:
        user_id = int(session[SESSION_KEY])
        backend = session[BACKEND_SESSION_KEY]
        auth_hash = str(session[HASH_SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None
    if backend != _BACKEND or backend not in settings.AUTHENTICATION_BACKENDS or not auth_hash:
        return None
    return SessionIdentity(user_id=user_id, auth_hash=auth_hash)


def user_verified(request: HttpRequest, identity: SessionIdentity) -> None:
    """Once the database has verified `identity`, stand it in for `request.user`
    without reading the row: every field but the id loads on first access (as with
    `.only("id")`), so code after the view (the request log) costs no query."""
    request.user = User.from_db(DEFAULT_DB_ALIAS, ["id"], [identity.user_id])
