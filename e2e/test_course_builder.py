"""A content admin builds a course in the course builder, from an empty course to a
published one: sections and materials added, bold text, a list and a picture typed into
the editor, a material moved with the keyboard, the readiness warnings read and
confirmed; then a learner opens the material and sees it formatted."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from e2e.pages import check_page, login, pass_second_step
from mooc.accounts.tests.factories import PASSWORD, UserFactory
from mooc.catalog.models import Category, Course, Enrollment
from mooc.learning.models import Material

pytestmark = pytest.mark.django_db(transaction=True)

WORD_HTML = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><!--StartFragment-->'
    "<p class=MsoNormal style='margin:0cm;font-family:\"Calibri\",sans-serif'><b>"
    "<span style='font-size:14pt;color:red'>Standar</span></b>"
    "<span style='mso-spacerun:yes'> </span>layanan<o:p></o:p></p>"
    "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'>Jelas dan terbuka</p>"
    '<img src="file:///C:/Users/pegawai/AppData/Local/Temp/image001.png">'
    "<!--EndFragment--></body></html>"
)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 90, 160)).save(out, "PNG")
    return out.getvalue()


def _add_section(page: Page, builder: str, title: str) -> None:
    page.get_by_role("link", name="Tambah bagian").click()
    page.locator("#id_title").fill(title)
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.goto(builder)


def test_a_course_is_built_published_and_read(
    page: Page, viewport: str, demo_content: None
) -> None:
    course = Course.objects.create(
        slug="pelayanan-prima",
        title="Pelayanan Prima",
        summary="Dasar-dasar pelayanan publik.",
        category=Category.objects.first(),
        jp=0,
        is_published=False,
    )
    base = page.base_url  # type: ignore[attr-defined]
    builder = f"{base}/admin/catalog/course/{course.pk}/builder/"
    login(page, "admin", "AdminDemo2026", builder)
    pass_second_step(page, "admin")

    expect(page.get_by_role("heading", name="Siap diterbitkan?")).to_be_visible()
    expect(page.get_by_text("Kursus belum memiliki materi.")).to_be_visible()
    check_page(page, "builder-empty", viewport)

    _add_section(page, builder, "Pendahuluan")
    _add_section(page, builder, "Penutup")

    # A material with formatted text and a picture, typed in the editor.
    page.get_by_role("link", name="Tambah materi (Pendahuluan)").click()
    page.locator("#id_title").fill("Mengenal pelayanan prima")
    editor = page.locator(".rich-text-field [contenteditable=true]").first
    expect(editor).to_be_visible()
    check_page(page, "material-editor", viewport)
    editor.click()
    page.keyboard.press("Control+b")
    page.keyboard.type("Pelayanan prima")
    page.keyboard.press("Control+b")
    page.keyboard.type(" berarti melayani dengan sepenuh hati.")
    page.keyboard.press("Enter")
    page.keyboard.type("- ")  # the editor turns it into a bulleted list
    page.keyboard.type("Ramah")
    page.keyboard.press("Enter")
    page.keyboard.type("Cepat")
    page.get_by_role("button", name="Sisipkan gambar").click()
    page.get_by_label(re.compile("Berkas gambar")).set_input_files(
        files=[{"name": "alur.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.get_by_label(re.compile("teks alternatif")).fill("Alur layanan")
    page.get_by_role("button", name="Unggah").click()
    expect(editor.locator("img[alt='Alur layanan']")).to_be_visible()
    page.get_by_role("button", name="Simpan", exact=True).click()

    page.goto(builder)
    page.get_by_role("link", name="Tambah materi (Pendahuluan)").click()
    page.locator("#id_title").fill("Standar pelayanan")
    # Pasted from Word: its classes, styles, fonts and local pictures do not come along.
    page.locator(".rich-text-field [contenteditable=true]").first.click()
    page.evaluate(
        """html => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "Standar layanan");
            document.querySelector(".rich-text-field [contenteditable=true]").dispatchEvent(
                new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true})
            );
        }""",
        WORD_HTML,
    )
    page.get_by_role("button", name="Simpan", exact=True).click()
    pasted = Material.objects.get(title="Standar pelayanan").body
    assert "<strong>Standar</strong>" in pasted
    for word_markup in ("Mso", "mso-", "style=", "class=", "<span", "o:p", "file:", "<img"):
        assert word_markup not in pasted, (word_markup, pasted)

    # Reorder with the keyboard: the second material moves up.
    page.goto(builder)
    check_page(page, "builder-outline", viewport)
    move_up = page.get_by_role("button", name="Pindahkan “Standar pelayanan” ke atas")
    move_up.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".builder-status")).to_contain_text("urutan ke-1")
    titles = list(
        Material.objects.filter(section__course=course)
        .order_by("order")
        .values_list("title", flat=True)
    )
    assert titles == ["Standar pelayanan", "Mengenal pelayanan prima"]

    # The readiness warnings, then publishing with the confirmation.
    page.reload()
    warnings = page.locator(".builder-warnings")
    expect(warnings).to_contain_text("Penutup")
    expect(warnings).to_contain_text("JP")
    expect(warnings).to_contain_text("tidak memiliki ujian akhir")
    page.get_by_role("link", name="Terbitkan").click()
    check_page(page, "builder-publish", viewport)
    page.get_by_label(re.compile("tetap ingin menerbitkan")).check()
    page.get_by_role("button", name="Terbitkan").click()
    expect(page.locator(".builder-published")).to_be_visible()
    course.refresh_from_db()
    assert course.is_published

    # A learner reads the formatted material, picture included.
    learner = UserFactory.create()
    Enrollment.objects.create(user=learner, course=course, jp=course.jp)
    material = Material.objects.get(title="Mengenal pelayanan prima")
    page.context.clear_cookies()
    login(page, learner.username, PASSWORD, f"/belajar/{course.slug}/materi/{material.pk}/")
    body = page.locator(".rich-text").first
    expect(body.locator("strong")).to_have_text("Pelayanan prima")
    expect(body.locator("ul li")).to_have_count(2)
    picture = body.locator("img[alt='Alur layanan']")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.naturalWidth") == 120
    check_page(page, "learner-material-formatted", viewport)
