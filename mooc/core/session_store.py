"""The session engine: Django's `cached_db` (Redis in front of the database, so a
Redis restart logs nobody out) with two round trips less when a session begins.

At login Django asks the cache and the database whether a freshly drawn random key is
taken (a GET and a SELECT) before inserting it with `must_create`, which fails on a
taken key anyway; and `login()` rotates the key by writing the session under the new
key at once, then writing it again at the end of the request, when the user is in it.
On a login storm those are four of a login's round trips. Here a new key is drawn
without asking, and a rotated session is written once, when the request ends.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore
from django.utils.crypto import get_random_string


class SessionStore(CachedDbSessionStore):
    def _get_new_session_key(self) -> str:
        # 32 characters of 36: a collision is as likely as guessing a key. If it ever
        # happens, the INSERT (must_create) fails and `create()` draws again.
        return get_random_string(32, VALID_KEY_CHARS)

    def cycle_key(self) -> None:
        """Keep the data, drop the old key now, and let the save at the end of the
        request create the new one (fixation protection as Django's own)."""
        data = dict(self.items())
        key = self.session_key
        self._session_key = None
        self._session_cache = data
        self.modified = True
        if key:
            self.delete(key)

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            # create() comes back here with the new key and must_create.
            return self.create()
        super().save(must_create)
