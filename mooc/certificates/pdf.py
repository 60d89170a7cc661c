"""Certificate PDF rendering: pure functions, no database.

`render_certificate(content, layout)` draws one A4-landscape page with ReportLab's canvas. We use
the canvas directly, not Platypus paragraphs, so learner-supplied text is never parsed as markup.

Bulk issuing renders thousands of certificates with the same design, so images are decoded and
compressed once and kept in a small, bounded, thread-safe cache keyed by a hash of their bytes;
each render then only copies the already-encoded image streams into the new PDF.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import threading
import unicodedata
import zlib
from collections import OrderedDict
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import segno
from PIL import Image, UnidentifiedImageError
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

logger = logging.getLogger(__name__)

# ASCII85 only makes PDFs 7-bit clean (irrelevant for a download) and, without ReportLab's
# optional C accelerator, costs several milliseconds per page in pure Python.
rl_config.useA85 = 0

PAGE_WIDTH: Final = 841.89  # A4 landscape, points
PAGE_HEIGHT: Final = 595.28

# The certificate is an official document in Bahasa Indonesia whatever the reader's UI
# language, so these words are not translated.
MONTHS_ID: Final = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

FONT_DIR: Final = Path(__file__).resolve().parent / "fonts"
FONT_REGULAR: Final = "CertificateSerif"
FONT_BOLD: Final = "CertificateSerif-Bold"

DEFAULT_PRIMARY: Final = "#0b3d91"
DEFAULT_TEXT: Final = "#1f2937"
REVOKED_RED: Final = HexColor("#b91c1c")


@dataclass(frozen=True)
class CertificateContent:
    number: str
    holder_name: str
    holder_id_label: str  # "NIP", "NI PPPK" or "" for an external learner
    holder_id: str
    holder_instansi: str
    course_title: str
    jp: int
    passed_on: datetime.date
    score: Decimal | None
    issuer_name: str
    place: str
    signatory_name: str
    signatory_title: str
    signatory_nip: str
    verification_url: str
    revoked_on: datetime.date | None = None


@dataclass(frozen=True)
class CertificateLayout:
    title: str = "SERTIFIKAT"
    intro_text: str = "diberikan kepada"
    body_text: str = "atas keberhasilannya menyelesaikan pelatihan"
    footer_text: str = ""
    primary_colour: str = DEFAULT_PRIMARY
    text_colour: str = DEFAULT_TEXT
    show_score: bool = False
    logo: bytes | None = None
    background: bytes | None = None
    signature: bytes | None = None


def format_date_id(value: datetime.date) -> str:
    """'22 November 2026': Indonesian month names, no leading zero, independent of locale."""
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


def format_nip(value: str) -> str:
    """An 18-digit NIP printed in its usual groups: birth date, appointment, sex, sequence."""
    digits = value.strip()
    if len(digits) == 18 and digits.isdigit():
        return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    return digits


def format_score(value: Decimal) -> str:
    """Indonesian decimal comma, two places: 87,50."""
    return f"{value.quantize(Decimal('0.01')):.2f}".replace(".", ",")


# --- fonts ---------------------------------------------------------------------------------

_font_lock = threading.Lock()
_fonts_ready = False


def _register_fonts() -> None:
    # Lazily, so importing this module (e.g. from a view) costs nothing until a PDF is drawn.
    global _fonts_ready
    if _fonts_ready:
        return
    with _font_lock:
        if not _fonts_ready:
            pdfmetrics.registerFont(TTFont(FONT_REGULAR, str(FONT_DIR / "DejaVuSerif.ttf")))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSerif-Bold.ttf")))
            _fonts_ready = True


def _clean(text: str) -> str:
    """Text safe to draw: NFC, one line, no control characters or lone surrogates."""
    text = unicodedata.normalize("NFC", text)
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Zl", "Zp") or ch in "\t\r\n\v\f":
            out.append(" ")
        elif category not in ("Cc", "Cs", "Co", "Cn"):
            out.append(ch)
    return " ".join("".join(out).split())


def _width(text: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))


def _wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Greedy word wrap; a word wider than the line is broken between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if _width(candidate, font, size) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while _width(word, font, size) > max_width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and _width(word[:cut], font, size) > max_width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def _fit(
    text: str, font: str, *, largest: float, smallest: float, max_width: float, max_lines: int
) -> tuple[float, list[str]]:
    """The largest size (in half-point steps) at which `text` wraps into at most `max_lines` lines.

    Nothing is ever cut off an official document: if even the smallest size needs more lines,
    it gets them.
    """
    size = largest
    while size >= smallest:
        lines = _wrap(text, font, size, max_width)
        if len(lines) <= max_lines:
            return size, lines
        size -= 0.5
    return smallest, _wrap(text, font, smallest, max_width)


def _colour(value: str, default: str) -> Color:
    try:
        return HexColor(value if value.startswith("#") else f"#{value}")
    except (ValueError, TypeError):
        return HexColor(default)


# --- images --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _EncodedImage:
    """An image already encoded as a PDF image stream (immutable, so shared across threads)."""

    name: str
    width: int
    height: int
    colour_space: str
    filters: tuple[str, ...]
    data: bytes
    smask: _EncodedImage | None = None


# Longest side in pixels per role: about 150-200 dpi at the printed size. A 6000-pixel photo
# uploaded as a background would otherwise be copied into every certificate.
_MAX_PIXELS: Final = {"background": 1800, "logo": 600, "signature": 900}


def _encode_image(data: bytes, role: str) -> _EncodedImage:
    digest = hashlib.sha256(data).hexdigest()[:24]
    with Image.open(io.BytesIO(data)) as source:
        source.load()
        limit = _MAX_PIXELS[role]
        is_plain_jpeg = source.format == "JPEG" and source.mode in ("RGB", "L")
        if is_plain_jpeg and max(source.size) <= limit:
            # JPEG goes into the PDF as it is (DCTDecode): nothing to decode or compress.
            space = "DeviceRGB" if source.mode == "RGB" else "DeviceGray"
            return _EncodedImage(digest, source.width, source.height, space, ("DCTDecode",), data)
        image: Image.Image = source.copy()
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    # Convert before resizing: palette images would otherwise be resized without smoothing.
    image = image.convert("RGBA" if has_alpha else "RGB")
    if max(image.size) > limit:
        image.thumbnail((limit, limit), Image.Resampling.LANCZOS)
    if has_alpha:
        alpha = image.getchannel("A")
        extrema = alpha.getextrema()
        if isinstance(extrema[0], int) and extrema[0] < 255:
            rgb = image.convert("RGB")
            mask = _EncodedImage(
                f"{digest}m",
                rgb.width,
                rgb.height,
                "DeviceGray",
                ("FlateDecode",),
                zlib.compress(alpha.tobytes(), 6),
            )
            return _EncodedImage(
                digest,
                rgb.width,
                rgb.height,
                "DeviceRGB",
                ("FlateDecode",),
                zlib.compress(rgb.tobytes(), 6),
                mask,
            )
    rgb = image.convert("RGB")
    if role == "background":
        # Photographic, full page: JPEG is a tenth of the size of Flate here.
        out = io.BytesIO()
        rgb.save(out, "JPEG", quality=85)
        return _EncodedImage(
            digest, rgb.width, rgb.height, "DeviceRGB", ("DCTDecode",), out.getvalue()
        )
    return _EncodedImage(
        digest,
        rgb.width,
        rgb.height,
        "DeviceRGB",
        ("FlateDecode",),
        zlib.compress(rgb.tobytes(), 6),
    )


class _ImageCache:
    """A bounded LRU of encoded images keyed by (role, SHA-256 of the bytes); thread-safe.

    Encoding happens outside the lock: two threads may encode the same new image once each,
    which is cheaper than making every render wait behind one encoder.
    """

    def __init__(self, max_entries: int = 32) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], _EncodedImage | None] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, data: bytes, role: str) -> _EncodedImage | None:
        key = (role, hashlib.sha256(data).hexdigest())
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
            self.misses += 1
        try:
            encoded: _EncodedImage | None = _encode_image(data, role)
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            # Uploads are validated when saved; a broken file must not make every download of
            # that design fail, so the certificate is drawn without it.
            logger.warning("certificate %s image could not be read; drawn without it", role)
            encoded = None
        with self._lock:
            self._entries[key] = encoded
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return encoded

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


image_cache: Final = _ImageCache()


class _PreparedImageXObject(pdfdoc.PDFImageXObject):
    """ReportLab's image XObject, filled from an `_EncodedImage` instead of decoding a file."""

    def __init__(self, image: _EncodedImage) -> None:
        self.name = image.name
        self.width = image.width
        self.height = image.height
        self.bitsPerComponent = 8
        self.colorSpace = image.colour_space
        self._filters = image.filters
        self.streamContent = image.data  # type: ignore[assignment]  # bytes work; stubs say str
        self.mask = None


