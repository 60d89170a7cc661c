"""UU PDP: a learner goes from "Profil" to "Data pribadi", asks for a copy of their data,
downloads the zip and reads it back; then asks for their account to be deleted."""

from __future__ import annotations

import json
import re
import zipfile
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.pages import check_page, open_main_menu
from mooc.privacy.models import DeletionRequest, DeletionState

pytestmark = pytest.mark.django_db(transaction=True)
NIP = "198609262015051001"


def login(page: Page, next_url: str) -> None:
    page.goto(page.base_url + f"/login/?next={next_url}")  # type: ignore[attr-defined]
    page.get_by_label("NIP/Username").fill(NIP)
    page.get_by_label(re.compile(r"^Password\W*$")).fill("Rahasia123")
    page.get_by_label("Ketik kode pada gambar").fill("PASSED")
    page.get_by_role("button", name="Login").click()


def test_a_learner_downloads_their_data_and_asks_for_deletion(
    page: Page, viewport: str, make_learner: Any, tmp_path: Any
) -> None:
    learner = make_learner()
    login(page, "/profil/")
    expect(page.get_by_role("heading", name="Profil", exact=True)).to_be_visible()
    open_main_menu(page)  # nothing needed from the menu, but the page must work on phones
    page.get_by_role("link", name="Kelola data pribadi saya").click()
    expect(page.get_by_role("heading", name="Data pribadi Anda")).to_be_visible()
    check_page(page, "personal-data", viewport)

    page.get_by_role("button", name="Siapkan data saya").click()
    expect(page.get_by_text("Data Anda sudah siap")).to_be_visible()
    download_link = page.get_by_test_id("export-download")
    expect(download_link).to_have_count(1)
    check_page(page, "personal-data-ready", viewport)

    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert re.fullmatch(r"data-pribadi-\d{8}-\d{4}\.zip", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with zipfile.ZipFile(path) as archive:
        profile = json.loads(archive.read("profile.json"))
        assert profile["username"] == NIP and profile["email"] == "budi@example.go.id"
        for name in archive.namelist():
            if name.endswith(".json"):
                json.loads(archive.read(name))

    # Deletion: a wrong password is said next to the field, the right one sends the request.
    page.get_by_label("Password Anda").fill("bukan-ini")
    page.get_by_role("button", name="Minta akun saya dihapus").click()
    expect(page.get_by_text("Password tidak benar.")).to_be_visible()
    check_page(page, "personal-data-deletion-error", viewport)
    page.get_by_label("Password Anda").fill("Rahasia123")
    page.get_by_role("button", name="Minta akun saya dihapus").click()
    expect(page.get_by_test_id("deletion-pending")).to_be_visible()
    check_page(page, "personal-data-deletion-pending", viewport)
    assert DeletionRequest.objects.get(user=learner).state == DeletionState.PENDING
