"""Save tokens: who is saving, proven by a signed token and checked again by
PostgreSQL inside the save itself.

An answer save is the request an exam day is made of (3,000 learners × 20 questions
within the hour). Django's usual path reads the session from Redis, checks the CSRF
token, re-reads the user row and compares the session's auth hash in Python: about
half of a save's cost. So the question page hands exam.js a *save token* for its
attempt, which the fetch sends in the X-Save-Token header, and a save that carries a
good one reads no session at all. The token is Django's `Signer` (HMAC-SHA256 with
SECRET_KEY) over "attempt.user.expires.key.tag":

- attempt and user: the one attempt it saves into, and whose it is;
- expires: the attempt's deadline plus grace when the token was made;
- key: the attempt's `save_key`, replaced whenever the learner logs out, on any
  device (`end_save_tokens`), which ends every token of the attempt;
- tag: an HMAC of the user's password hash, under its own salt (not the session's
  auth hash, which stays server-side), so changing the password ends the tokens.

The save statement (`answers.answer_save_as`) then requires, in the same statement:
the attempt's id, owner and key as the token says; the account active, activated
and not locked (what `AccountBackend` requires); the tag recomputed from the
stored password hash with PostgreSQL's sha256() (HMAC-SHA256 written out as
sha256(outer pad || sha256(inner pad || message)), the pads derived here); the
attempt running and within its deadline plus grace.

What this gives up, consciously: the session is not read, so a token outlives its
session's idle timeout (4 h) or absolute age (12 h) by at most the attempt's
remaining time, and deleting a session on the server leaves its token working until
the attempt ends. Logging out, changing the password, locking or deactivating the
account still stop saves at once. A token can do one thing only: save answers into
its own running attempt.

CSRF: only a script of this site can set the X-Save-Token header (another site's
form cannot, and a cross-site fetch with it needs a CORS preflight that is never
granted), and the token is unguessable, so it protects the fast path; a save
without a good token goes through Django's CSRF check and the full session
authentication (`views._save_checked`), which also explains any refusal and hands
out a fresh token.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass

from django.core.signing import BadSignature, Signer
from django.db import DEFAULT_DB_ALIAS, connection
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from mooc.accounts.models import User
from mooc.exams.models import Attempt, AttemptState, new_save_key

HEADER = "HTTP_X_SAVE_TOKEN"
_SIGNER_SALT = "mooc.exams.save_token"
_TAG_SALT = "mooc.exams.save_token.password"
_BLOCK = 64  # SHA-256 block size in bytes
_MAX_LENGTH = 400  # a real token is about 200 characters


@dataclass(frozen=True)
class SaveToken:
    """A token's claim: "user `user_id` may save into attempt `attempt_id`"."""

    attempt_id: int
    user_id: int
    expires: int
    save_key: str
    password_tag: str


def password_tag(password_hash: str) -> str:
    return salted_hmac(_TAG_SALT, password_hash, algorithm="sha256").hexdigest()


@functools.lru_cache(maxsize=4)
def hmac_pads(secret: str) -> tuple[bytes, bytes]:
    """The inner and outer HMAC-SHA256 pads of `password_tag`'s key.

    `salted_hmac(salt, value, secret, algorithm="sha256")` keys the HMAC with
    sha256(salt + secret); a key shorter than the block is padded with zeros.
    """
    key = hashlib.sha256((_TAG_SALT + secret).encode()).digest().ljust(_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def save_token_issue(*, attempt: Attempt, user: User, grace: dt.timedelta) -> str:
    """A token for `user` (with its password hash loaded) to save into `attempt`."""
    assert attempt.user_id == user.pk, "a save token is for the attempt's owner only"
    expires = int((attempt.deadline + grace).timestamp())
    value = f"{attempt.pk}.{user.pk}.{expires}.{attempt.save_key}.{password_tag(user.password)}"
    return Signer(salt=_SIGNER_SALT).sign(value)


def save_token_read(request: HttpRequest, *, attempt_id: int, now: dt.datetime) -> SaveToken | None:
    """The request's save token for `attempt_id` if it carries a good one, else None
    (then the caller takes the fully checked path). Only on PostgreSQL, where the
    save statement checks the rest."""
    raw = request.META.get(HEADER, "")
    if not raw or len(raw) > _MAX_LENGTH or connection.vendor != "postgresql":
        return None
    try:
        value = Signer(salt=_SIGNER_SALT).unsign(raw)
    except BadSignature:
        return None
    parts = value.split(".")
    if len(parts) != 5:
        return None
    try:
        attempt, user, expires = int(parts[0]), int(parts[1]), int(parts[2])
    except ValueError:
        return None
    if attempt != attempt_id or expires < now.timestamp():
        return None
    return SaveToken(attempt, user, expires, save_key=parts[3], password_tag=parts[4])


def end_save_tokens(user: User) -> None:
    """Give the user's running attempts new keys: their save tokens stop working
    (called on logout; exam pages of other devices get new ones on their next save)."""
    running = Attempt.objects.filter(user=user, state=AttemptState.IN_PROGRESS)
    for pk in running.values_list("pk", flat=True):
        Attempt.objects.filter(pk=pk).update(save_key=new_save_key())


def user_verified(request: HttpRequest, user_id: int) -> None:
    """Once the database has verified the token, stand its user in for `request.user`
    without reading the row: every field but the id loads on first access (as with
    `.only("id")`), so code after the view (the request log) costs no query."""
    request.user = User.from_db(DEFAULT_DB_ALIAS, ["id"], [user_id])
