"""Fixtures shared by every test. Model factories live in each app's tests/factories.py,
helpers that are not factories in tests/helpers.py; test modules import from those,
never from each other."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
from mooc.exams.selectors.attempts import exam_cache_forget, taking_cache_clear
from mooc.exams.services.snapshots import snapshot_cache_clear
from mooc.exams.services.submission import weights_cache_clear


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
    # The exam snapshots each process remembers: a rolled-back test reuses their ids.
    snapshot_cache_clear()
    taking_cache_clear()
    exam_cache_forget()
    weights_cache_clear()


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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "real_mfa: `client.force_login` leaves a staff session without its second step, "
        "as a password-only sign-in would",
    )


def mfa_session_verify(client: Client, user: Any) -> None:
    """Give `client`'s session for `user` a passed second step, as the verify page
    does (django_otp.login): a confirmed TOTP device and its id in the session."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


_plain_force_login = Client.force_login


@pytest.fixture(autouse=True)
def _staff_force_login_passes_mfa(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Staff must pass a second step before any page (mooc.accounts.services.mfa).
    Tests that sign staff in with `client.force_login` (and pytest-django's
    `admin_client`) are about what comes after, so their sessions get a passed step.
    Tests of the step itself are marked `real_mfa`. Browser tests sign in through the
    pages and type a code (e2e/conftest.py: `pass_second_step`)."""
    if request.node.get_closest_marker("real_mfa"):
        return

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        _plain_force_login(self, user, backend)
        from mooc.accounts.services.mfa import has_staff_role, is_enrolled

        if has_staff_role(user) or is_enrolled(user):
            mfa_session_verify(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


# --- Object storage ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """An S3-compatible server on a free loopback port (moto's server mode, in a
    thread of this process): real HTTP, real signatures, nothing outside the machine."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_private(s3_server: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Private files on `s3_server`, in a fresh bucket, as S3_BUCKET would configure
    them; presigned redirects on. Yields the storage (mooc.core.s3.PrivateS3Storage).

    Model fields took their storage when the models were built, so each field on
    private storage is pointed at this one for the test."""
    import uuid

    import boto3
    from django.apps import apps
    from django.db.models import FileField

    from mooc.core.files import private_storage

    bucket = f"mooc-test-{uuid.uuid4().hex[:12]}"
    options = {
        "endpoint_url": s3_server,
        "region_name": "us-east-1",
        "addressing_style": "path",
        "access_key": "test-key",
        "secret_key": "test-secret",  # moto accepts any key
    }
    boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=options["region_name"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
    ).create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "mooc.core.s3.PrivateS3Storage",
            "OPTIONS": {**options, "bucket_name": bucket, "location": "private"},
        },
    }
    settings.PRIVATE_MEDIA_PRESIGNED = True
    settings.PRIVATE_MEDIA_PRESIGNED_SECONDS = 300
    settings.PRIVATE_MEDIA_USE_ACCEL = True  # as in production: must not apply to S3
    storage = private_storage()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, FileField)
                and getattr(field, "_storage_callable", None) is private_storage
            ):
                monkeypatch.setattr(field, "storage", storage)
    yield storage
