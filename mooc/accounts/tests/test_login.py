from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from pytest_django import Settings

from mooc.accounts.models import User
from mooc.accounts.tests.factories import NIP, PASSWORD
from mooc.accounts.tests.helpers import captcha

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db


def login(
    client: Client, username: str = NIP, password: str = PASSWORD, **extra: Any
) -> TestResponse:
    return client.post("/login/", captcha(username=username, password=password), **extra)


def problem_text(response: Any) -> str:
    html = response.content.decode()
    start = html.find('id="login-problem"')
    return html[start : html.find("</div>", start)] if start >= 0 else ""


def test_a_learner_logs_in_with_nip_and_lands_on_beranda(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user()
    client.get("/login/")
    before = client.session.session_key

    response = login(client, username="19860926 201505 1 001")

    assert response.status_code == 302 and response["Location"] == "/beranda/"
    assert client.session.session_key != before  # rotated
    page = client.get("/beranda/")
    assert page.status_code == 200 and "Budi Santoso" in page.content.decode()


def test_the_captcha_is_checked_first(client: Client, make_user: Callable[..., User]) -> None:
    make_user()
    response = client.post(
        "/login/", {"username": "nobody", "password": "x", "captcha_0": "t", "captcha_1": "NO"}
    )
    assert "Validasi Gagal! Coba Lagi!" in problem_text(response)
    response = client.post("/login/", {"username": NIP, "password": PASSWORD})
    assert "Validasi Gagal! Coba Lagi!" in problem_text(response)


def test_an_unknown_nip_says_so_with_a_link_to_register(client: Client) -> None:
    text = problem_text(login(client, username="197001011995031001"))
    assert "NIP belum terdaftar" in text and 'href="/daftar/"' in text


def test_a_wrong_password_says_so_with_a_link_to_forgot_password(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user()
    text = problem_text(login(client, password="Salah12345"))
    assert "NIP atau Password salah!" in text and 'href="/lupa-password/"' in text


def test_activation_is_revealed_only_after_a_correct_password(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user(activated=False)
    assert "NIP atau Password salah!" in problem_text(login(client, password="Salah12345"))
    text = problem_text(login(client))
    assert "Akun Anda belum diaktivasi" in text and 'href="/kirim-ulang-verifikasi/"' in text
    assert "_auth_user_id" not in client.session


def test_deactivated_and_locked_accounts_get_their_own_messages(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user(NIP, is_active=False)
    make_user("197001011995031001", locked_at=timezone.now())
    assert "dinonaktifkan" in problem_text(login(client))
    assert "dikunci" in problem_text(login(client, username="197001011995031001"))


def test_a_locked_out_account_is_told_when_to_retry(
    client: Client, make_user: Callable[..., User], settings: Settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    make_user()
    for _ in range(3):
        login(client, password="Salah12345")
    response = login(client)  # even the right password is refused now
    assert response.status_code == 429
    assert "Terlalu banyak percobaan login yang gagal. Coba lagi dalam 15 menit." in problem_text(
        response
    )
    assert "_auth_user_id" not in client.session


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_one_offices_failures_do_not_lock_another_office(
    client: Client, make_user: Callable[..., User], settings: Settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    make_user()
    office_a = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    office_b = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    for _ in range(3):
        login(client, password="Salah12345", **office_a)
    assert login(client, **office_a).status_code == 429
    response = login(client, **office_b)
    assert response.status_code == 302 and response["Location"] == "/beranda/"


def test_a_spoofed_forwarded_header_does_not_escape_the_lockout(
    client: Client, make_user: Callable[..., User], settings: Settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    make_user()
    for i in range(3):
        login(client, password="Salah12345", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    assert login(client, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_next_goes_only_to_this_site(client: Client, make_user: Callable[..., User]) -> None:
    make_user()
    response = client.post("/login/", captcha(username=NIP, password=PASSWORD, next="/profil/"))
    assert response["Location"] == "/profil/"
    client.post("/logout/")
    response = client.post(
        "/login/", captcha(username=NIP, password=PASSWORD, next="https://evil.example/")
    )
    assert response["Location"] == "/beranda/"


def test_logout_is_a_post(client: Client, make_user: Callable[..., User]) -> None:
    make_user()
    login(client)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/beranda/").status_code == 302


def test_an_idle_session_ends(
    client: Client, make_user: Callable[..., User], settings: Settings
) -> None:
    make_user()
    login(client)
    session = client.session
    session["last_seen"] = int(timezone.now().timestamp()) - settings.SESSION_IDLE_TIMEOUT - 10
    session.save()
    response = client.get("/beranda/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_last_request_is_noted_at_most_every_five_minutes(
    client: Client, make_user: Callable[..., User]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/profil/").status_code == 200
        return sum('UPDATE "django_session"' in q["sql"] for q in queries.captured_queries)

    make_user()
    login(client)
    assert session_writes() == 0
    session = client.session
    now = int(timezone.now().timestamp())
    session["last_seen"] = now - 299
    session["mfa_needed"] = [False, now - 299]
    session.save()
    assert session_writes() == 0
    session["last_seen"] = now - 301
    session["mfa_needed"] = [False, now - 301]
    session.save()
    assert session_writes() == 1
    assert now - 5 <= client.session["last_seen"] <= now + 5


def test_deactivating_an_account_ends_its_sessions(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()
    login(client)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get("/beranda/").status_code == 302


def test_the_admin_login_goes_through_this_login(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/admin/"


def test_passwords_are_hashed_with_argon2_in_production(settings: Settings) -> None:
    from config import settings as production

    assert production.PASSWORD_HASHERS[0] == "mooc.accounts.hashers.OwaspArgon2PasswordHasher"


_PRODUCTION_HASHERS = [
    "mooc.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@override_settings(PASSWORD_HASHERS=_PRODUCTION_HASHERS)
def test_new_passwords_use_argon2id_at_owasp_parameters() -> None:
    user = User(username="x")
    user.set_password(PASSWORD)
    assert user.password.startswith("argon2$argon2id$v=19$m=7168,t=5,p=1$")
    assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")


@override_settings(PASSWORD_HASHERS=_PRODUCTION_HASHERS)
def test_a_hash_with_djangos_argon2_defaults_is_upgraded_at_the_next_login(
    client: Client, make_user: Callable[..., User]
) -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher

    user = make_user()
    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    assert "$m=102400,t=2,p=8$" in old
    User.objects.filter(pk=user.pk).update(password=old)

    assert login(client, password=PASSWORD + "x").status_code == 200
    user.refresh_from_db()
    assert user.password == old  # a wrong password upgrades nothing

    response = login(client)

    assert response.status_code == 302 and response["Location"] == "/beranda/"
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=7168,t=5,p=1$")
    assert client.get("/beranda/").status_code == 200  # the session survives the re-hash
    client.post("/logout/")
    assert login(client).status_code == 302  # and the new hash verifies


@override_settings(PASSWORD_HASHERS=_PRODUCTION_HASHERS)
def test_a_hash_with_the_earlier_19_mib_parameters_is_upgraded_at_login(
    client: Client, make_user: Callable[..., User]
) -> None:
    from argon2 import PasswordHasher

    user = make_user()
    earlier = "argon2" + PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1).hash(
        PASSWORD
    )
    User.objects.filter(pk=user.pk).update(password=earlier)
    assert login(client).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=7168,t=5,p=1$")


@override_settings(PASSWORD_HASHERS=_PRODUCTION_HASHERS)
def test_a_pbkdf2_hash_is_upgraded_to_argon2id_at_login(
    client: Client, make_user: Callable[..., User]
) -> None:
    from django.contrib.auth.hashers import make_password

    user = make_user()
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert login(client).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=7168,t=5,p=1$")