def _draw_image(
    canvas: Canvas, image: _EncodedImage, x: float, y: float, width: float, height: float
) -> None:
    """What `Canvas.drawImage` does once it has an XObject, minus decoding and hashing pixels.

    Relies on ReportLab internals (`_doc`, `_setXObjects`, `_code`, `_formsinuse`), stable
    since ReportLab 2; the version is pinned and the tests render images.
    """
    internals: Any = canvas  # private attributes, not in the type stubs
    doc = internals._doc
    reg_name = doc.getXObjectName(image.name)
    if not doc.idToObject.get(reg_name):
        xobject: Any = _PreparedImageXObject(image)
        internals._setXObjects(xobject)
        doc.Reference(xobject, reg_name)
        doc.addForm(image.name, xobject)
        if image.smask is not None:
            smask = _PreparedImageXObject(image.smask)
            smask_name = doc.getXObjectName(image.smask.name)
            internals._setXObjects(smask)
            xobject.smask = doc.Reference(smask, smask_name)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width, height)
    internals._code.append(f"/{reg_name} Do")
    canvas.restoreState()
    internals._formsinuse.append(image.name)


def _fit_box(image: _EncodedImage, box_w: float, box_h: float) -> tuple[float, float]:
    scale = min(box_w / image.width, box_h / image.height)
    return image.width * scale, image.height * scale


