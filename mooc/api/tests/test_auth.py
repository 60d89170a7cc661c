"""Device tokens through the API: sign-in, refresh rotation, revocation, lockout,
rate limits, and the device list (in the API and in Pengaturan)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from mooc.accounts.models import DeviceToken, User
from mooc.accounts.services import mfa
from mooc.accounts.services.passwords import password_change
from mooc.accounts.tests.factories import PASSWORD, UserFactory
from mooc.accounts.tests.test_mfa import code_for, device_for
from mooc.api.tests.support import API, Api, auth, sign_in

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(
        f"{API}/auth/login/",
        {"username": username, "password": password, "device": "HP"},
        content_type="application/json",
        **extra,
    )


def _me(client: Client, tokens: dict[str, Any]) -> Any:
    return client.get(f"{API}/me/", headers=auth(tokens))


def test_sign_in_gives_tokens_stored_only_as_hashes(learner: User) -> None:
    client = Client()
    tokens = sign_in(client, learner)
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 15 * 60
    device = DeviceToken.objects.get(user=learner)
    assert tokens["access_token"] not in (device.access_hash, device.refresh_hash)
    assert device.label == "Android test"
    assert _me(client, tokens).json()["username"] == learner.username


def test_a_wrong_password_is_a_problem_json_401(learner: User) -> None:
    response = _login(Client(), learner.username, "salah")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == "wrong_credentials" and body["status"] == 401
    assert not DeviceToken.objects.exists()


def test_axes_locks_the_username_and_ip_out(learner: User) -> None:
    client = Client()
    for _ in range(4):
        assert _login(client, learner.username, "salah").status_code == 401
    assert _login(client, learner.username, "salah").status_code == 429  # the fifth locks
    locked = _login(client, learner.username, PASSWORD)
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"
    assert not DeviceToken.objects.exists()


@override_settings(API_LOGIN_USER_IP_LIMIT=3, AXES_FAILURE_LIMIT=100)
def test_sign_ins_are_limited_per_username_and_ip(learner: User) -> None:
    client = Client()
    for _ in range(3):
        _login(client, learner.username, "salah")
    limited = _login(client, learner.username, PASSWORD)
    assert limited.status_code == 429 and "Retry-After" in limited
    # Another address is not held back by this one's counter.
    other = _login(Client(), learner.username, PASSWORD, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200


@override_settings(API_LOGIN_IP_LIMIT=2)
def test_sign_ins_are_limited_per_ip_across_usernames(db: None) -> None:
    client = Client()
    _login(client, "a", "x")
    _login(client, "b", "x")
    assert _login(client, "c", "x").status_code == 429


def test_staff_without_two_step_verification_set_it_up_on_the_website_first() -> None:
    staff = UserFactory.create(staff=True)
    response = _login(Client(), staff.username, PASSWORD)
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_setup_required"
    assert not DeviceToken.objects.filter(user=staff).exists()


def _login_with_code(client: Client, user: User, code: str | None) -> Any:
    body = {"username": user.username, "password": PASSWORD, "device": "HP"}
    if code is not None:
        body["code"] = code
    return client.post(f"{API}/auth/login/", body, content_type="application/json")


def test_an_account_with_two_step_verification_signs_in_with_its_code(learner: User) -> None:
    device = device_for(learner)
    client = Client()

    asked = _login_with_code(client, learner, None)
    assert asked.status_code == 403 and asked.json()["code"] == "second_factor_required"
    wrong = "000000" if code_for(device) != "000000" else "111111"
    refused = _login_with_code(client, learner, wrong)
    assert refused.status_code == 401 and refused.json()["code"] == "wrong_code"
    assert refused["Content-Type"] == PROBLEM
    assert not DeviceToken.objects.filter(user=learner).exists()

    device.throttle_reset()
    code = code_for(device)
    response = _login_with_code(client, learner, code)
    assert response.status_code == 200, response.json()
    assert _me(client, response.json()).json()["username"] == learner.username
    # The code is spent: the same one again is refused.
    device.refresh_from_db()
    device.throttle_reset()
    assert _login_with_code(client, learner, code).status_code == 401


def test_a_recovery_code_signs_in_once(learner: User) -> None:
    device_for(learner)
    codes = mfa.recovery_codes_renew(user=learner)
    client = Client()

    assert _login_with_code(client, learner, codes[0]).status_code == 200
    assert _login_with_code(client, learner, codes[0]).json()["code"] == "wrong_code"
    assert mfa.recovery_codes_left(learner) == len(codes) - 1


def test_staff_with_two_step_verification_sign_in_with_their_code() -> None:
    staff = UserFactory.create(staff=True)
    device = device_for(staff)
    assert _login_with_code(Client(), staff, code_for(device)).status_code == 200


def test_wrong_codes_are_throttled_with_a_retry_after(learner: User) -> None:
    device = device_for(learner)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    client = Client()
    assert _login_with_code(client, learner, wrong).status_code == 401

    response = _login_with_code(client, learner, code_for(device))  # right, but too soon

    assert response.status_code == 429 and response.json()["code"] == "code_throttled"
    assert int(response["Retry-After"]) >= 1
    assert not DeviceToken.objects.filter(user=learner).exists()


def test_the_code_is_not_asked_before_the_password_is_right(learner: User) -> None:
    device = device_for(learner)
    response = Client().post(
        f"{API}/auth/login/",
        {"username": learner.username, "password": "salah", "device": "HP", "code": "123456"},
        content_type="application/json",
    )
    assert response.status_code == 401 and response.json()["code"] == "wrong_credentials"
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


@pytest.mark.parametrize("code", ["", "x" * 41, 123456])
def test_a_malformed_code_is_refused_clearly(learner: User, code: Any) -> None:
    device_for(learner)
    response = Client().post(
        f"{API}/auth/login/",
        {"username": learner.username, "password": PASSWORD, "device": "HP", "code": code},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_refresh_rotates_and_a_reused_refresh_token_signs_the_device_out(learner: User) -> None:
    client = Client()
    first = sign_in(client, learner)
    refreshed = client.post(
        f"{API}/auth/refresh/",
        {"refresh_token": first["refresh_token"]},
        content_type="application/json",
    )
    assert refreshed.status_code == 200
    second = refreshed.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert _me(client, first).status_code == 401  # the old access token ended with it
    assert _me(client, second).status_code == 200
    # The spent refresh token again: someone copied it. The device is signed out.
    reused = client.post(
        f"{API}/auth/refresh/",
        {"refresh_token": first["refresh_token"]},
        content_type="application/json",
    )
    assert reused.status_code == 401 and reused["Content-Type"] == PROBLEM
    assert _me(client, second).status_code == 401
    assert not DeviceToken.objects.exists()


def test_logout_revokes_the_device(learner: User) -> None:
    client = Client()
    tokens = sign_in(client, learner)
    other = sign_in(client, learner, device="Tablet")
    assert client.post(f"{API}/auth/logout/", headers=auth(tokens)).status_code == 204
    assert _me(client, tokens).status_code == 401
    refresh = client.post(
        f"{API}/auth/refresh/",
        {"refresh_token": tokens["refresh_token"]},
        content_type="application/json",
    )
    assert refresh.status_code == 401
    assert _me(client, other).status_code == 200  # only this device


def test_a_password_change_signs_every_device_out(learner: User) -> None:
    api = Api(learner)
    changed = api.post(
        "/me/password/", {"old_password": PASSWORD, "new_password": "Baru-Sekali-2026"}
    )
    assert changed.status_code == 204
    assert api.get("/me/").status_code == 401
    assert not DeviceToken.objects.filter(user=learner).exists()


def test_a_password_changed_elsewhere_ends_the_tokens_even_without_the_hook(
    learner: User,
) -> None:
    client = Client()
    tokens = sign_in(client, learner)
    User.objects.filter(pk=learner.pk).update(password="argon2$changed-by-a-script")
    assert _me(client, tokens).status_code == 401


def test_the_web_password_change_signs_devices_out(learner: User) -> None:
    client = Client()
    tokens = sign_in(client, learner)
    password_change(user=learner, password="Baru-Sekali-2026")
    assert _me(client, tokens).status_code == 401


@pytest.mark.parametrize(
    "change",
    [
        {"is_active": False},
        {"locked_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
    ],
    ids=["deactivated", "locked"],
)
def test_a_deactivated_or_locked_account_is_refused(learner: User, change: dict[str, Any]) -> None:
    client = Client()
    tokens = sign_in(client, learner)
    User.objects.filter(pk=learner.pk).update(**change)
    response = _me(client, tokens)
    assert response.status_code == 401 and response["Content-Type"] == PROBLEM
    refresh = client.post(
        f"{API}/auth/refresh/",
        {"refresh_token": tokens["refresh_token"]},
        content_type="application/json",
    )
    assert refresh.status_code == 401


def test_expired_and_forged_access_tokens_are_refused(learner: User) -> None:
    client = Client()
    tokens = sign_in(client, learner)
    for header in ("Bearer bukan-token", "Bearer " + "x" * 5000, "Basic abc", "Bearer"):
        response = client.get(f"{API}/me/", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response["Content-Type"] == PROBLEM
    DeviceToken.objects.update(access_expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _me(client, tokens).status_code == 401


def test_the_device_list_and_signing_another_device_out(learner: User) -> None:
    api = Api(learner)
    other_client = Client()
    other = sign_in(other_client, learner, device="Tablet kantor")
    listed = api.get("/me/devices/").json()
    assert {d["label"] for d in listed} == {"Android test", "Tablet kantor"}
    assert [d["current"] for d in listed if d["label"] == "Android test"] == [True]
    assert api.delete(f"/me/devices/{other['device_id']}/").status_code == 204
    assert _me(other_client, other).status_code == 401
    # Someone else's device: 404, and it stays signed in.
    stranger = UserFactory.create()
    theirs = sign_in(Client(), stranger)
    assert api.delete(f"/me/devices/{theirs['device_id']}/").status_code == 404
    assert DeviceToken.objects.filter(user=stranger).exists()


def test_pengaturan_lists_the_devices_and_signs_one_out(learner: User) -> None:
    tokens = sign_in(Client(), learner, device="Android Budi")
    web = Client()
    web.force_login(learner)
    page = web.get("/pengaturan/").content.decode()
    assert "Android Budi" in page
    device = DeviceToken.objects.get(user=learner)
    response = web.post(f"/pengaturan/perangkat/{device.pk}/keluar/")
    assert response.status_code == 302
    assert _me(Client(), tokens).status_code == 401
    stranger_device = DeviceToken.objects.create(
        user=UserFactory.create(),
        label="x",
        access_hash="a" * 64,
        refresh_hash="b" * 64,
        access_expires_at=timezone.now(),
        refresh_expires_at=timezone.now() + dt.timedelta(days=1),
        password_tag="",
    )
    assert web.post(f"/pengaturan/perangkat/{stranger_device.pk}/keluar/").status_code == 404
    assert DeviceToken.objects.filter(pk=stranger_device.pk).exists()
