from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.core import mail
from django.test import Client
from pytest_django import Settings

from mooc.accounts.models import AccountToken, TokenPurpose, User
from mooc.accounts.tests.factories import NIP, PASSWORD
from mooc.accounts.tests.helpers import captcha
from mooc.core.models import AuditLog

# Real commits: mail is queued on commit, as in production.
if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db(transaction=True)
NEW = "BaruSekali2026"


def verify(
    client: Client, username: str = NIP, email: str = f"{NIP}@example.go.id"
) -> TestResponse:
    return client.post("/lupa-password/", captcha(username=username, email=email))


def test_forgot_password_matches_nip_and_email_then_sets_a_new_password(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user()
    other = Client()
    other.post("/login/", captcha(username=NIP, password=PASSWORD))
    assert other.get("/beranda/").status_code == 200

    response = verify(client, username="19860926.201505.1.001", email=f"{NIP}@EXAMPLE.go.id")
    assert response.status_code == 302 and response["Location"] == "/lupa-password/password-baru/"
    page = client.get("/lupa-password/password-baru/").content.decode()
    assert "Password Baru" in page and "Ubah Password" in page
    assert len(mail.outbox) == 0  # the seed flow mails no link

    done = client.post("/lupa-password/password-baru/", {"password1": NEW, "password2": NEW})

    assert done.status_code == 302 and done["Location"] == "/login/"
    assert User.objects.get().check_password(NEW)
    assert other.get("/beranda/").status_code == 302  # every other session ended
    assert mail.outbox[0].subject == "Password Anda telah diubah"
    assert "/bukan-saya/" in mail.outbox[0].body
    assert AuditLog.objects.filter(action="user.password_reset").count() == 1
    login = client.post("/login/", captcha(username=NIP, password=NEW))
    assert login["Location"] == "/beranda/"


def test_a_mismatch_says_so_and_issues_nothing(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user()
    response = verify(client, email="orang.lain@example.go.id")
    assert "tidak cocok" in response.content.decode()
    assert not AccountToken.objects.exists()
    assert client.get("/lupa-password/password-baru/")["Location"] == "/lupa-password/"


def test_the_step_token_cannot_be_replayed(client: Client, make_user: Callable[..., User]) -> None:
    make_user()
    verify(client)
    raw = client.session["password_step_token"]
    client.post("/lupa-password/password-baru/", {"password1": NEW, "password2": NEW})

    attacker = Client()
    session = attacker.session
    session["password_step_token"] = raw
    session.save()
    response = attacker.post(
        "/lupa-password/password-baru/", {"password1": "Jahat12345", "password2": "Jahat12345"}
    )

    assert response["Location"] == "/lupa-password/"
    assert User.objects.get().check_password(NEW)


def test_the_step_token_changes_only_its_own_user(
    client: Client, make_user: Callable[..., User]
) -> None:
    budi = make_user()
    siti = make_user("197001011995031001")
    verify(client, username=siti.username, email=siti.email)
    client.post("/lupa-password/password-baru/", {"password1": NEW, "password2": NEW})
    budi.refresh_from_db()
    siti.refresh_from_db()
    assert siti.check_password(NEW) and budi.check_password(PASSWORD)


def test_the_step_token_expires_after_fifteen_minutes(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user()
    verify(client)
    AccountToken.objects.update(expires_at="2000-01-01T00:00:00Z")
    response = client.post("/lupa-password/password-baru/", {"password1": NEW, "password2": NEW})
    assert response["Location"] == "/lupa-password/"
    assert User.objects.get().check_password(PASSWORD)


def test_weak_or_mismatched_new_passwords_are_refused(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user()
    verify(client)
    weak = client.post(
        "/lupa-password/password-baru/", {"password1": "lemah", "password2": "lemah"}
    )
    assert "minimal 8 karakter" in weak.content.decode()
    mismatch = client.post(
        "/lupa-password/password-baru/", {"password1": NEW, "password2": NEW + "x"}
    )
    assert "Kedua password tidak sama." in mismatch.content.decode()
    assert User.objects.get().check_password(PASSWORD)


def test_forgot_password_is_rate_limited_per_account(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user()
    for _ in range(5):
        verify(client, email="salah@example.go.id")
    response = verify(client)
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert not AccountToken.objects.filter(purpose=TokenPurpose.PASSWORD_STEP).exists()


def test_not_me_locks_the_account_and_alerts_the_admins(
    client: Client, make_user: Callable[..., User]
) -> None:
    User.objects.create_superuser(username="admin", password="x", email="admin@example.go.id")
    make_user()
    verify(client)
    client.post("/lupa-password/password-baru/", {"password1": NEW, "password2": NEW})
    link = re.search(r"/bukan-saya/[\w-]+/", str(mail.outbox[0].body)).group(0)  # type: ignore[union-attr]

    ask = client.get(link)
    assert ask.status_code == 200 and "Kunci akun saya" in ask.content.decode()
    assert User.objects.get(username=NIP).locked_at is None  # a GET never locks

    client.post(link)

    user = User.objects.get(username=NIP)
    assert user.locked_at is not None
    assert mail.outbox[-1].to == ["admin@example.go.id"]
    assert NIP in mail.outbox[-1].subject
    assert AuditLog.objects.filter(action="user.locked_not_me", target_id=str(user.pk)).exists()
    assert "dikunci" in client.post("/login/", captcha(username=NIP, password=NEW)).content.decode()
    assert client.post(link).status_code == 400  # single use


def test_change_password_in_settings_keeps_this_session_and_ends_others(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user()
    other = Client()
    other.post("/login/", captcha(username=NIP, password=PASSWORD))
    client.post("/login/", captcha(username=NIP, password=PASSWORD))

    wrong_old = client.post(
        "/pengaturan/", {"old_password": "Salah1234", "password1": NEW, "password2": NEW}
    )
    assert "Password lama Anda salah." in wrong_old.content.decode()

    response = client.post(
        "/pengaturan/", {"old_password": PASSWORD, "password1": NEW, "password2": NEW}
    )

    assert response.status_code == 302
    assert User.objects.get().check_password(NEW)
    assert client.get("/beranda/").status_code == 200
    assert other.get("/beranda/").status_code == 302
    assert mail.outbox[-1].subject == "Password Anda telah diubah"


def test_the_bssn_policy_asks_for_twelve_characters_and_a_symbol(
    client: Client, make_user: Callable[..., User], settings: Settings
) -> None:
    settings.PASSWORD_POLICY = "bssn"
    make_user()
    client.post("/login/", captcha(username=NIP, password=PASSWORD))
    short = "Baru2026x"
    response = client.post(
        "/pengaturan/", {"old_password": PASSWORD, "password1": short, "password2": short}
    )
    page = response.content.decode()
    assert "minimal 12 karakter" in page and "simbol" in page
    ok = "BaruSekali2026!"
    assert (
        client.post(
            "/pengaturan/", {"old_password": PASSWORD, "password1": ok, "password2": ok}
        ).status_code
        == 302
    )


def test_the_email_link_flow_mails_a_reset_link(
    client: Client, make_user: Callable[..., User], settings: Settings
) -> None:
    settings.PASSWORD_RESET_FLOW = "email_link"
    make_user()
    response = verify(client)
    assert response["Location"] == "/lupa-password/terkirim/"
    link = re.search(
        r"http://testserver(/lupa-password/tautan/\S+/)", str(mail.outbox[0].body)
    ).group(1)  # type: ignore[union-attr]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
    )
    assert done.status_code == 302
    assert User.objects.get().check_password(NEW)


def test_with_the_email_link_flow_a_mail_failure_looks_like_a_mismatch(
    client: Client, make_user: Callable[..., User], settings: Any
) -> None:
    # SMTP on a closed port: the mail cannot go, as when the broker is down. The page
    # must answer as it does for data that match no account.
    settings.PASSWORD_RESET_FLOW = "email_link"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False
    settings.EMAIL_TIMEOUT = 2
    make_user()

    matching = verify(client)
    mismatch = client.post("/lupa-password/", captcha(username=NIP, email="lain@example.go.id"))

    assert (matching.status_code, matching["Location"]) == (302, "/lupa-password/terkirim/")
    assert (mismatch.status_code, mismatch["Location"]) == (302, "/lupa-password/terkirim/")
