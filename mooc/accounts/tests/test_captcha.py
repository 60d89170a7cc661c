from __future__ import annotations

import pytest
from django.test import Client
from pytest_django import Settings

pytestmark = pytest.mark.django_db


def test_the_image_captcha_has_a_refresh_button_and_a_fresh_code(client: Client) -> None:
    page = client.get("/login/").content.decode()
    assert 'class="captcha-image' in page and "/captcha/image/" in page
    assert 'aria-label="Tampilkan kode baru"' in page
    refresh = client.get("/captcha/refresh/", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert refresh.status_code == 200 and "/captcha/image/" in refresh.json()["image_url"]


def test_recaptcha_replaces_the_image_when_keys_are_configured(
    client: Client, settings: Settings
) -> None:
    settings.CAPTCHA_BACKEND = "recaptcha"
    settings.CAPTCHA_TEST_MODE = False
    settings.RECAPTCHA_PUBLIC_KEY = "public-key-for-test"
    settings.RECAPTCHA_PRIVATE_KEY = "private-key-for-test"
    page = client.get("/login/").content.decode()
    assert "g-recaptcha" in page and "public-key-for-test" in page
    assert "/captcha/image/" not in page
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert "Validasi Gagal! Coba Lagi!" in response.content.decode()


def test_without_test_mode_the_magic_answer_is_refused(client: Client, settings: Settings) -> None:
    from captcha.conf import settings as captcha_settings

    original = captcha_settings.CAPTCHA_TEST_MODE
    captcha_settings.CAPTCHA_TEST_MODE = False
    try:
        response = client.post(
            "/login/", {"username": "x", "password": "y", "captcha_0": "k", "captcha_1": "PASSED"}
        )
    finally:
        captcha_settings.CAPTCHA_TEST_MODE = original
    assert "Validasi Gagal! Coba Lagi!" in response.content.decode()
