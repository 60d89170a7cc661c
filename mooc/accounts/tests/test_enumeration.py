"""Registration, login and the account-matching forms reveal nothing about which
accounts exist to someone who has not solved the captcha, and only at a limited rate
to someone who has (issue 14, F2 and F11)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from mooc.accounts.models import Unit, User
from mooc.accounts.tests.factories import NIP, PASSWORD
from mooc.accounts.tests.helpers import captcha

pytestmark = pytest.mark.django_db(transaction=True)

OTHER_NIP = "197001011995031001"
MakeUser = Callable[..., User]


def registration(unit: Unit, **overrides: str) -> dict[str, str]:
    data = {
        "employee_type": "internal",
        "unit": str(unit.pk),
        "full_name": "Siti Rahmawati",
        "username": NIP,
        "email": "siti@example.go.id",
        "phone": "081234567890",
        "jabatan": "Analis Kepegawaian",
        "password1": "Rahasia123",
        "password2": "Rahasia123",
        "consent": "on",
    }
    data.update(overrides)
    return captcha(**data)


def test_with_a_wrong_captcha_registration_says_nothing_else(
    client: Client, unit: Unit, make_user: MakeUser
) -> None:
    make_user(NIP, email="siti@example.go.id")

    response = client.post("/daftar/", registration(unit, captcha_1="WRONG", password2="Lain12345"))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"captcha"}
    page = response.content.decode()
    assert "Validasi Gagal! Coba Lagi!" in page
    assert "sudah terdaftar" not in page
    assert 'value="Siti Rahmawati"' in page  # what was typed is kept
    assert len(mail.outbox) == 0


def test_a_new_and_a_taken_registration_get_the_same_answer(
    client: Client, unit: Unit, make_user: MakeUser
) -> None:
    make_user(OTHER_NIP, email="taken@example.go.id")

    new = client.post("/daftar/", registration(unit))
    taken = client.post(
        "/daftar/", registration(unit, username=OTHER_NIP, email="taken@example.go.id")
    )

    assert (new.status_code, new["Location"]) == (taken.status_code, taken["Location"])
    assert User.objects.count() == 2  # the new one, and the one that existed
    assert sorted(m.to[0] for m in mail.outbox) == ["siti@example.go.id", "taken@example.go.id"]


def test_an_email_taken_by_one_account_and_a_nip_by_another_mails_both_owners(
    client: Client, unit: Unit, make_user: MakeUser
) -> None:
    make_user(NIP, email="budi@example.go.id")
    make_user(OTHER_NIP, email="siti@example.go.id")

    client.post("/daftar/", registration(unit))

    assert sorted(m.to[0] for m in mail.outbox) == ["budi@example.go.id", "siti@example.go.id"]
    assert User.objects.count() == 2


def test_an_unactivated_owner_is_offered_a_new_activation_link(
    client: Client, unit: Unit, make_user: MakeUser
) -> None:
    make_user(NIP, email="siti@example.go.id", activated=False)

    client.post("/daftar/", registration(unit))

    assert "/kirim-ulang-verifikasi/" in mail.outbox[0].body
    assert "/login/" not in mail.outbox[0].body


def test_the_owner_gets_at_most_three_such_mails_a_day(
    client: Client, unit: Unit, make_user: MakeUser
) -> None:
    make_user(NIP, email="siti@example.go.id")

    for i in range(5):
        client.post(
            "/daftar/",
            registration(unit, email="siti@example.go.id"),
            REMOTE_ADDR=f"198.51.100.{i}",
        )

    assert len(mail.outbox) == 3


@override_settings(REGISTRATION_IP_LIMIT=3)
def test_registration_is_limited_per_client_ip(client: Client, unit: Unit) -> None:
    nips = ["198609262015051001", "198609262015051002", "198609262015051003"]
    for i, nip in enumerate(nips):
        client.post("/daftar/", registration(unit, username=nip, email=f"u{i}@example.go.id"))

    response = client.post(
        "/daftar/", registration(unit, username="198609262015051004", email="u4@example.go.id")
    )

    assert response.status_code == 200
    assert "Terlalu banyak pendaftaran" in response.content.decode()
    assert User.objects.count() == 3
    other_ip = Client(REMOTE_ADDR="198.51.100.99").post(
        "/daftar/", registration(unit, username="198609262015051004", email="u4@example.go.id")
    )
    assert other_ip.status_code == 302


def test_registration_is_limited_per_nip_across_addresses(
    client: Client, unit: Unit, make_user: MakeUser
) -> None:
    make_user(NIP, email="owner@example.go.id")
    for i in range(5):
        client.post(
            "/daftar/",
            registration(unit, email=f"probe{i}@example.go.id"),
            REMOTE_ADDR=f"198.51.100.{i}",
        )

    response = client.post(
        "/daftar/", registration(unit, email="probe9@example.go.id"), REMOTE_ADDR="192.0.2.1"
    )

    assert "Terlalu banyak pendaftaran" in response.content.decode()


@pytest.mark.parametrize("path", ["/kirim-ulang-verifikasi/", "/lupa-password/"])
def test_with_a_wrong_captcha_the_account_forms_say_nothing_else(
    client: Client, make_user: MakeUser, path: str
) -> None:
    make_user(NIP, email="budi@example.go.id", activated=False)

    response = client.post(
        path, captcha(username=NIP, email="lain@example.go.id", captcha_1="WRONG")
    )

    assert set(response.context["form"].errors) == {"captcha"}
    page = response.content.decode()
    assert "Validasi Gagal! Coba Lagi!" in page and "tidak cocok" not in page
    assert len(mail.outbox) == 0


def test_login_with_a_wrong_captcha_looks_no_account_up(
    client: Client, make_user: MakeUser
) -> None:
    make_user(NIP)
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/login/", captcha(username=NIP, password="x", captcha_1="WRONG"))
    assert not [q["sql"] for q in queries if "accounts_user" in q["sql"]]
    page = response.content.decode()
    assert "Validasi Gagal! Coba Lagi!" in page and "NIP belum terdaftar" not in page


@override_settings(LOGIN_IP_FAILURE_LIMIT=3)
def test_failed_logins_from_one_address_are_limited_unknown_nips_included(
    client: Client, make_user: MakeUser
) -> None:
    make_user(NIP)
    for i in range(3):
        response = client.post(
            "/login/", captcha(username=f"19700101199503100{i}", password=PASSWORD)
        )
        assert "NIP belum terdaftar" in response.content.decode()

    # Even the right password of a real account waits now, from this address...
    blocked = client.post("/login/", captcha(username=NIP, password=PASSWORD))
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan login yang gagal" in blocked.content.decode()
    # ...but not from another office.
    other = Client(REMOTE_ADDR="198.51.100.7").post(
        "/login/", captcha(username=NIP, password=PASSWORD)
    )
    assert other.status_code == 302


@override_settings(LOGIN_IP_FAILURE_LIMIT=3)
def test_successful_logins_do_not_count_against_the_address(
    client: Client, make_user: MakeUser
) -> None:
    make_user(NIP)
    for _ in range(5):
        response = Client().post("/login/", captcha(username=NIP, password=PASSWORD))
        assert response.status_code == 302
