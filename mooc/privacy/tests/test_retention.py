"""The retention jobs, each run as beat or cron runs it (`run_periodic_jobs`)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from mooc.accounts.models import AccountToken, TokenPurpose, User
from mooc.accounts.services.tokens import token_issue
from mooc.accounts.tests.factories import UserFactory
from mooc.core.files import private_storage
from mooc.core.periodic import JOBS, beat_schedule
from mooc.privacy.models import DataExport, DataExportState

pytestmark = pytest.mark.django_db

RETENTION_JOBS = {
    "clear-expired-sessions",
    "purge-unactivated-accounts",
    "purge-expired-account-tokens",
    "purge-expired-captchas",
    "purge-expired-data-exports",
}


def run(job: str) -> None:
    call_command("run_periodic_jobs", job=[job], force=True, stdout=io.StringIO())


def test_every_retention_job_is_scheduled_for_beat() -> None:
    assert {job.name for job in JOBS} >= RETENTION_JOBS
    assert set(settings.CELERY_BEAT_SCHEDULE) >= RETENTION_JOBS
    assert beat_schedule() == settings.CELERY_BEAT_SCHEDULE


def test_tokens_are_deleted_a_retention_period_after_they_expire() -> None:
    user = UserFactory.create()
    now = timezone.now()
    days = settings.ACCOUNT_TOKEN_RETENTION_DAYS
    token_issue(user=user, purpose=TokenPurpose.ACTIVATION, lifetime=dt.timedelta(hours=24))
    token_issue(user=user, purpose=TokenPurpose.EMAIL_CHANGE, lifetime=dt.timedelta(hours=24))
    old, recent = AccountToken.objects.order_by("pk")
    # Long expired (used or not): gone. Expired a moment ago: kept, so a late click
    # still says "expired".
    AccountToken.objects.filter(pk=old.pk).update(expires_at=now - dt.timedelta(days=days + 1))
    AccountToken.objects.filter(pk=recent.pk).update(expires_at=now - dt.timedelta(hours=1))

    run("purge-expired-account-tokens")

    assert list(AccountToken.objects.values_list("pk", flat=True)) == [recent.pk]


@override_settings(ACCOUNT_TOKEN_RETENTION_DAYS=0)
def test_the_token_retention_is_configurable() -> None:
    user = UserFactory.create()
    token_issue(user=user, purpose=TokenPurpose.ACTIVATION, lifetime=dt.timedelta(hours=24))
    AccountToken.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    run("purge-expired-account-tokens")
    assert not AccountToken.objects.exists()


def test_expired_captchas_are_deleted() -> None:
    CaptchaStore.generate_key()
    stale_key = CaptchaStore.generate_key()
    CaptchaStore.objects.filter(hashkey=stale_key).update(
        expiration=timezone.now() - dt.timedelta(minutes=1)
    )
    run("purge-expired-captchas")
    assert CaptchaStore.objects.count() == 1
    assert not CaptchaStore.objects.filter(hashkey=stale_key).exists()


def test_expired_sessions_are_deleted() -> None:
    live = SessionStore()
    live["x"] = 1
    live.create()
    stale = SessionStore()
    stale["x"] = 2
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    run("clear-expired-sessions")
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def _export(user: User, *, expires_in: dt.timedelta) -> DataExport:
    export = DataExport(
        user=user, state=DataExportState.DONE, expires_at=timezone.now() + expires_in
    )
    export.file.save("x.zip", ContentFile(b"PK"), save=False)
    export.save()
    return export


def test_expired_data_exports_are_deleted_with_their_files() -> None:
    user = UserFactory.create()
    expired = _export(user, expires_in=-dt.timedelta(minutes=1))
    current = _export(user, expires_in=dt.timedelta(days=1))
    failed = DataExport.objects.create(
        user=user, state=DataExportState.FAILED, expires_at=timezone.now()
    )
    expired_file = str(expired.file.name)

    run("purge-expired-data-exports")

    assert list(DataExport.objects.values_list("pk", flat=True)) == [current.pk]
    assert not private_storage().exists(expired_file)
    assert private_storage().exists(str(current.file.name))
    assert failed.pk not in DataExport.objects.values_list("pk", flat=True)


@override_settings(UNACTIVATED_ACCOUNT_DAYS=30)
def test_unactivated_accounts_are_purged_after_the_configured_days() -> None:
    now = timezone.now()
    stale = User.objects.create_user(username="lama", password="x", email="lama@example.go.id")
    recent = User.objects.create_user(username="baru", password="x", email="baru@example.go.id")
    User.objects.filter(pk=stale.pk).update(date_joined=now - dt.timedelta(days=31))
    User.objects.filter(pk=recent.pk).update(date_joined=now - dt.timedelta(days=29))

    run("purge-unactivated-accounts")

    assert list(User.objects.values_list("username", flat=True)) == ["baru"]
