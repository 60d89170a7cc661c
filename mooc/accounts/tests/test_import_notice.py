"""Imported accounts are told: each gets a mail, in Indonesian and with the
institution's name, with a single-use link to set the first password; and the import
page offers its template as CSV and Excel."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from mooc.accounts.imports import USER_COLUMNS, users_import
from mooc.accounts.models import Unit, User
from mooc.accounts.tests.factories import ContentAdminFactory
from mooc.accounts.tests.helpers import COLUMNS, internal, nip
from mooc.core.models import AuditLog
from mooc.core.selectors import site_settings_get

pytestmark = pytest.mark.django_db

IMPORT = "admin:accounts_user_import"
TEMPLATE = "admin:accounts_user_import_template"


def csv_bytes(rows: list[list[str]]) -> bytes:
    return ("\n".join([",".join(COLUMNS), *(",".join(row) for row in rows)]) + "\n").encode()


def imported(admin_client: Client, rows: list[list[str]], capture: Callable[..., Any]) -> list[Any]:
    checked = admin_client.post(
        reverse(IMPORT), {"file": SimpleUploadedFile("pegawai.csv", csv_bytes(rows))}
    )
    assert checked.context["report"].ok
    with capture(execute=True):
        admin_client.post(reverse(IMPORT), {"token": checked.context["token"]})
    return list(mail.outbox)


def link_in(message: Any) -> str:
    found = re.search(r"https?://\S+(/akun-baru/[\w-]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_each_imported_account_gets_one_mail_in_indonesian_with_the_branding(
    admin_client: Client, unit: Unit, django_capture_on_commit_callbacks: Any
) -> None:
    site = site_settings_get()
    with translation.override("en"):  # the admin works in English; the mails do not
        outbox = imported(
            admin_client, [internal(1), internal(2)], django_capture_on_commit_callbacks
        )

    assert sorted(m.to[0] for m in outbox) == ["pegawai1@example.go.id", "pegawai2@example.go.id"]
    message = next(m for m in outbox if m.to == ["pegawai1@example.go.id"])
    assert message.subject == f"Akun {site.name} Anda sudah siap: atur kata sandi Anda"
    assert nip(1) in message.body and "Halo Pegawai 1," in message.body
    assert "berlaku sekali, selama 14 hari" in message.body
    html = message.alternatives[0][0]
    assert site.name in html and site.primary_colour in html
    assert "Atur kata sandi saya" in html


def test_the_link_sets_the_first_password_once(
    admin_client: Client, unit: Unit, django_capture_on_commit_callbacks: Any
) -> None:
    outbox = imported(admin_client, [internal(1)], django_capture_on_commit_callbacks)
    url = link_in(outbox[0])
    visitor = Client()

    page = visitor.get(url)
    weak = visitor.post(url, {"password1": "pendek", "password2": "pendek"})
    done = visitor.post(url, {"password1": "Rahasia2026", "password2": "Rahasia2026"})
    again = visitor.get(url)

    assert page.status_code == 200 and "Pegawai 1" in page.content.decode()
    assert weak.status_code == 200 and weak.context["form"].errors
    assert done.status_code == 302 and done["Location"] == reverse("accounts:login")
    user = User.objects.get(username=nip(1))
    assert user.check_password("Rahasia2026")
    assert AuditLog.objects.filter(action="user.account_setup", target_id=str(user.pk)).exists()
    assert again.status_code == 400  # used: the page offers "Lupa Password" instead
    assert visitor.get("/akun-baru/made-up-token/").status_code == 400


def test_a_dry_run_or_a_refused_file_mails_nobody(
    admin_client: Client, unit: Unit, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        users_import(actor=None, name="a.csv", data=csv_bytes([internal(1)]), commit=False)
        bad = internal(2, nip_username="123")
        users_import(actor=None, name="b.csv", data=csv_bytes([internal(3), bad]), commit=True)

    assert mail.outbox == []
    assert not User.objects.filter(username=nip(3)).exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_import_page_offers_the_template_as_csv_and_excel(
    admin_client: Client, kind: str
) -> None:
    page = admin_client.get(reverse(IMPORT)).content.decode()
    url = reverse(TEMPLATE, args=[kind])
    assert url in page

    response = admin_client.get(url)

    assert response.status_code == 200
    assert f'filename="template-impor-pengguna.{kind}"' in response["Content-Disposition"]
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
        assert sheet["B2"].number_format == "@"  # the NIP stays text in Excel
    assert rows[0] == list(USER_COLUMNS)
    assert rows[1][1] == "198609262015051001"  # all 18 digits


def test_the_template_is_for_staff_who_may_add_users(client: Client) -> None:
    assert client.get(reverse(TEMPLATE, args=["csv"])).status_code == 302  # to the login
    content_admin = ContentAdminFactory.create()
    client.force_login(content_admin)
    assert client.get(reverse(TEMPLATE, args=["csv"])).status_code == 403


def test_an_unknown_template_format_is_not_found(admin_client: Client) -> None:
    assert admin_client.get(reverse(TEMPLATE, args=["pdf"])).status_code == 404
