"""The login queue: past the site's logins per second the learner waits on a page that
says so and signs them in by itself (the form posted again with its turn's ticket);
no password is hashed and no captcha used up while waiting."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings

from mooc.accounts.models import User
from mooc.accounts.tests.factories import NIP, PASSWORD
from mooc.accounts.tests.helpers import captcha

pytestmark = pytest.mark.django_db

NOW = 1_800_000_000.5


def clock(monkeypatch: pytest.MonkeyPatch, now: float) -> None:
    monkeypatch.setattr("mooc.core.admission.time.time", lambda: now)


@pytest.fixture(autouse=True)
def one_login_a_second(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.LOGIN_ADMISSION_RATE = 1
    settings.LOGIN_ADMISSION_MAX_WAIT = 5
    clock(monkeypatch, NOW)


def hidden_fields(response: Any) -> dict[str, str]:
    page = response.content.decode()
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }


def test_a_learner_past_the_rate_waits_then_the_page_signs_them_in(
    client: Client, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user()
    Client().post("/login/", captcha(username="someone", password="x"))  # takes this second

    waiting = client.post("/login/", captcha(username=NIP, password=PASSWORD, next="/riwayat/"))

    assert waiting.status_code == 200 and waiting["Retry-After"] == "1"
    page = waiting.content.decode()
    assert "Menunggu giliran…" in page and "sekitar 1 detik" in page and "js/queue.js" in page
    assert "no-store" in waiting["Cache-Control"]
    fields = hidden_fields(waiting)
    assert fields["username"] == NIP and fields["password"] == PASSWORD
    assert fields["next"] == "/riwayat/" and fields["captcha_1"] == "PASSED"
    assert "csrfmiddlewaretoken" in fields and fields["ticket"]
    assert "_auth_user_id" not in client.session

    clock(monkeypatch, NOW + 1)
    fields.pop("csrfmiddlewaretoken")
    signed_in = client.post("/login/", fields)

    assert signed_in.status_code == 302 and signed_in["Location"] == "/riwayat/"
    assert client.get("/beranda/").status_code == 200


def test_waiting_hashes_no_password(
    client: Client, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user()
    Client().post("/login/", captcha(username="someone", password="x"))
    hashed: list[str] = []

    def check_password(self: User, raw: str) -> bool:
        hashed.append(raw)
        return False

    monkeypatch.setattr(User, "check_password", check_password)

    assert client.post("/login/", captcha(username=NIP, password=PASSWORD)).status_code == 200
    assert hashed == []


def test_hostile_fields_are_cut_and_escaped_on_the_waiting_page(client: Client) -> None:
    Client().post("/login/", captcha(username="someone", password="x"))
    data = captcha(username='"><script>alert(1)</script>', password="p" * 5000)
    data.update({f"extra{i}": "v" for i in range(30)})

    response = client.post("/login/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    fields = hidden_fields(response)
    assert len(fields["password"]) == 1000 and len(fields) <= 14


def test_the_queue_off_logs_in_directly(
    client: Client, make_user: Callable[..., User], settings: Settings
) -> None:
    settings.LOGIN_ADMISSION_RATE = 0
    make_user()
    Client().post("/login/", captcha(username="someone", password="x"))
    assert client.post("/login/", captcha(username=NIP, password=PASSWORD)).status_code == 302
