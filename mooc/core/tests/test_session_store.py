"""The session engine (mooc/core/session_store.py): Django's cached_db, with a new
key drawn without asking and a rotated session written once."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mooc.core.session_store import SessionStore

pytestmark = pytest.mark.django_db


def session_statements(queries: Any) -> list[str]:
    return [q["sql"].split()[0] for q in queries if "django_session" in q["sql"]]


def test_a_new_session_is_inserted_without_asking_whether_its_key_exists() -> None:
    store = SessionStore()
    store["a"] = 1
    with CaptureQueriesContext(connection) as queries:
        store.save()
    assert session_statements(queries.captured_queries) == ["INSERT"]
    assert store.session_key and Session.objects.filter(pk=store.session_key).exists()


def test_a_session_survives_the_loss_of_its_cache_entry() -> None:
    store = SessionStore()
    store["learner"] = 42
    store.save()
    caches[settings.SESSION_CACHE_ALIAS].delete(store.cache_key)  # Redis restarted or flushed
    assert SessionStore(store.session_key)["learner"] == 42


def test_a_rotated_session_keeps_its_data_under_a_new_key_written_once() -> None:
    store = SessionStore()
    store["before"] = "x"
    store.save()
    old = store.session_key
    with CaptureQueriesContext(connection) as queries:
        store.cycle_key()
        store["_auth_user_id"] = "7"  # what login() adds after rotating
        store.save()  # the middleware, at the end of the request
    assert store.session_key and store.session_key != old
    # Django deletes the old row by reading it first (SELECT, DELETE).
    assert session_statements(queries.captured_queries) == ["SELECT", "DELETE", "INSERT"]
    assert not Session.objects.filter(pk=old).exists()
    assert SessionStore(old).load() == {}  # neither in the database nor in the cache
    again = SessionStore(store.session_key)
    assert again["before"] == "x" and again["_auth_user_id"] == "7"


def test_a_drawn_key_that_is_taken_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    taken = SessionStore()
    taken["owner"] = "first"
    taken.save()
    assert taken.session_key is not None
    keys = iter([taken.session_key, "b" * 32])
    store = SessionStore()
    monkeypatch.setattr(store, "_get_new_session_key", lambda: next(keys))
    store["owner"] = "second"
    store.save()
    assert store.session_key == "b" * 32
    assert SessionStore(taken.session_key)["owner"] == "first"  # not overwritten


def test_the_captcha_store_is_indexed_by_expiry() -> None:
    """Every captcha check deletes the expired rows first (migration core/0006)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "captcha_captchastore")
    assert any(c["index"] and c["columns"] == ["expiration"] for c in constraints.values())
