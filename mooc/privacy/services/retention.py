"""Retention jobs: what is no longer needed is removed (run by Celery beat, see
mooc/core/periodic.py; periods in config/settings.py, documented in docs/security.md).

Expired sessions (`clear-expired-sessions`) and registrations never activated
(`purge-unactivated-accounts`) have jobs of their own in mooc.core and mooc.accounts.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

from mooc.accounts.models import AccountToken
from mooc.core.files import private_storage
from mooc.privacy.models import DataExport

logger = logging.getLogger(__name__)


def account_tokens_purge(*, now: dt.datetime | None = None) -> int:
    """Delete link tokens expired more than ACCOUNT_TOKEN_RETENTION_DAYS ago (used or not)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.ACCOUNT_TOKEN_RETENTION_DAYS)
    deleted, _ = AccountToken.objects.filter(expires_at__lt=cutoff).delete()
    return deleted


def captchas_purge() -> int:
    """Delete captcha challenges past their expiry (django-simple-captcha's rows)."""
    from captcha.models import CaptchaStore

    # What CaptchaStore.remove_expired() does, with the count kept for the log.
    deleted, _ = CaptchaStore.objects.filter(expiration__lte=timezone.now()).delete()
    return int(deleted)


def data_exports_purge(*, now: dt.datetime | None = None) -> int:
    """Delete data exports past their expiry, file and row."""
    now = now or timezone.now()
    storage = private_storage()
    removed = 0
    for export in DataExport.objects.filter(expires_at__lte=now).iterator(chunk_size=200):
        name = str(export.file.name or "")
        if name:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("could not delete data export file %s", name)
                continue
        export.delete()
        removed += 1
    return removed