# --- QR ------------------------------------------------------------------------------------


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as one filled path, dark runs merged per row, on a white quiet zone."""
    qr = segno.make(url, error="m", micro=False)
    matrix = qr.matrix
    modules = len(matrix)
    quiet = 2  # modules of white margin drawn under the code; the page around adds more
    unit = size / (modules + 2 * quiet)
    canvas.saveState()
    canvas.setFillColor(HexColor("#ffffff"))
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    # Module (col, row) → unit square; row 0 at the top.
    canvas.translate(x + quiet * unit, y + size - quiet * unit)
    canvas.scale(unit, -unit)
    canvas.setFillColor(HexColor("#000000"))
    # Integer module coordinates written as PDF operators directly: going through
    # `path.rect` would format some 500 floats per certificate.
    ops: list[str] = []
    for row_index, row in enumerate(matrix):
        col = 0
        while col < modules:
            if row[col]:
                start = col
                while col < modules and row[col]:
                    col += 1
                ops.append(f"{start} {row_index} {col - start} 1 re")
            else:
                col += 1
    ops.append("f")
    canvas.addLiteral("\n".join(ops))
    canvas.restoreState()


# --- the page ------------------------------------------------------------------------------
# Where the centre column must end: the signature block starts just below.
MIDDLE_FLOOR: Final = 196.0
SIGN_CENTRE_X: Final = PAGE_WIDTH - 200.0
SIGN_WIDTH: Final = 250.0
QR_X: Final = 62.0
QR_Y: Final = 60.0
QR_SIZE: Final = 92.0


@dataclass(frozen=True)
class _Text:
    text: str
    y: float
    font: str
    size: float
    colour: Color
    x: float = PAGE_WIDTH / 2
    char_space: float = 0.0


@dataclass(frozen=True)
class _Rule:
    x1: float
    x2: float
    y: float
    colour: Color
    width: float


@dataclass(frozen=True)
class _Picture:
    image: _EncodedImage
    x: float
    y: float
    width: float
    height: float


_Op = _Text | _Rule | _Picture


class _Plan:
    """The centre column laid out top-down before anything is drawn, so it can be squeezed."""

    def __init__(self, top: float) -> None:
        self.y = top
        self.ops: list[_Op] = []

    def gap(self, points: float) -> None:
        self.y -= points

    def lines(
        self,
        lines: list[str],
        font: str,
        size: float,
        colour: Color,
        *,
        leading: float = 1.2,
        char_space: float = 0.0,
    ) -> None:
        for i, line in enumerate(lines):
            # Cap height is about 0.73 em in DejaVu Serif; descenders about 0.24 em.
            self.y -= size * 0.76 if i == 0 else size * leading
            self.ops.append(_Text(line, self.y, font, size, colour, char_space=char_space))
        self.y -= size * 0.26


def render_certificate(content: CertificateContent, layout: CertificateLayout) -> bytes:
    """One A4-landscape page of PDF, fonts embedded, all text extractable."""
    _register_fonts()
    buffer = io.BytesIO()
    # The initial font would otherwise be Helvetica: a non-embedded font in every page's
    # resources even though no text uses it.
    canvas = Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        pageCompression=1,
        initialFontName=FONT_REGULAR,  # type: ignore[arg-type]  # the stubs say float
        initialFontSize=12,
    )
    canvas.setTitle(f"{_clean(layout.title)} {_clean(content.number)}".strip())
    canvas.setAuthor(_clean(content.issuer_name))
    canvas.setSubject(_clean(content.course_title))
    canvas.setCreator("MOOC ASN")
    primary = _colour(layout.primary_colour, DEFAULT_PRIMARY)
    text = _colour(layout.text_colour, DEFAULT_TEXT)

    _draw_frame(canvas, layout, primary)
    # Long names and titles first shrink to their own limits; if the column still reaches the
    # signature block, every size and gap is squeezed a little more until it fits.
    for squeeze in (1.0, 0.93, 0.86, 0.79, 0.72, 0.65):
        plan = _plan_centre(content, layout, primary, text, squeeze)
        if plan.y >= MIDDLE_FLOOR:
            break
    # Whatever room is left is shared above and below the column, so short content sits centred.
    shift = max(0.0, plan.y - MIDDLE_FLOOR) / 2
    for op in plan.ops:
        _draw_op(canvas, _shifted(op, shift))
    _draw_qr_block(canvas, content, text)
    for op in _plan_signature(content, layout, text):
        _draw_op(canvas, op)
    if layout.footer_text:
        _draw_op(canvas, _Text(_clean(layout.footer_text), 36, FONT_REGULAR, 7.5, text))
    if content.revoked_on is not None:
        _draw_revoked(canvas, content.revoked_on)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _shifted(op: _Op, dy: float) -> _Op:
    return replace(op, y=op.y - dy)


def _draw_op(canvas: Canvas, op: _Op) -> None:
    if isinstance(op, _Text):
        canvas.setFont(op.font, op.size)
        canvas.setFillColor(op.colour)
        canvas.drawCentredString(op.x, op.y, op.text, charSpace=op.char_space)
    elif isinstance(op, _Rule):
        canvas.saveState()
        canvas.setStrokeColor(op.colour)
        canvas.setLineWidth(op.width)
        canvas.line(op.x1, op.y, op.x2, op.y)
        canvas.restoreState()
    else:
        _draw_image(canvas, op.image, op.x, op.y, op.width, op.height)


def _draw_frame(canvas: Canvas, layout: CertificateLayout, primary: Color) -> None:
    background = image_cache.get(layout.background, "background") if layout.background else None
    if background is not None:
        _draw_image(canvas, background, 0, 0, PAGE_WIDTH, PAGE_HEIGHT)
        return
    # Without a background image the page still gets an official double frame.
    canvas.saveState()
    canvas.setStrokeColor(primary)
    canvas.setLineWidth(2.5)
    canvas.rect(22, 22, PAGE_WIDTH - 44, PAGE_HEIGHT - 44, stroke=1, fill=0)
    canvas.setLineWidth(0.8)
    canvas.rect(30, 30, PAGE_WIDTH - 60, PAGE_HEIGHT - 60, stroke=1, fill=0)
    canvas.restoreState()


def _plan_centre(
    content: CertificateContent,
    layout: CertificateLayout,
    primary: Color,
    text: Color,
    squeeze: float,
) -> _Plan:
    def fit(
        value: str, font: str, largest: float, smallest: float, width: float, lines: int
    ) -> tuple[float, list[str]]:
        return _fit(
            value,
            font,
            largest=largest * squeeze,
            smallest=smallest * squeeze,
            max_width=width,
            max_lines=lines,
        )

    plan = _Plan(PAGE_HEIGHT - 52)
    logo = image_cache.get(layout.logo, "logo") if layout.logo else None
    if logo is not None:
        w, h = _fit_box(logo, 120, 60 * squeeze)
        plan.ops.append(_Picture(logo, (PAGE_WIDTH - w) / 2, plan.y - h, w, h))
        plan.gap(h + 10 * squeeze)
    issuer = _clean(content.issuer_name).upper()
    if issuer:
        size, lines = fit(issuer, FONT_BOLD, 13, 9, 640, 2)
        plan.lines(lines, FONT_BOLD, size, primary)
        plan.gap(12 * squeeze)
    title = _clean(layout.title)
    if title:
        size, lines = fit(title, FONT_BOLD, 36, 20, 600, 1)
        plan.lines(lines[:1], FONT_BOLD, size, primary, char_space=size * 0.12)
        plan.gap(8 * squeeze)
    plan.lines([f"Nomor: {_clean(content.number)}"], FONT_REGULAR, 10.5 * squeeze, text)

    plan.gap(20 * squeeze)
    plan.lines([_clean(layout.intro_text)], FONT_REGULAR, 12 * squeeze, text)
    plan.gap(10 * squeeze)
    name = _clean(content.holder_name)
    size, lines = fit(name, FONT_BOLD, 26, 17, 640, 1)
    if len(lines) > 1:
        size, lines = fit(name, FONT_BOLD, 17, 9, 640, 3)
    plan.lines(lines, FONT_BOLD, size, primary, leading=1.18)
    # A rule under the name, as on printed certificates, a little wider than the name.
    half = min(300.0, max(120.0, max(_width(line, FONT_BOLD, size) for line in lines) / 2 + 24))
    plan.gap(4)
    plan.ops.append(_Rule(PAGE_WIDTH / 2 - half, PAGE_WIDTH / 2 + half, plan.y, primary, 0.7))
    plan.gap(9 * squeeze)
    id_line = _holder_id_line(content)
    if id_line:
        size, lines = fit(id_line, FONT_REGULAR, 11.5, 8, 640, 2)
        plan.lines(lines, FONT_REGULAR, size, text)

    plan.gap(18 * squeeze)
    plan.lines([_clean(layout.body_text)], FONT_REGULAR, 12 * squeeze, text)
    plan.gap(10 * squeeze)
    size, lines = fit(_clean(content.course_title), FONT_BOLD, 16, 8, 620, 3)
    plan.lines(lines, FONT_BOLD, size, text, leading=1.22)
    plan.gap(12 * squeeze)
    jp_line = f"sebanyak {content.jp} Jam Pelajaran (JP)"
    if layout.show_score and content.score is not None:
        jp_line += f" dengan nilai {format_score(content.score)}"
    plan.lines([jp_line], FONT_REGULAR, 11 * squeeze, text)
    plan.gap(6 * squeeze)
    plan.lines(
        [f"Lulus pada {format_date_id(content.passed_on)}"], FONT_REGULAR, 11 * squeeze, text
    )
    return plan


def _holder_id_line(content: CertificateContent) -> str:
    label = _clean(content.holder_id_label)
    holder_id = _clean(content.holder_id)
    if label and holder_id:
        shown = format_nip(holder_id) if label == "NIP" else holder_id
        return f"{label} {shown}"
    # External learners have no NIP: their agency identifies them instead.
    return _clean(content.holder_instansi)


def _draw_qr_block(canvas: Canvas, content: CertificateContent, text: Color) -> None:
    url = content.verification_url.strip()
    if not url:
        return
    _draw_qr(canvas, url, QR_X, QR_Y, QR_SIZE)
    # The URL under the code, small enough to stay on one line so it can be typed or copied.
    size, lines = _fit(
        _clean(url), FONT_REGULAR, largest=6.5, smallest=4.5, max_width=220, max_lines=1
    )
    canvas.setFont(FONT_REGULAR, size)
    canvas.setFillColor(text)
    y = QR_Y - 9
    for line in lines:
        canvas.drawString(QR_X + 2, y, line)
        y -= size * 1.2


def _plan_signature(
    content: CertificateContent, layout: CertificateLayout, text: Color
) -> list[_Op]:
    x = SIGN_CENTRE_X
    ops: list[_Op] = []
    place = _clean(content.place)
    date = format_date_id(content.passed_on)
    y = 178.0
    ops.append(_Text(f"{place}, {date}" if place else date, y, FONT_REGULAR, 10.5, text, x=x))
    size, lines = _fit(
        _clean(content.signatory_title),
        FONT_REGULAR,
        largest=10.5,
        smallest=7.5,
        max_width=SIGN_WIDTH,
        max_lines=2,
    )
    y -= 4
    for line in lines:
        y -= size * 1.2
        ops.append(_Text(line, y, FONT_REGULAR, size, text, x=x))
    name_y = 66.0
    signature = image_cache.get(layout.signature, "signature") if layout.signature else None
    if signature is not None:
        box_bottom = name_y + 12
        box_h = max(24.0, y - 6 - box_bottom)
        w, h = _fit_box(signature, 190, box_h)
        ops.append(_Picture(signature, x - w / 2, box_bottom + (box_h - h) / 2, w, h))
    name = _clean(content.signatory_name)
    size, lines = _fit(
        name, FONT_BOLD, largest=11, smallest=7, max_width=SIGN_WIDTH + 40, max_lines=1
    )
    ops.append(_Text(name, name_y, FONT_BOLD, size, text, x=x))
    underline = _width(name, FONT_BOLD, size) / 2
    ops.append(_Rule(x - underline, x + underline, name_y - 2.5, text, 0.6))
    nip = _clean(content.signatory_nip)
    if nip:
        ops.append(_Text(f"NIP {format_nip(nip)}", name_y - 14, FONT_REGULAR, 10, text, x=x))
    return ops


def _draw_revoked(canvas: Canvas, revoked_on: datetime.date) -> None:
    canvas.saveState()
    canvas.setFillColor(REVOKED_RED)
    canvas.setFillAlpha(0.2)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(28)
    canvas.setFont(FONT_BOLD, 120)
    canvas.drawCentredString(0, -42, "DICABUT", charSpace=8)
    canvas.restoreState()
    notice = f"Sertifikat ini dicabut pada {format_date_id(revoked_on)}"
    _draw_op(canvas, _Text(notice, PAGE_HEIGHT - 42, FONT_BOLD, 11, REVOKED_RED))
