"""An admin uploads a GIFT file with good, unsupported and malformed questions: the
report lists each question that was not imported, with its line and reason."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.pages import check_page, pass_second_step
from mooc.exams.models import Question

pytestmark = pytest.mark.django_db(transaction=True)

GIFT = """// Bank latihan
::baik-1:: Nilai dasar ASN disingkat? {=BerAKHLAK ~Pancasila ~Sapta Marga}

::baik-2:: ASN wajib netral dalam pemilu. {T}

::esai-1:: Jelaskan makna akuntabel. {}

::rusak-1:: Soal tanpa kurung tutup {=Ya ~Tidak
"""


def test_an_admin_imports_a_gift_file_and_reads_the_report(
    page: Page, viewport: str, demo_content: None
) -> None:
    page.goto(page.base_url + "/login/?next=/admin/exams/question/")  # type: ignore[attr-defined]
    page.get_by_label("NIP/Username").fill("admin")
    page.get_by_label(re.compile(r"^Password\W*$")).fill("AdminDemo2026")
    page.get_by_label("Ketik kode pada gambar").fill("PASSED")
    page.get_by_role("button", name="Login").click()
    pass_second_step(page, "admin")  # the demo admin's printed TOTP device

    page.get_by_role("link", name="Impor soal").click()
    page.get_by_label("Pelatihan").select_option(label="Etika Pelayanan Publik")
    page.get_by_label("Berkas soal (GIFT atau Aiken)").set_input_files(
        files=[{"name": "latihan.gift", "mimeType": "text/plain", "buffer": GIFT.encode()}]
    )
    page.get_by_role("button", name="Impor").click()

    counts = page.locator("#import-counts")
    expect(counts).to_be_visible()
    issues = page.locator("#import-issues tbody tr")
    expect(issues).to_have_count(2)
    expect(issues.nth(0)).to_contain_text("6")
    expect(issues.nth(0)).to_contain_text("esai-1")
    expect(issues.nth(0)).to_contain_text("esai")
    expect(issues.nth(1)).to_contain_text("8")
    expect(issues.nth(1)).to_contain_text("rusak-1")
    check_page(page, "admin-question-import-report", viewport)
    assert set(
        Question.objects.filter(key__in=["baik-1", "baik-2", "esai-1", "rusak-1"]).values_list(
            "key", flat=True
        )
    ) == {
        "baik-1",
        "baik-2",
    }
