"""Two-step verification: staff pass it before any page, learners only if they turn
it on; enrolment by QR code, TOTP codes, single-use recovery codes, remembered
browsers for at most 30 days, the audited admin reset and the demo admin's device."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mooc.accounts.models import User
from mooc.accounts.roles import ROLES, roles_sync
from mooc.accounts.services import mfa
from mooc.accounts.tests.factories import NIP, PASSWORD
from mooc.accounts.tests.helpers import captcha
from mooc.core.models import AuditLog

pytestmark = [pytest.mark.django_db, pytest.mark.real_mfa]

VERIFY = "/verifikasi-dua-langkah/"
ENROL = "/verifikasi-dua-langkah/aktifkan/"
CODES = "/verifikasi-dua-langkah/kode-pemulihan/"
DISABLE = "/verifikasi-dua-langkah/nonaktifkan/"


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """Messages are asserted in English, the source language, for every client."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def code_for(device: TOTPDevice, *, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset: steps later), as the device
    expects it: django-otp learns a phone's clock drift from the codes it accepts (a
    code typed at the end of a 30-second step and checked in the next counts as one
    step behind), and `offset` is counted from there."""
    drift = device.drift + offset
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{code:06d}"


def device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Telepon", confirmed=True)


def staff(username: str = "staf", **fields: Any) -> User:
    fields.setdefault("is_staff", True)
    return User.objects.create_user(
        username=username, password=PASSWORD, email="", activated_at=timezone.now(), **fields
    )


def in_role(role: str) -> User:
    roles_sync()
    user = staff(username=f"role-{len(role)}", is_staff=False)
    user.groups.add(Group.objects.get(name=role))
    return user


def superuser() -> User:
    return User.objects.create_superuser(
        username="root", password=PASSWORD, email="", activated_at=timezone.now()
    )


def redirect_of(response: Any) -> tuple[str, str]:
    url = urlparse(response["Location"])
    return url.path, parse_qs(url.query).get("next", [""])[0]


# --- Who is asked -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: staff(),
        lambda: superuser(),
        *[(lambda role=role: in_role(role)) for role in ROLES],
    ],
    ids=["is_staff", "superuser", *ROLES],
)
def test_every_staff_role_is_sent_to_enrolment_before_any_page(
    client: Client, make: Callable[[], User]
) -> None:
    client.force_login(make())

    for url in ("/admin/", "/admin/accounts/user/", "/beranda/", "/pengaturan/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert redirect_of(response) == (ENROL, url)


def test_staff_with_a_device_are_sent_to_the_code_and_then_reach_the_admin(
    client: Client,
) -> None:
    user = staff()
    device = device_for(user)
    client.force_login(user)

    response = client.get("/admin/")
    assert redirect_of(response) == (VERIFY, "/admin/")
    assert client.get(ENROL)["Location"].startswith(VERIFY)  # no second device behind it

    response = client.post(VERIFY, {"code": code_for(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_learners_are_not_asked(client: Client, make_user: Callable[..., User]) -> None:
    client.force_login(make_user())

    assert client.get("/beranda/").status_code == 200
    assert client.get("/pengaturan/").status_code == 200
    # The admin still refuses them, by its own login redirect, not by the second step.
    assert not client.get("/admin/")["Location"].startswith(VERIFY)


def test_after_the_password_staff_pass_the_code_before_reaching_next(client: Client) -> None:
    user = staff(username="admin2")
    device = device_for(user)

    response = client.post("/login/?next=/admin/", captcha(username="admin2", password=PASSWORD))
    assert response["Location"] == "/admin/"
    response = client.get("/admin/")
    assert redirect_of(response) == (VERIFY, "/admin/")
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()

    response = client.post(VERIFY, {"code": code_for(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"


def test_the_sign_in_steps_themselves_and_logout_stay_open(client: Client) -> None:
    client.force_login(staff())

    assert client.get(ENROL).status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


# --- Enrolment ----------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_key_then_recovery_codes_once(client: Client) -> None:
    user = staff()
    client.force_login(user)

    page = client.get(ENROL + "?next=/admin/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "<svg" in html
    assert mfa.secret_base32(device) in html
    # The same key on a reload: a code from the app scanned a moment ago still works.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=user).count() == 1

    wrong = client.post(ENROL, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert "The code is not correct" in wrong.content.decode()
    assert not mfa.is_enrolled(user)

    device.throttle_reset()
    response = client.post(ENROL, {"code": code_for(device), "next": "/admin/"})
    assert redirect_of(response) == (CODES, "/admin/")
    assert mfa.is_enrolled(user)

    shown = client.get(response["Location"])
    codes = shown.context["codes"]
    assert len(codes) == mfa.RECOVERY_CODE_COUNT == len(set(codes))
    assert all(code in shown.content.decode() for code in codes)
    assert 'download="kode-pemulihan-mooc-asn.txt"' in shown.content.decode()
    assert client.get(CODES).context["codes"] == []  # shown once
    assert client.get("/admin/").status_code == 200  # the enrolment verified the session
    assert AuditLog.objects.filter(action="mfa_enrolled", target_id=str(user.pk)).count() == 1


def test_an_enrolled_account_cannot_add_a_second_device_without_the_first(
    client: Client,
) -> None:
    user = staff()
    device_for(user)
    client.force_login(user)

    assert client.get(ENROL)["Location"].startswith(VERIFY)
    assert client.post(ENROL, {"code": "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=user).count() == 1


# --- Codes --------------------------------------------------------------------------------


def test_a_totp_code_works_once(client: Client) -> None:
    user = staff()
    device = device_for(user)
    code = code_for(device)
    client.force_login(user)
    assert client.post(VERIFY, {"code": code})["Location"] == reverse(settings.LOGIN_REDIRECT_URL)

    other = Client()
    other.force_login(user)
    response = other.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "The code is not correct" in response.content.decode()


def test_each_recovery_code_works_once_and_is_audited(client: Client) -> None:
    user = staff()
    device_for(user)
    codes = mfa.recovery_codes_renew(user=user)

    client.force_login(user)
    response = client.post(VERIFY, {"code": codes[0].upper(), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == len(codes) - 1
    entry = AuditLog.objects.get(action="mfa_recovery_code_used")
    assert entry.after == {"recovery_codes_left": len(codes) - 1}

    again = Client()
    again.force_login(user)
    response = again.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert again.get("/admin/").status_code == 302


def test_a_recovery_code_of_digits_only_still_works(client: Client) -> None:
    user = staff()
    device_for(user)
    mfa.recovery_codes_renew(user=user)
    StaticToken.objects.filter(device__user=user).update(token="2345678923")
    client.force_login(user)

    assert client.post(VERIFY, {"code": "23456 78923", "next": "/admin/"})["Location"] == "/admin/"


def test_renewing_recovery_codes_retires_the_old_ones(client: Client) -> None:
    user = staff()
    device_for(user)
    old = mfa.recovery_codes_renew(user=user)
    client.force_login(user)
    client.post(VERIFY, {"code": old[0]})

    response = client.post(CODES)
    new = client.get(response["Location"]).context["codes"]

    assert set(new).isdisjoint(old)
    assert set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == set(new)


def test_django_otp_throttles_after_a_wrong_code(client: Client) -> None:
    user = staff()
    device = device_for(user)
    client.force_login(user)
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"
    client.post(VERIFY, {"code": wrong})

    response = client.post(VERIFY, {"code": code_for(device)})

    assert response.status_code == 429
    assert "Too many wrong codes" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_guesses_are_rate_limited_per_account(client: Client) -> None:
    from mooc.accounts.views.mfa import VERIFY_LIMIT_PER_ACCOUNT

    user = staff()
    device_for(user)
    client.force_login(user)
    with mock.patch.object(TOTPDevice, "verify_is_allowed", return_value=(True, None)):
        for _ in range(VERIFY_LIMIT_PER_ACCOUNT):
            assert client.post(VERIFY, {"code": "000001"}).status_code == 200
        response = client.post(VERIFY, {"code": "000001"})

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


# --- Remembered browsers -------------------------------------------------------------------


def remembered(client: Client, user: User, device: TOTPDevice) -> str:
    client.force_login(user)
    response = client.post(VERIFY, {"code": code_for(device), "remember": "on"})
    cookie = response.cookies[mfa.REMEMBER_COOKIE]
    assert cookie["httponly"]
    assert 0 < int(cookie["max-age"]) <= 30 * 24 * 3600
    return cookie.value


def fresh_session(user: User, cookie: str) -> Client:
    other = Client()
    other.force_login(user)
    other.cookies[mfa.REMEMBER_COOKIE] = cookie
    return other


def test_a_remembered_browser_skips_the_code_for_that_account_only(client: Client) -> None:
    user = staff()
    cookie = remembered(client, user, device_for(user))

    assert fresh_session(user, cookie).get("/admin/").status_code == 200

    someone_else = staff(username="lain")
    device_for(someone_else)
    assert fresh_session(someone_else, cookie).get("/admin/")["Location"].startswith(VERIFY)


def test_a_remembered_browser_is_forgotten_after_30_days(client: Client) -> None:
    user = staff()
    cookie = remembered(client, user, device_for(user))

    later = time.time() + 30 * 24 * 3600 + 60
    with mock.patch("time.time", return_value=later):
        response = fresh_session(user, cookie).get("/admin/")

    assert response["Location"].startswith(VERIFY)


@override_settings(SESSION_COOKIE_SECURE=True)
def test_the_remember_cookie_is_secure_in_production(client: Client) -> None:
    user = staff()
    device = device_for(user)
    client.force_login(user)
    response = client.post(VERIFY, {"code": code_for(device), "remember": "on"})
    assert response.cookies[mfa.REMEMBER_COOKIE]["secure"]


@override_settings(MFA_REMEMBER_DAYS=365)
def test_no_setting_remembers_a_browser_longer_than_30_days() -> None:
    assert mfa.remember_days() == 30


def test_a_reset_forgets_remembered_browsers_and_verified_sessions(client: Client) -> None:
    user = staff()
    cookie = remembered(client, user, device_for(user))
    assert client.get("/admin/").status_code == 200

    mfa.user_mfa_reset(actor=None, user=user, reason="Telepon hilang, tiket #12")

    assert redirect_of(client.get("/admin/"))[0] == ENROL
    assert redirect_of(fresh_session(user, cookie).get("/admin/"))[0] == ENROL
    # Enrolling a new phone does not revive the old browser's cookie either.
    device_for(user)
    assert redirect_of(fresh_session(user, cookie).get("/admin/"))[0] == VERIFY


def test_a_forged_or_tampered_cookie_is_ignored(client: Client) -> None:
    user = staff()
    cookie = remembered(client, user, device_for(user))

    assert fresh_session(user, cookie[:-2] + "xx").get("/admin/")["Location"].startswith(VERIFY)


# --- The admin's reset ----------------------------------------------------------------------


def test_the_admin_resets_a_users_second_factor_with_a_reason_in_the_audit_log(
    client: Client,
) -> None:
    admin = superuser()
    admin_device = device_for(admin)
    user = staff()
    device_for(user)
    mfa.recovery_codes_renew(user=user)
    client.force_login(admin)
    client.post(VERIFY, {"code": code_for(admin_device)})
    changelist = reverse("admin:accounts_user_changelist")
    data = {"action": "reset_mfa", ACTION_CHECKBOX_NAME: [user.pk]}

    asked = client.post(changelist, data)
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    assert mfa.is_enrolled(user)

    client.post(changelist, {**data, "confirm": "yes", "reason": "Telepon hilang, tiket #12"})

    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    entry = AuditLog.objects.get(action="mfa_reset")
    assert entry.actor == admin
    assert entry.target_id == str(user.pk)
    assert entry.reason == "Telepon hilang, tiket #12"
    assert entry.before == {"mfa_enrolled": True, "devices": 2}
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_device_keys_are_not_on_the_admin(client: Client) -> None:
    admin = superuser()
    client.force_login(admin)
    client.post(VERIFY, {"code": code_for(device_for(admin))})

    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


# --- Learners who turn it on -----------------------------------------------------------------


def test_a_learner_turns_it_on_in_settings_and_off_with_a_code(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()
    client.force_login(user)
    settings_page = client.get("/pengaturan/").content.decode()
    assert ENROL in settings_page

    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    client.post(ENROL, {"code": code_for(device)})
    assert mfa.is_enrolled(user)
    assert "Turn off" in client.get("/pengaturan/").content.decode()

    # Signed in again: the code is asked now.
    again = Client()
    again.post("/login/", captcha(username=NIP, password=PASSWORD))
    assert redirect_of(again.get("/beranda/")) == (VERIFY, "/beranda/")

    client.post(DISABLE, {"code": "12345678"})
    assert mfa.is_enrolled(user)
    device.refresh_from_db()
    device.throttle_reset()
    client.post(DISABLE, {"code": code_for(device, offset=1)})
    assert not mfa.is_enrolled(user)
    assert AuditLog.objects.filter(action="mfa_disabled", target_id=str(user.pk)).exists()


def test_staff_cannot_turn_it_off(client: Client) -> None:
    user = staff()
    device = device_for(user)
    client.force_login(user)
    client.post(VERIFY, {"code": code_for(device)})

    client.post(DISABLE, {"code": code_for(device, offset=1)})

    assert mfa.is_enrolled(user)
    assert "Turn off" not in client.get("/pengaturan/").content.decode()


# --- The demo admin ------------------------------------------------------------------------------


def test_the_demo_admin_has_a_device_whose_uri_demo_logins_prints(
    client: Client, demo_content: None
) -> None:
    out = StringIO()
    call_command("demo_logins", stdout=out)
    uri = next(line.split()[-1] for line in out.getvalue().splitlines() if "otpauth://" in line)

    assert uri.startswith("otpauth://totp/MOOC%20ASN%3Aadmin?secret=")
    admin = User.objects.get(username="admin")
    device = TOTPDevice.objects.get(user=admin, confirmed=True)
    assert device.config_url == uri
    client.post("/login/", captcha(username="admin", password="AdminDemo2026"))
    response = client.post(VERIFY, {"code": code_for(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
