from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client

from mooc.accounts.models import AccountToken, EmployeeType, Unit, User
from mooc.accounts.tests.factories import NIP
from mooc.accounts.tests.helpers import captcha

# Real commits: mail is queued on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def form(the_unit: Unit, **overrides: str) -> dict[str, str]:
    data = {
        "employee_type": "internal",
        "unit": str(the_unit.pk),
        "full_name": "Siti Rahmawati",
        "username": "19860926 201505 1 001",
        "email": "siti@example.go.id",
        "phone": "0812-3456-7890",
        "jabatan": "Analis Kepegawaian",
        "password1": "Rahasia123",
        "password2": "Rahasia123",
        "consent": "on",
    }
    data.update(overrides)
    return captcha(**data)


def activation_link(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://\S+/aktivasi/[\w-]+/", str(message.body))
    assert match, message.body
    return match.group(0).split("8000", 1)[-1]


def test_an_internal_employee_registers_and_gets_an_activation_mail(
    client: Client, unit: Unit
) -> None:
    response = client.post("/daftar/", form(unit))

    assert response.status_code == 302 and response["Location"] == "/daftar/terkirim/"
    user = User.objects.get()
    assert user.username == NIP  # spaces removed
    assert user.employee_type == EmployeeType.INTERNAL and user.nip_kind == "PNS"
    assert user.unit == unit and user.phone == "081234567890"
    assert user.activated_at is None and user.privacy_consent_at is not None
    assert user.check_password("Rahasia123")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti@example.go.id"]
    assert "/aktivasi/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives and "/aktivasi/" in mail.outbox[0].alternatives[0][0]  # type: ignore[attr-defined]
    assert "siti@example.go.id" in client.get("/daftar/terkirim/").content.decode()


def test_an_external_participant_registers_with_a_username_and_institution(
    client: Client, unit: Unit
) -> None:
    response = client.post(
        "/daftar/",
        form(
            unit, employee_type="external", unit="", username="rina.w", instansi="Universitas Demo"
        ),
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert (user.username, user.instansi, user.unit) == ("rina.w", "Universitas Demo", None)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"username": "19860926201505100"},
            "username",
            "NIP harus 18 digit angka; Anda mengisi 17 digit.",
        ),
        ({"username": "1986092620150510011"}, "username", "Anda mengisi 19 digit"),
        ({"username": "1986092620150510AB"}, "username", "NIP hanya boleh berisi angka"),
        (
            {"username": "199913402015051001"},
            "username",
            "Tanggal lahir pada NIP (digit 1–8) tidak valid.",
        ),
        (
            {"username": "198609262015053001"},
            "username",
            "Digit ke-15 NIP (jenis kelamin) harus 1 atau 2.",
        ),
        (
            {"employee_type": "external", "username": "198609262015051001", "instansi": "X"},
            "username",
            "menyerupai NIP",
        ),
        ({"password2": "Rahasia124"}, "password2", "Kedua password tidak sama."),
        ({"password1": "rahasia", "password2": "rahasia"}, "password1", "minimal 8 karakter"),
        ({"password1": "rahasia123", "password2": "rahasia123"}, "password1", "huruf besar"),
        ({"email": "bukan-email"}, "email", "alamat email"),
        ({"full_name": ""}, "full_name", "wajib diisi"),
        ({"unit": ""}, "unit", "Pilih unit pusat atau unit kerja Anda."),
        ({"consent": ""}, "consent", "pemberitahuan privasi"),
        ({"captcha_1": ""}, "captcha", "Validasi Gagal! Coba Lagi!"),
        ({"captcha_1": "WRONG"}, "captcha", "Validasi Gagal! Coba Lagi!"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_creates_nothing(
    client: Client, unit: Unit, overrides: dict[str, str], field: str, message: str
) -> None:
    response = client.post("/daftar/", form(unit, **overrides))

    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors.get(field, []))
    assert message.lower() in errors.lower(), response.context["form"].errors
    assert User.objects.count() == 0 and len(mail.outbox) == 0
    assert 'value="Siti Rahmawati"' in response.content.decode() or field == "full_name"


def test_a_registered_nip_or_email_gets_the_same_page_and_its_owner_a_mail(
    client: Client, unit: Unit, make_user: Callable[..., User]
) -> None:
    owner = make_user(NIP, email="Siti@Example.go.id")

    response = client.post("/daftar/", form(unit, email="lain@example.go.id"))

    # Exactly what a new registration gets: nothing tells the visitor the NIP is taken.
    assert response.status_code == 302 and response["Location"] == "/daftar/terkirim/"
    assert User.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "sudah memiliki akun" in mail.outbox[0].body
    assert "/aktivasi/" not in mail.outbox[0].body


def test_the_activation_link_works_once(client: Client, unit: Unit) -> None:
    client.post("/daftar/", form(unit))
    link = activation_link(mail.outbox[0])

    first = client.get(link)
    assert first.status_code == 200
    assert "Akun berhasil diaktifkan" in first.content.decode()
    assert User.objects.get().activated_at is not None

    again = client.get(link)
    assert "Akun Anda sudah aktif" in again.content.decode()


def test_a_tampered_or_expired_link_says_so_and_offers_resending(
    client: Client, unit: Unit
) -> None:
    client.post("/daftar/", form(unit))
    link = activation_link(mail.outbox[0])

    tampered = client.get(link[:-3] + "xx/")
    assert tampered.status_code == 400
    assert "Kirim Ulang Verifikasi" in tampered.content.decode()

    AccountToken.objects.update(expires_at="2000-01-01T00:00:00Z")
    expired = client.get(link)
    assert expired.status_code == 400
    assert "kedaluwarsa" in expired.content.decode()
    assert User.objects.get().activated_at is None


def test_resending_activation_retires_the_old_link(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user(NIP, activated=False, email="budi@example.go.id")
    client.post("/kirim-ulang-verifikasi/", captcha(username=NIP, email="budi@example.go.id"))
    client.post("/kirim-ulang-verifikasi/", captcha(username=NIP, email="BUDI@example.go.id"))
    old, new = activation_link(mail.outbox[0]), activation_link(mail.outbox[1])

    assert client.get(old).status_code == 400
    assert client.get(new).status_code == 200
    assert User.objects.get().activated_at is not None


def test_resending_needs_the_registered_email(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user(NIP, activated=False, email="budi@example.go.id")
    response = client.post(
        "/kirim-ulang-verifikasi/", captcha(username=NIP, email="lain@example.go.id")
    )
    assert "tidak cocok" in response.content.decode()
    assert len(mail.outbox) == 0


def test_resending_is_rate_limited_per_account(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user(NIP, activated=False, email="budi@example.go.id")
    for _ in range(5):
        client.post("/kirim-ulang-verifikasi/", captcha(username=NIP, email="budi@example.go.id"))
    response = client.post(
        "/kirim-ulang-verifikasi/", captcha(username=NIP, email="budi@example.go.id")
    )
    assert "Terlalu banyak permintaan" in response.content.decode()
    assert len(mail.outbox) == 5


def test_registrations_never_activated_are_purged_freeing_the_nip(
    make_user: Callable[..., User],
) -> None:
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    stale = make_user(NIP, activated=False)
    User.objects.filter(pk=stale.pk).update(date_joined=timezone.now() - timedelta(days=8))
    make_user("197001011995031001", activated=False)  # recent: kept
    make_user("197201012000031002")  # activated: kept

    call_command("run_periodic_jobs", job=["purge-unactivated-accounts"], force=True)

    assert not User.objects.filter(username=NIP).exists()
    assert User.objects.count() == 2
