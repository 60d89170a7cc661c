"""Staff two-step verification in the browser: a new staff account enrols an
authenticator from the QR page's key, keeps its recovery codes and reaches the
admin; the demo admin signs in with a TOTP code and has the browser remembered."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.pages import check_page, totp_code
from mooc.accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Page, username: str, password: str, next_url: str) -> None:
    page.goto(page.base_url + f"/login/?next={next_url}")  # type: ignore[attr-defined]
    page.get_by_label("NIP/Username").fill(username)
    page.get_by_label(re.compile(r"^Password\W*$")).fill(password)
    page.get_by_label("Ketik kode pada gambar").fill("PASSED")
    page.get_by_role("button", name="Login").click()


def test_a_new_staff_account_enrols_by_qr_code_and_reaches_the_admin(
    page: Page, viewport: str
) -> None:
    User.objects.create_user(
        username="operator",
        password="Rahasia123",
        email="operator@example.go.id",
        is_staff=True,
        activated_at=timezone.now(),
    )
    log_in(page, "operator", "Rahasia123", "/admin/")

    expect(page).to_have_url(re.compile(r"/verifikasi-dua-langkah/aktifkan/\?next=%2Fadmin%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktifkan verifikasi dua langkah")
    expect(page.get_by_role("img", name="Kode QR untuk aplikasi autentikator")).to_be_visible()
    check_page(page, "mfa-enrol", viewport)

    # What a person types into the app when the QR code cannot be scanned.
    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8)).hex()
    page.get_by_label("Kode dari aplikasi").fill("000000" if totp_code(key) != "000000" else "1")
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.get_by_text("Kode tidak benar.")).to_be_visible()
    check_page(page, "mfa-enrol-wrong-code", viewport)

    page.wait_for_timeout(1100)  # django-otp's throttle: 1 s after a wrong code
    page.get_by_label("Kode dari aplikasi").fill(totp_code(key))
    page.get_by_role("button", name="Aktifkan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kode pemulihan")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    expect(page.get_by_role("link", name="Unduh kode")).to_be_visible()
    expect(page.get_by_role("button", name="Cetak kode")).to_be_visible()  # shown by print.js
    check_page(page, "mfa-recovery-codes", viewport)
    page.get_by_role("link", name="Saya sudah menyimpan kode pemulihan").click()

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="Administrasi BPSDM")).to_be_visible()


def test_the_demo_admin_signs_in_with_a_totp_code_and_is_remembered(
    page: Page, viewport: str, demo_content: None
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mooc.accounts.demo import DEMO_LOGINS

    admin = next(login for login in DEMO_LOGINS if login.totp_key)
    log_in(page, admin.username, admin.password, "/admin/")

    expect(page).to_have_url(re.compile(r"/verifikasi-dua-langkah/\?next=%2Fadmin%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi dua langkah")
    check_page(page, "mfa-verify", viewport)
    page.get_by_label("Kode verifikasi").fill(totp_code(admin.totp_key))
    page.get_by_label("Ingat browser ini selama 30 hari").check()
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.get_by_role("heading", name="Administrasi BPSDM")).to_be_visible()

    cookie = next(c for c in page.context.cookies() if c["name"] == "mooc_mfa_remember")
    assert cookie["httpOnly"]
    assert cookie["expires"] - timezone.now().timestamp() <= 30 * 24 * 3600 + 5

    # Signed out and in again on this browser: the password, but no code.
    page.goto(page.base_url + "/pengaturan/")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="Verifikasi dua langkah")).to_be_visible()
    check_page(page, "mfa-settings-staff", viewport)
    page.context.clear_cookies(name="sessionid")
    log_in(page, admin.username, admin.password, "/admin/")
    expect(page.get_by_role("heading", name="Administrasi BPSDM")).to_be_visible()
    assert TOTPDevice.objects.filter(user__username=admin.username).count() == 1
