"""Seed 000 sections I–VIII and seed 001 section B: registering, activating,
logging in (with each of the manual's messages), resending activation,
forgetting the password, the profile and the settings page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from e2e.pages import check_page, open_main_menu
from mooc.accounts.models import Unit, User
from mooc.certificates.models import Certificate

pytestmark = pytest.mark.django_db(transaction=True)
NIP = "198609262015051001"
DEMO_NIP = "198609262015051001"


@pytest.fixture(autouse=True)
def _demo(demo_content: None) -> None:
    # The demo learner would collide with the NIP registered below. Certificates
    # protect their holder from deletion, so the demo one goes first.
    Certificate.objects.filter(user__username=DEMO_NIP).delete()
    User.objects.filter(username=DEMO_NIP).delete()


def url(page: Page, path: str) -> str:
    return page.base_url + path  # type: ignore[attr-defined,no-any-return]


def fill_captcha(page: Page) -> None:
    page.get_by_label("Ketik kode pada gambar").fill("PASSED")


def log_in(page: Page, username: str, password: str) -> None:
    page.goto(url(page, "/login/"))
    page.get_by_label("NIP/Username").fill(username)
    page.get_by_label(re.compile(r"^Password\W*$")).fill(password)
    fill_captcha(page)
    page.get_by_role("button", name="Login").click()


def test_register_activate_login_and_land_on_beranda(page: Page, viewport: str) -> None:
    page.goto(url(page, "/"))
    open_main_menu(page)
    page.get_by_role("link", name="Daftar", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar")
    check_page(page, "register", viewport)

    page.get_by_label("Internal").check()
    page.get_by_label("Cari unit").fill("bandung")
    unit = Unit.objects.get(code="KW-JABAR-LPS-BDG")
    page.get_by_label("Unit Pusat/Unit Kerja").select_option(value=str(unit.pk))
    expect(page.get_by_label("Unit Pusat/Unit Kerja")).to_contain_text("Lapas Kelas IIA Bandung")
    page.get_by_label("Nama Lengkap").fill("Siti Rahmawati")
    page.get_by_label("NIP/Username").fill("19860926 201505 1 001")
    page.get_by_label("Alamat Email (Untuk Aktivasi)").fill("siti@example.go.id")
    page.get_by_label("Nomor Telepon").fill("081234567890")
    page.get_by_label("Jabatan").fill("Analis Kepegawaian")
    page.get_by_label(re.compile(r"^Password\W*$")).fill("Rahasia123")
    page.get_by_label("Konfirmasi Password").fill("Rahasia123")
    fill_captcha(page)
    page.get_by_label(re.compile("Saya telah membaca pemberitahuan privasi")).check()
    page.get_by_role("button", name="Daftar", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Periksa email Anda")
    check_page(page, "register-done", viewport)
    link = re.search(r"https?://\S+(/aktivasi/[\w-]+/)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    page.goto(url(page, link))
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun berhasil diaktifkan")
    check_page(page, "activated", viewport)

    page.get_by_role("link", name="Login").last.click()
    check_page(page, "login", viewport)
    page.get_by_label("NIP/Username").fill(NIP)
    page.get_by_label(re.compile(r"^Password\W*$")).fill("Rahasia123")
    fill_captcha(page)
    page.get_by_role("button", name="Login").click()

    expect(page).to_have_url(re.compile("/beranda/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Beranda")
    expect(page.get_by_text("Siti Rahmawati")).to_be_visible()
    check_page(page, "beranda", viewport)


def test_each_login_message_in_the_manuals_order(page: Page, viewport: str, make_learner) -> None:  # type: ignore[no-untyped-def]
    make_learner(activated=False)
    page.goto(url(page, "/login/"))
    page.get_by_label("NIP/Username").fill("197001011995031001")
    page.get_by_label(re.compile(r"^Password\W*$")).fill("apa saja")
    page.get_by_label("Ketik kode pada gambar").fill("SALAH")
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_role("alert")).to_contain_text("Validasi Gagal! Coba Lagi!")
    check_page(page, "login-captcha-failed", viewport)

    log_in(page, "197001011995031001", "Rahasia123")
    expect(page.get_by_role("alert")).to_contain_text("NIP belum terdaftar")
    expect(page.get_by_role("alert").get_by_role("link", name="Daftar")).to_be_visible()

    log_in(page, NIP, "Salah12345")
    expect(page.get_by_role("alert")).to_contain_text("NIP atau Password salah!")
    expect(page.get_by_role("alert").get_by_role("link", name="Lupa Password")).to_be_visible()

    log_in(page, NIP, "Rahasia123")
    expect(page.get_by_role("alert")).to_contain_text("Akun Anda belum diaktivasi")
    page.get_by_role("alert").get_by_role("link", name="Kirim Ulang Verifikasi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirim Ulang Verifikasi")
    check_page(page, "resend-activation", viewport)

    page.get_by_label("NIP/Username").fill(NIP)
    page.get_by_label("Email yang terdaftar").fill("budi@example.go.id")
    fill_captcha(page)
    page.get_by_role("button", name="Kirim").click()
    expect(page.get_by_text("Tautan aktivasi baru telah dikirim ke email Anda.")).to_be_visible()
    assert mail.outbox[-1].to == ["budi@example.go.id"]


def test_forgot_password_then_log_in_with_the_new_one(
    page: Page, viewport: str, make_learner
) -> None:  # type: ignore[no-untyped-def]
    make_learner()
    log_in(page, NIP, "Lupa12345")
    page.get_by_role("alert").get_by_role("link", name="Lupa Password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lupa Password")
    check_page(page, "forgot-password", viewport)
    page.get_by_label("NIP/Username").fill(NIP)
    page.get_by_label("Email yang terdaftar").fill("budi@example.go.id")
    fill_captcha(page)
    page.get_by_role("button", name="Lanjutkan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Password Baru")
    check_page(page, "new-password", viewport)
    page.get_by_label(re.compile(r"^Password Baru\W*$")).fill("BaruSekali2026")
    page.get_by_label("Konfirmasi Password Baru").fill("BaruSekali2026")
    page.get_by_role("button", name="Ubah Password").click()

    expect(
        page.get_by_text("Password Anda telah diubah. Silakan login dengan password baru.")
    ).to_be_visible()
    log_in(page, NIP, "BaruSekali2026")
    expect(page).to_have_url(re.compile("/beranda/$"))


def open_user_menu(page: Page) -> None:
    """Open the profile menu, top right (inside the collapsed menu on a phone).

    Waits for each animation to finish: a click during Bootstrap's collapse
    transition can be swallowed.
    """
    open_main_menu(page)
    page.get_by_role("button", name="Budi").click()
    expect(page.get_by_role("button", name="Logout")).to_be_visible()


def test_profile_and_settings(page: Page, viewport: str, make_learner) -> None:  # type: ignore[no-untyped-def]
    make_learner()
    log_in(page, NIP, "Rahasia123")
    open_user_menu(page)
    page.get_by_role("link", name="Profil", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Profil")
    check_page(page, "profile", viewport)
    page.get_by_label("Nomor Telepon").fill("0812 3456 7890")
    page.get_by_label("Jabatan").fill("Analis Hukum Ahli Muda")
    page.get_by_role("button", name="Simpan Perubahan Profil").click()
    expect(page.get_by_text("Profil Anda telah disimpan.")).to_be_visible()
    assert User.objects.get(username=NIP).jabatan == "Analis Hukum Ahli Muda"

    page.goto(url(page, "/pengaturan/"))
    check_page(page, "settings", viewport)
    page.get_by_label("Password Lama").fill("Rahasia123")
    page.get_by_label(re.compile(r"^Password Baru\W*$")).fill("Rahasia456")
    page.get_by_label("Konfirmasi Password Baru").fill("Rahasia456")
    page.get_by_role("button", name="Ubah Password").click()
    expect(page.get_by_text("Password Anda telah diubah.")).to_be_visible()
    assert User.objects.get(username=NIP).check_password("Rahasia456")

    open_user_menu(page)
    page.get_by_role("button", name="Logout").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto(url(page, "/beranda/"))
    expect(page).to_have_url(re.compile(r"/login/\?next=/beranda/$"))


def test_lockout_and_its_message(page: Page, viewport: str, make_learner, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    make_learner()
    for _ in range(3):
        log_in(page, NIP, "Salah12345")
    log_in(page, NIP, "Rahasia123")
    expect(page.get_by_role("alert")).to_contain_text(
        "Terlalu banyak percobaan login yang gagal. Coba lagi dalam 15 menit."
    )
    check_page(page, "login-locked-out", viewport)
