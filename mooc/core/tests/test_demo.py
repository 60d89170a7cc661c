from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp
from pytest_django import Settings

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"core", "accounts", "content"}
    }


def test_loading_the_demo_twice_changes_nothing_the_second_time(demo_content: None) -> None:
    first = row_counts()
    call_command("load_demo", allow_production=True)
    assert row_counts() == first
    assert first["core.SiteSettings"] == 1
    assert first["accounts.User"] >= 1


def test_the_demo_logins_work(client: Client, demo_content: None) -> None:
    from mooc.accounts.demo import DEMO_LOGINS

    for login in DEMO_LOGINS:
        response = client.post(
            "/login/",
            {
                "username": login.username,
                "password": login.password,
                "captcha_0": "t",
                "captcha_1": "PASSED",
            },
        )
        assert response.status_code == 302, login.username
        if login.totp_key:  # the code a newcomer's app shows for the printed otpauth:// URI
            code = totp(bytes.fromhex(login.totp_key))
            client.post("/verifikasi-dua-langkah/", {"code": f"{code:06d}"})
        expected = 200 if login.is_superuser or login.is_staff else 302
        assert client.get("/admin/").status_code == expected
        client.post("/logout/")


def test_the_demo_is_refused_in_production(settings: Settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing to load demo content"):
        call_command("load_demo")


def test_demo_logins_are_printed(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert "admin" in out and "AdminDemo2026" in out
    assert "otpauth://totp/MOOC%20ASN%3Aadmin?secret=" in out
