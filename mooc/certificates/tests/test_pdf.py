"""The certificate PDF as a reader sees it: text read back with pypdf, the page rendered with
pdfium and the QR code decoded with zxing-cpp. No database."""

from __future__ import annotations

import datetime
import io
import re
import threading
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from mooc.certificates.pdf import (
    MONTHS_ID,
    CertificateContent,
    CertificateLayout,
    _ImageCache,
    format_date_id,
    format_nip,
    image_cache,
    render_certificate,
)

ASSETS = Path(__file__).resolve().parent.parent / "demo_assets"


@pytest.fixture(scope="module")
def design() -> CertificateLayout:
    return CertificateLayout(
        logo=(ASSETS / "logo.png").read_bytes(),
        background=(ASSETS / "background.jpg").read_bytes(),
        signature=(ASSETS / "signature.png").read_bytes(),
        footer_text="Sertifikat elektronik: periksa keasliannya melalui kode QR.",
    )


@pytest.fixture
def content() -> CertificateContent:
    return CertificateContent(
        number="BPSDM/2026/000123",
        holder_name="Dr. Rina Wulandari, S.H., M.H.",
        holder_id_label="NIP",
        holder_id="198609262015051001",
        holder_instansi="Kementerian Hukum",
        course_title="Penyusunan Peraturan Perundang-undangan Tingkat Dasar",
        jp=20,
        passed_on=datetime.date(2026, 11, 22),
        score=Decimal("87.5"),
        issuer_name="Badan Pengembangan Sumber Daya Manusia Hukum",
        place="Jakarta",
        signatory_name="Prof. Dr. Asep Suryana, S.H., M.Hum.",
        signatory_title="Kepala Badan Pengembangan Sumber Daya Manusia Hukum",
        signatory_nip="197001011995031001",
        verification_url="http://127.0.0.1:8000/verifikasi/7K3QX9WZ2M4P/",
    )


def resources(pdf: bytes) -> Any:
    """The page's /Resources dictionary (typed loosely: pypdf's objects are dynamic)."""
    page: Any = PdfReader(io.BytesIO(pdf)).pages[0]
    return page["/Resources"]


