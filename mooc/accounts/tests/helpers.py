"""Signing in from tests, and the captcha answer forms need."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.test import Client
from openpyxl import Workbook

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory


def captcha(**data: str) -> dict[str, str]:
    """Form data with the captcha answered as CAPTCHA_TEST_MODE allows."""
    return {"captcha_0": "test", "captcha_1": "PASSED", **data}


def in_english(client: Client) -> Client:
    """The site is Indonesian unless the language cookie says otherwise; English text
    lets tests read our own strings before their Indonesian entries exist."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def logged_in(client: Client, user: User) -> Client:
    """The client signed in as `user`, with the English interface (messages are
    asserted in the source language)."""
    client.force_login(user)
    return in_english(client)


def signed_in(client: Client, user: User | None = None) -> User:
    """Signs `client` in as `user` (a new learner if none) and returns the user."""
    user = user or UserFactory.create()
    client.force_login(user)
    return user


# --- User import spreadsheets -----------------------------------------------------

COLUMNS = ["employee_type", "nip_username", "full_name", "email", "phone", "jabatan"]
COLUMNS += ["unit_code", "instansi"]


def nip(serial: int) -> str:
    return f"198609262015051{serial:03d}"


def internal(serial: int, **overrides: str) -> list[str]:
    row = {
        "employee_type": "Internal",
        "nip_username": nip(serial),
        "full_name": f"Pegawai {serial}",
        "email": f"pegawai{serial}@example.go.id",
        "phone": "081234567890",
        "jabatan": "Analis",
        "unit_code": "KW-JABAR",
        "instansi": "",
    }
    row.update(overrides)
    return [row[column] for column in COLUMNS]


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
