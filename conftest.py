"""Fixtures shared by every test. Model factories live in each app's tests/factories.py,
helpers that are not factories in tests/helpers.py; test modules import from those,
never from each other."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from mooc.accounts.models import User
from mooc.accounts.tests.factories import SuperuserFactory, UserFactory
from mooc.accounts.tests.helpers import logged_in
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory


def _clear_test_cache() -> None:
    # On Redis only our own prefix goes: a developer's Redis may hold other data.
    if "RedisCache" in settings.CACHES["default"]["BACKEND"]:
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        prefix = settings.CACHES["default"]["KEY_PREFIX"]
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters and cached site settings must not leak between tests."""
    _clear_test_cache()
    yield
    _clear_test_cache()


@pytest.fixture
def demo_content(db: None) -> None:
    """The demo content, as `make run` loads it. The test runner turns DEBUG off,
    so the production guard of `load_demo` is lifted explicitly here."""
    from django.core.management import call_command

    call_command("load_demo", allow_production=True, verbosity=0)


@pytest.fixture
def english() -> Iterator[None]:
    """English for tests that read messages in their source language (gettext's
    msgids); the site itself speaks Indonesian first."""
    with translation.override("en"):
        yield


# --- People and courses (the factories live in each app's tests/factories.py) ----------------


@pytest.fixture
def learner(db: None) -> User:
    """An activated internal employee, enrolled nowhere. A module whose learner must be
    enrolled or signed in extends this fixture under the same name."""
    return UserFactory.create()


@pytest.fixture
def course(db: None) -> Course:
    """A published course without sections."""
    return CourseFactory.create()


@pytest.fixture
def admin_user(db: None) -> User:
    """The superuser "admin" (replaces pytest-django's, which has no full name)."""
    return SuperuserFactory.create()


@pytest.fixture
def admin_client(client: Client, admin_user: User) -> Client:
    """The test client signed in as `admin_user`, with the English interface (admin
    messages are asserted in their source language)."""
    return logged_in(client, admin_user)