def read_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Extracted text with line breaks and runs of spaces folded, for wrapped strings."""
    return " ".join(text.split())


def page_image(pdf: bytes, scale: float = 2.0) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        image: Image.Image = document[0].render(scale=scale).to_pil()
        return image
    finally:
        document.close()


# --- what the certificate says -------------------------------------------------------------


def test_it_prints_the_holder_course_and_signatory(
    content: CertificateContent, design: CertificateLayout
) -> None:
    text = read_text(render_certificate(content, design))

    assert "SERTIFIKAT" in text
    assert "Nomor: BPSDM/2026/000123" in text
    assert "Dr. Rina Wulandari, S.H., M.H." in text
    assert "NIP 19860926 201505 1 001" in text
    assert "Penyusunan Peraturan Perundang-undangan Tingkat Dasar" in text
    assert "sebanyak 20 Jam Pelajaran (JP)" in text
    assert "Lulus pada 22 November 2026" in text
    assert "Jakarta, 22 November 2026" in text
    assert "Prof. Dr. Asep Suryana, S.H., M.Hum." in text
    assert "NIP 19700101 199503 1 001" in text
    assert "BADAN PENGEMBANGAN SUMBER DAYA MANUSIA HUKUM" in text
    assert "http://127.0.0.1:8000/verifikasi/7K3QX9WZ2M4P/" in text
    assert "DICABUT" not in text


def test_it_is_one_a4_landscape_page(
    content: CertificateContent, design: CertificateLayout
) -> None:
    reader = PdfReader(io.BytesIO(render_certificate(content, design)))

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(842, abs=1)
    assert float(box.height) == pytest.approx(595, abs=1)


def test_it_prints_the_score_only_when_the_design_asks(
    content: CertificateContent, design: CertificateLayout
) -> None:
    without = read_text(render_certificate(content, design))
    with_score = read_text(render_certificate(content, replace(design, show_score=True)))

    assert "87,50" not in without
    assert "dengan nilai 87,50" in with_score


def test_it_takes_its_words_from_the_design(content: CertificateContent) -> None:
    layout = CertificateLayout(
        title="PIAGAM", intro_text="dianugerahkan kepada", body_text="yang telah mengikuti"
    )

    text = read_text(render_certificate(content, layout))

    assert "PIAGAM" in text
    assert "dianugerahkan kepada" in text
    assert "yang telah mengikuti" in text
    assert "SERTIFIKAT" not in text


def test_an_external_learner_gets_the_instansi_and_no_nip_line(
    content: CertificateContent, design: CertificateLayout
) -> None:
    external = replace(
        content,
        holder_id_label="",
        holder_id="",
        holder_instansi="Pemerintah Kabupaten Sleman",
        signatory_nip="",
    )

    text = read_text(render_certificate(external, design))

    assert "Pemerintah Kabupaten Sleman" in text
    assert "NIP" not in text


def test_a_pppk_number_is_printed_as_given(
    content: CertificateContent, design: CertificateLayout
) -> None:
    pppk = replace(content, holder_id_label="NI PPPK", holder_id="199001012022212001")

    text = read_text(render_certificate(pppk, design))

    assert "NI PPPK 199001012022212001" in text


def test_a_revoked_certificate_says_so_across_the_page(
    content: CertificateContent, design: CertificateLayout
) -> None:
    revoked = replace(content, revoked_on=datetime.date(2027, 1, 5))

    text = read_text(render_certificate(revoked, design))

    assert "DICABUT" in text
    assert "Sertifikat ini dicabut pada 5 Januari 2027" in text


# --- long text -----------------------------------------------------------------------------

LONG_NAME = (
    "Prof. Dr. Ir. Raden Mas Muhammad Abdurrahman Wahyudiningrat Kusumawardhana Setiabudi "
    "Prawirodirdjo Hadiningrat Mangkunegara Suryokusumo, S.H., M.H., M.Kn., M.Si., Ph.D."
)
LONG_TITLE = (
    "Pelatihan Teknis Penyusunan Naskah Akademik dan Rancangan Peraturan Perundang-undangan "
    "di Lingkungan Kementerian dan Lembaga Pemerintah Non-Kementerian serta Pemerintah Daerah "
    "Provinsi dan Kabupaten/Kota dalam Rangka Harmonisasi dan Sinkronisasi Regulasi Nasional "
    "Tahun Anggaran 2026 Angkatan Kedua Belas Gelombang Ketiga Kelas Daring Terbuka Nasional"
)


def test_long_names_and_titles_are_printed_whole_on_one_page(
    content: CertificateContent, design: CertificateLayout
) -> None:
    assert len(LONG_NAME) > 150 and len(LONG_TITLE) > 290
    long = replace(content, holder_name=LONG_NAME[:200], course_title=LONG_TITLE[:300])

    pdf = render_certificate(long, design)

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = flat(read_text(pdf))
    assert flat(LONG_NAME[:200]) in text
    assert flat(LONG_TITLE[:300]) in text
    assert "Lulus pada 22 November 2026" in text


def test_long_text_stays_inside_the_page_and_clear_of_the_signature(
    content: CertificateContent, design: CertificateLayout
) -> None:
    long = replace(content, holder_name=LONG_NAME[:200], course_title=LONG_TITLE[:300])
    reader = PdfReader(io.BytesIO(render_certificate(long, design)))
    positions: list[tuple[str, float, float]] = []

    def visitor(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            # Text matrix times current matrix: the baseline origin in page space.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            positions.append((text.strip(), x, y))

    reader.pages[0].extract_text(visitor_text=visitor)

    assert positions
    for text, x, y in positions:
        assert 0 <= x <= 842 and 0 <= y <= 595, text
    course_lines = [y for text, _, y in positions if text.startswith("Lulus pada")]
    signature_date = [y for text, _, y in positions if text.startswith("Jakarta,")]
    assert course_lines and signature_date
    assert min(course_lines) > max(signature_date) + 8


def test_a_word_longer_than_the_line_is_broken_not_lost(
    content: CertificateContent, design: CertificateLayout
) -> None:
    unbroken = "X" * 250
    pdf = render_certificate(replace(content, course_title=unbroken), design)

    assert unbroken in "".join(read_text(pdf).split())


# --- QR ------------------------------------------------------------------------------------


def test_the_qr_code_decodes_to_exactly_the_verification_url(
    content: CertificateContent, design: CertificateLayout
) -> None:
    url = "https://mooc.bpsdm.example.go.id/verifikasi/Q7K3X9WZ2M4PAB5C/"
    pdf = render_certificate(replace(content, verification_url=url), design)

    barcodes = zxingcpp.read_barcodes(page_image(pdf))

    assert [b.text for b in barcodes if b.format == zxingcpp.BarcodeFormat.QRCode] == [url]


def test_the_qr_code_still_decodes_on_a_revoked_certificate(
    content: CertificateContent, design: CertificateLayout
) -> None:
    pdf = render_certificate(replace(content, revoked_on=datetime.date(2027, 1, 5)), design)

    barcodes = zxingcpp.read_barcodes(page_image(pdf))

    assert [b.text for b in barcodes] == [content.verification_url]


# --- fonts and images ----------------------------------------------------------------------


def test_fonts_are_embedded(content: CertificateContent, design: CertificateLayout) -> None:
    fonts = resources(render_certificate(content, design))["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert descriptor is not None, font
        embedded.append("/FontFile2" in descriptor.get_object())
        assert "DejaVuSerif" in str(font["/BaseFont"])

    assert embedded and all(embedded)


def test_it_draws_the_design_images(content: CertificateContent, design: CertificateLayout) -> None:
    xobjects = resources(render_certificate(content, design))["/XObject"]
    images = [x.get_object() for x in xobjects.values()]
    sizes = sorted((int(i["/Width"]), int(i["/Height"])) for i in images)

    assert sizes == [(320, 320), (600, 220), (1286, 909)]
    # The signature keeps its transparency as a soft mask.
    assert any("/SMask" in i for i in images)


def test_a_huge_background_is_scaled_down_before_it_is_embedded(
    content: CertificateContent,
) -> None:
    out = io.BytesIO()
    Image.new("RGB", (4000, 2828), (250, 248, 240)).save(out, "PNG")

    pdf = render_certificate(content, CertificateLayout(background=out.getvalue()))

    (background,) = [x.get_object() for x in resources(pdf)["/XObject"].values()]
    assert (int(background["/Width"]), int(background["/Height"])) == (1800, 1273)
    assert list(background["/Filter"]) == ["/DCTDecode"]


def test_without_images_it_still_renders_a_framed_page(content: CertificateContent) -> None:
    pdf = render_certificate(content, CertificateLayout())

    assert "Dr. Rina Wulandari" in read_text(pdf)
    assert "/XObject" not in resources(pdf)


def test_an_unreadable_image_is_left_out_instead_of_failing(
    content: CertificateContent,
) -> None:
    broken = CertificateLayout(logo=b"not an image", signature=b"\x89PNG\r\n\x1a\n garbage")

    pdf = render_certificate(content, broken)

    assert "Dr. Rina Wulandari" in read_text(pdf)


def test_images_are_decoded_once_for_many_certificates(
    content: CertificateContent, design: CertificateLayout
) -> None:
    image_cache.clear()
    for number in range(5):
        render_certificate(replace(content, number=f"BPSDM/2026/{number:06d}"), design)

    assert image_cache.misses == 3
    assert image_cache.hits == 12


def test_the_image_cache_is_bounded_and_safe_across_threads() -> None:
    cache = _ImageCache(max_entries=4)
    pictures = []
    for shade in range(10):
        out = io.BytesIO()
        Image.new("RGB", (8, 8), (shade * 20, 0, 0)).save(out, "PNG")
        pictures.append(out.getvalue())
    errors: list[Exception] = []

    def work() -> None:
        try:
            for _ in range(20):
                for picture in pictures:
                    assert cache.get(picture, "logo") is not None
        except Exception as exc:  # noqa: BLE001 - a thread's failure is reported by the assert
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(cache._entries) == 4


def test_certificates_render_concurrently(
    content: CertificateContent, design: CertificateLayout
) -> None:
    results: dict[int, str] = {}

    def work(i: int) -> None:
        pdf = render_certificate(replace(content, holder_name=f"Peserta Nomor {i}"), design)
        results[i] = read_text(pdf)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == list(range(6))
    for i, text in results.items():
        assert f"Peserta Nomor {i}" in text


# --- hostile text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "<b>Budi</b> & <i>Sari</i> <para>",
        'O\'Brien "Tom" \\ (x) ) ( %PDF-1.4 endobj',
        "Nguyễn Thị Minh Khai Đặng",
        "Сергей Петров Ωμέγα",
        "王小明 محمد अर्जुन",
        "Budi 🎓🇮🇩 Santoso 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "tab\tnew\nline\x00nul\x1bescape\u2028sep\ud800lone",
        "",
        "   ",
    ],
)
def test_hostile_text_does_not_break_the_render(
    content: CertificateContent, design: CertificateLayout, name: str
) -> None:
    hostile = replace(content, holder_name=name, course_title=name, signatory_name=name, place=name)

    pdf = render_certificate(hostile, design)

    text = read_text(pdf)
    assert "Lulus pada 22 November 2026" in text
    if "<b>" in name:
        assert "<b>Budi</b> & <i>Sari</i> <para>" in text


def test_a_bad_colour_falls_back_to_the_default(content: CertificateContent) -> None:
    layout = CertificateLayout(primary_colour="not-a-colour", text_colour="#12")

    assert read_text(render_certificate(content, layout))


# --- dates and numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "name"),
    [
        (1, "Januari"),
        (2, "Februari"),
        (3, "Maret"),
        (4, "April"),
        (5, "Mei"),
        (6, "Juni"),
        (7, "Juli"),
        (8, "Agustus"),
        (9, "September"),
        (10, "Oktober"),
        (11, "November"),
        (12, "Desember"),
    ],
)
def test_format_date_id_names_every_month_in_indonesian(month: int, name: str) -> None:
    assert format_date_id(datetime.date(2026, month, 9)) == f"9 {name} 2026"


def test_format_date_id_at_the_edges() -> None:
    assert format_date_id(datetime.date(1, 1, 1)) == "1 Januari 1"
    assert format_date_id(datetime.date(2028, 2, 29)) == "29 Februari 2028"
    assert format_date_id(datetime.date(9999, 12, 31)) == "31 Desember 9999"
    # A datetime is a date too; only the date part is printed.
    assert format_date_id(datetime.datetime(2026, 11, 22, 23, 59)) == "22 November 2026"


@given(st.dates())
def test_format_date_id_round_trips_for_any_date(value: datetime.date) -> None:
    text = format_date_id(value)

    match = re.fullmatch(r"([1-9]\d?) ([A-Za-z]+) (\d+)", text)
    assert match is not None, text
    day, month, year = match.groups()
    assert datetime.date(int(year), MONTHS_ID.index(month) + 1, int(day)) == value


def test_format_nip_groups_an_18_digit_nip_and_leaves_anything_else() -> None:
    assert format_nip("198609262015051001") == "19860926 201505 1 001"
    assert format_nip(" 198609262015051001 ") == "19860926 201505 1 001"
    assert format_nip("12345") == "12345"
    assert format_nip("19860926201505100A") == "19860926201505100A"
