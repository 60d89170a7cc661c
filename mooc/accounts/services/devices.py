"""Device tokens for the mobile app (the REST API in mooc/api).

Signing in on a device gives it two opaque random tokens: an access token that lives
`DEVICE_ACCESS_SECONDS` (15 minutes) and a refresh token that lives
`DEVICE_REFRESH_SECONDS` (30 days) and is replaced each time it is used (rotation).
Only their SHA-256 hashes are stored (`DeviceToken`), so a leaked database signs
nobody in.

A device is signed out, its row deleted, when: the app logs out; the learner signs it
out in Pengaturan; the password changes (`devices_revoke_all`, and the row's password
tag no longer matching catches a change made anywhere else); an old refresh token is
presented again (a copy is in use: the device is signed out). An account deactivated,
locked or not activated is refused on every request (`device_authenticate` checks what
`AccountBackend` checks), like a web session.

Why not a library: django-rest-knox and simplejwt are built for Django REST
framework (the API uses django-ninja); JWTs cannot be revoked before they expire
without a lookup, and the lookup is what this does in one indexed query.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from mooc.accounts.models import DeviceToken, User

_TAG_SALT = "mooc.accounts.device_token.password"
LABEL_MAX = 100


@dataclass(frozen=True)
class DeviceTokens:
    access: str
    refresh: str
    access_expires_in: int  # seconds
    refresh_expires_in: int
    device_id: int


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _password_tag(user: User) -> str:
    return salted_hmac(_TAG_SALT, user.password, algorithm="sha256").hexdigest()


def _lifetimes() -> tuple[int, int]:
    return settings.DEVICE_ACCESS_SECONDS, settings.DEVICE_REFRESH_SECONDS


def _new_pair(device: DeviceToken, now: dt.datetime) -> tuple[str, str]:
    access_seconds, refresh_seconds = _lifetimes()
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    device.access_hash = _hash(access)
    device.access_expires_at = now + dt.timedelta(seconds=access_seconds)
    device.refresh_hash = _hash(refresh)
    device.refresh_expires_at = now + dt.timedelta(seconds=refresh_seconds)
    return access, refresh


def _tokens(device: DeviceToken, access: str, refresh: str) -> DeviceTokens:
    access_seconds, refresh_seconds = _lifetimes()
    return DeviceTokens(access, refresh, access_seconds, refresh_seconds, device.pk)


def device_sign_in(*, user: User, label: str) -> DeviceTokens:
    """New tokens for a device of `user`, who has just proven their password."""
    now = timezone.now()
    device = DeviceToken(
        user=user, label=label.strip()[:LABEL_MAX] or "?", password_tag=_password_tag(user)
    )
    access, refresh = _new_pair(device, now)
    device.last_used_at = now
    device.save()
    return _tokens(device, access, refresh)


def _usable(device: DeviceToken) -> bool:
    user = device.user
    return user.can_log_in and constant_time_compare(device.password_tag, _password_tag(user))


def device_authenticate(raw_access: str) -> tuple[User, DeviceToken] | None:
    """The user and device of a good access token; None for a missing, expired,
    revoked or forged one, or an account that may not log in (one query)."""
    if not raw_access or len(raw_access) > 100:
        return None
    device = (
        DeviceToken.objects.select_related("user")
        .filter(access_hash=_hash(raw_access), access_expires_at__gt=timezone.now())
        .first()
    )
    if device is None or not _usable(device):
        return None
    return device.user, device


@transaction.atomic
def device_refresh(raw_refresh: str) -> DeviceTokens | None:
    """Rotate: a good refresh token gives a new access and refresh token, and is
    spent. A spent one presented again signs the device out. None when refused."""
    if not raw_refresh or len(raw_refresh) > 100:
        return None
    digest = _hash(raw_refresh)
    now = timezone.now()
    device = (
        DeviceToken.objects.select_for_update()
        .select_related("user")
        .filter(refresh_hash=digest)
        .first()
    )
    if device is None:
        DeviceToken.objects.filter(previous_refresh_hash=digest).delete()  # reuse: sign out
        return None
    if device.refresh_expires_at <= now or not _usable(device):
        device.delete()
        return None
    device.previous_refresh_hash = digest
    access, refresh = _new_pair(device, now)
    device.last_used_at = now
    device.save()
    return _tokens(device, access, refresh)


def device_sign_out(*, user: User, device_id: int) -> bool:
    """Sign one of the user's devices out; False if it is not theirs (or gone)."""
    deleted, _ = DeviceToken.objects.filter(user=user, pk=device_id).delete()
    return bool(deleted)


def devices_revoke_all(user: User) -> None:
    """Sign every device of the user out (password change, reset)."""
    DeviceToken.objects.filter(user=user).delete()


def devices_of(*, user: User) -> list[DeviceToken]:
    """The user's signed-in devices, newest first (expired refresh tokens left out)."""
    return list(
        DeviceToken.objects.filter(user=user, refresh_expires_at__gt=timezone.now())
        .only("id", "label", "created_at", "last_used_at")
        .order_by("-created_at", "-id")
    )
