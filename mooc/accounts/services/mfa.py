"""The second factor: a TOTP app, one-time recovery codes, remembered browsers.

Who needs it: every staff account — `is_staff`, superusers and the members of a
role (mooc.accounts.roles) — before any page opens; learners once they turn it on
in Pengaturan. django-otp keeps the devices and throttles wrong codes (each failure
doubles the wait); this module adds enrolment, recovery codes, the remembered
browser cookie and the audited reset. See docs/security.md, "Two-step verification".
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mooc.accounts.models import User
from mooc.accounts.roles import ROLES
from mooc.core.errors import ServiceError
from mooc.core.services import audit_log_record

RECOVERY_CODE_COUNT = 10
# 10 characters of a 32-letter alphabet: 50 bits each, never confused (no 0/O, 1/I/L).
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10
TOTP_NAME = "Aplikasi autentikator"
RECOVERY_NAME = "Kode pemulihan"

REMEMBER_COOKIE = "mooc_mfa_remember"
_REMEMBER_SALT = "mooc.accounts.mfa.remember"
# Never more than 30 days, whatever the setting says (settings.py refuses more too).
MAX_REMEMBER_DAYS = 30

# Session cache of "does this account need a second factor?" for accounts that are
# neither staff nor superuser (those are known from the user row): a role granted or a
# device added elsewhere is seen within this many seconds.
_NEEDED_KEY = "mfa_needed"
_NEEDED_TTL = 300

CODE_WRONG = _("The code is not correct. Check the time on your phone and try again.")


# --- Who needs it --------------------------------------------------------------------


def has_staff_role(user: User) -> bool:
    """Staff in the sense of the second factor: the admin, or any role's permissions."""
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.filter(name__in=ROLES).exists()


def totp_device(user: User, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("pk").first()


def is_enrolled(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def _has_role_or_device(user: User) -> bool:
    """A role's group or a confirmed authenticator, in one query: each login asks
    (`needed_check` has answered for admin flags already)."""
    roles = User.groups.through.objects.filter(user_id=user.pk, group__name__in=ROLES)
    devices = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True)
    return bool(User.objects.filter(pk=user.pk).filter(Exists(roles) | Exists(devices)).exists())


def needed_check(request: HttpRequest, user: User) -> bool:
    """Whether this session must pass the second step: staff always; anybody with a
    device (a learner who turned it on). Cached in the session for a few minutes,
    so a learner's page costs no query."""
    if user.is_staff or user.is_superuser:
        return True
    now = int(time.time())
    cached = request.session.get(_NEEDED_KEY)
    if isinstance(cached, list) and len(cached) == 2 and now - int(cached[1]) < _NEEDED_TTL:
        return bool(cached[0])
    needed = _has_role_or_device(user)
    request.session[_NEEDED_KEY] = [needed, now]
    return needed


def needed_forget(request: HttpRequest) -> None:
    request.session.pop(_NEEDED_KEY, None)


def is_verified(request: HttpRequest) -> bool:
    """Set by django-otp's OTPMiddleware from the session's device."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def session_verify(request: HttpRequest, device: TOTPDevice | StaticDevice) -> None:
    """Mark this session as having passed the second step with `device`."""
    # A new session key for the raised privilege, as at login.
    request.session.cycle_key()
    otp_login(request, device)
    needed_forget(request)


# --- Enrolment ------------------------------------------------------------------------


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device shown as a QR code until its first code is entered.
    The same one on every reload, so a QR scanned a minute ago still works."""
    if is_enrolled(user):
        raise ServiceError(_("Two-step verification is already on for this account."))
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed, in groups of four."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG (no external service sees the secret)."""
    import segno

    qr = segno.make(device.config_url, error="m")
    svg: str = qr.svg_inline(scale=5, dark="#000", light="#fff", border=2)
    return svg


def _new_recovery_codes(user: User) -> list[str]:
    # The same device with new tokens: a session verified by a recovery code stays verified.
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    StaticToken.objects.filter(device__user=user).delete()
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def enrolment_confirm(
    *, user: User, device: TOTPDevice, code: str, request: HttpRequest | None = None
) -> list[str]:
    """Confirm the app with its first code; returns the new recovery codes (shown once)."""
    refusal: ServiceError | None = None
    # A wrong code's throttle count must be kept: the refusal is raised after commit.
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if device.confirmed or is_enrolled(user):
            raise ServiceError(_("Two-step verification is already on for this account."))
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            refusal = ServiceError(_("Too many wrong codes. Wait a minute and try again."))
        elif not device.verify_token(_digits(code)):
            refusal = ServiceError(CODE_WRONG, field="code")
        else:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            codes = _new_recovery_codes(user)
            audit_log_record(actor=user, action="mfa_enrolled", target=user, request=request)
    if refusal is not None:
        raise refusal
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User, request: HttpRequest | None = None) -> list[str]:
    if not is_enrolled(user):
        raise ServiceError(_("Turn on two-step verification first."))
    codes = _new_recovery_codes(user)
    audit_log_record(actor=user, action="mfa_recovery_codes_renewed", target=user, request=request)
    return codes


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user).count())


# --- Verification ---------------------------------------------------------------------


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


def _recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


class VerifyRefused(ServiceError):
    """A code refused; `retry_after` (seconds) when refused for too many wrong ones."""

    retry_after: int = 0


def code_verify(
    *, user: User, code: str, request: HttpRequest | None = None
) -> TOTPDevice | StaticDevice:
    """The device that accepts `code`: the app's current code, or an unused recovery
    code (which is then used up). Wrong codes count towards django-otp's throttle."""
    code = code.strip()
    refusal: VerifyRefused | None = None
    # A wrong code's throttle count must be kept: the refusal is raised after commit.
    with transaction.atomic():
        # An app's code is 6 digits; a recovery code is 10 characters (digits only, rarely).
        if _digits(code).isdigit() and len(_digits(code)) <= 8:
            device: Any = (
                TOTPDevice.objects.select_for_update()
                .filter(user=user, confirmed=True)
                .order_by("pk")
                .first()
            )
            normalized = _digits(code)
        else:
            device = (
                StaticDevice.objects.select_for_update()
                .filter(user=user, confirmed=True)
                .order_by("pk")
                .first()
            )
            normalized = _recovery(code)
        allowed, info = device.verify_is_allowed() if device is not None else (True, None)
        if device is None:
            refusal = VerifyRefused(CODE_WRONG, field="code")
        elif not allowed:
            wait = 60
            if info and info.get("locked_until"):
                wait = max(1, int((info["locked_until"] - timezone.now()).total_seconds()))
            refusal = VerifyRefused(
                _("Too many wrong codes. Try again in %(seconds)s seconds.") % {"seconds": wait},
                code="throttled",
            )
            refusal.retry_after = wait
        elif not device.verify_token(normalized):
            refusal = VerifyRefused(CODE_WRONG, field="code")
        elif isinstance(device, StaticDevice):
            audit_log_record(
                actor=user,
                action="mfa_recovery_code_used",
                target=user,
                after={"recovery_codes_left": recovery_codes_left(user)},
                request=request,
            )
    if refusal is not None:
        raise refusal
    return device  # type: ignore[no-any-return]


# --- Turning it off, and the admin's reset -----------------------------------------------


def devices_delete(user: User) -> int:
    totp_count, _ = TOTPDevice.objects.filter(user=user).delete()
    _, deleted = StaticDevice.objects.filter(user=user).delete()
    return int(totp_count + deleted.get(StaticDevice._meta.label, 0))


def mfa_disable(*, user: User, code: str, request: HttpRequest | None = None) -> None:
    """A learner turns it off with a current code. Staff cannot: it is required."""
    if has_staff_role(user):
        raise ServiceError(_("Two-step verification is required for staff accounts."))
    if not is_enrolled(user):
        raise ServiceError(_("Two-step verification is not on."))
    code_verify(user=user, code=code, request=request)
    with transaction.atomic():
        devices_delete(user)
        audit_log_record(actor=user, action="mfa_disabled", target=user, request=request)


@transaction.atomic
def user_mfa_reset(
    *, actor: User | None, user: User, reason: str, request: HttpRequest | None = None
) -> User:
    """The helpdesk's reset for a lost phone: every device and recovery code goes, so
    the next sign-in asks to enrol again (staff) or needs no code (learners). Browsers
    remembered for the old device are no longer trusted; sessions verified with it
    are asked again."""
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Give a reason; it is kept in the audit log."), field="reason")
    enrolled = is_enrolled(user)
    removed = devices_delete(user)
    if not removed:
        raise ServiceError(_("this account has no two-step verification device"))
    audit_log_record(
        actor=actor,
        action="mfa_reset",
        target=user,
        reason=reason,
        before={"mfa_enrolled": enrolled, "devices": removed},
        after={"mfa_enrolled": False, "devices": 0},
        request=request,
    )
    return user


# --- Remembered browsers ------------------------------------------------------------------


def remember_days() -> int:
    return min(int(getattr(settings, "MFA_REMEMBER_DAYS", MAX_REMEMBER_DAYS)), MAX_REMEMBER_DAYS)


def _device_fingerprint(device: TOTPDevice) -> str:
    # Bound to the device's key: a reset or re-enrolment makes every old cookie worthless.
    return salted_hmac(_REMEMBER_SALT, f"{device.pk}:{device.key}").hexdigest()[:32]


def remember_set(response: HttpResponse, *, user: User, device: TOTPDevice) -> None:
    days = remember_days()
    if days <= 0:
        return
    value = signing.dumps(
        {"u": user.pk, "d": device.pk, "f": _device_fingerprint(device)},
        salt=_REMEMBER_SALT,
        compress=True,
    )
    response.set_cookie(
        REMEMBER_COOKIE,
        value,
        max_age=int(timedelta(days=days).total_seconds()),
        secure=bool(settings.SESSION_COOKIE_SECURE),
        httponly=True,
        samesite="Lax",
    )


def remember_clear(response: HttpResponse) -> None:
    response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")


def remembered_device(request: HttpRequest, user: User) -> TOTPDevice | None:
    """The device a valid remember cookie of this browser names for this user."""
    raw = request.COOKIES.get(REMEMBER_COOKIE)
    days = remember_days()
    if not raw or days <= 0:
        return None
    try:
        data = signing.loads(raw, salt=_REMEMBER_SALT, max_age=timedelta(days=days))
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        return None
    device = TOTPDevice.objects.filter(pk=data.get("d"), user=user, confirmed=True).first()
    if device is None or not constant_time_compare(
        str(data.get("f", "")), _device_fingerprint(device)
    ):
        return None
    return device


def session_device_id(request: HttpRequest) -> str | None:
    value = request.session.get(DEVICE_ID_SESSION_KEY)
    return str(value) if value else None
