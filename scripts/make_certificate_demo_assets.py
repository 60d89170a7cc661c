"""Generate the demo certificate design: logo, signature and page background.

The images are drawn with Pillow so the repository holds no third-party artwork. Run it again
after changing the drawing; the outputs are committed:

    .venv/bin/python scripts/make_certificate_demo_assets.py
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent.parent / "mooc" / "certificates" / "demo_assets"

NAVY = (11, 61, 145)
GOLD = (201, 162, 39)
INK = (18, 32, 92)

# A4 landscape at 110 dpi: enough for a soft background, small enough to stay under 150 KB.
PAGE_W, PAGE_H = 1286, 909


def _supersampled(size: tuple[int, int], factor: int = 4) -> tuple[Image.Image, int]:
    return Image.new("RGBA", (size[0] * factor, size[1] * factor), (0, 0, 0, 0)), factor


def make_logo(path: Path) -> None:
    """A round emblem: navy ring, gold star over an open book."""
    img, f = _supersampled((320, 320))
    d = ImageDraw.Draw(img)
    c = 160 * f
    d.ellipse([8 * f, 8 * f, 312 * f, 312 * f], fill=NAVY)
    d.ellipse([22 * f, 22 * f, 298 * f, 298 * f], fill=(255, 255, 255))
    d.ellipse([30 * f, 30 * f, 290 * f, 290 * f], fill=NAVY)
    # Gold ring of small dots.
    for i in range(36):
        a = 2 * math.pi * i / 36
        x, y = c + 118 * f * math.cos(a), c + 118 * f * math.sin(a)
        d.ellipse([x - 4 * f, y - 4 * f, x + 4 * f, y + 4 * f], fill=GOLD)
    # Five-pointed star.
    star = []
    for i in range(10):
        r = (62 if i % 2 == 0 else 25) * f
        a = -math.pi / 2 + math.pi * i / 5
        star.append((c + r * math.cos(a), c - 30 * f + r * math.sin(a)))
    d.polygon(star, fill=GOLD)
    # Open book: two pages with a spine.
    left = [(c, 205 * f), (c - 78 * f, 188 * f), (c - 78 * f, 238 * f), (c, 255 * f)]
    right = [(c, 205 * f), (c + 78 * f, 188 * f), (c + 78 * f, 238 * f), (c, 255 * f)]
    d.polygon(left, fill=(255, 255, 255))
    d.polygon(right, fill=(240, 240, 240))
    d.line([(c, 205 * f), (c, 255 * f)], fill=NAVY, width=3 * f)
    for k in range(3):
        y = (212 + 12 * k) * f
        d.line([(c - 66 * f, y - 14 * f), (c - 12 * f, y)], fill=NAVY, width=2 * f)
        d.line([(c + 12 * f, y), (c + 66 * f, y - 14 * f)], fill=NAVY, width=2 * f)
    logo = img.resize((320, 320), Image.Resampling.LANCZOS)
    logo = logo.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    logo.save(path, optimize=True)


def make_signature(path: Path) -> None:
    """A cursive scribble with a transparent background, like a scanned signature."""
    img, f = _supersampled((600, 220))
    d = ImageDraw.Draw(img)

    def stroke(points: list[tuple[float, float]], w_start: float, w_end: float) -> None:
        # The pen thins out along the stroke, as ink does.
        for i, (a, b) in enumerate(itertools.pairwise(points)):
            w = w_start + (w_end - w_start) * i / len(points)
            d.line(
                [(a[0] * f, a[1] * f), (b[0] * f, b[1] * f)],
                fill=INK,
                width=max(1, int(w * f)),
                joint="curve",
            )

    capital = []
    for i in range(200):
        t = i / 199
        a = 2 * math.pi * t * 1.15
        capital.append(
            (95 + 38 * math.sin(a) - 25 * t, 95 - 70 * math.cos(a) * (1 - 0.3 * t) + 30 * t)
        )
    loops = []
    for i in range(700):
        t = i / 699
        phase = 2 * math.pi * 6.5 * t
        amp = 22 + 14 * math.sin(2 * math.pi * 1.3 * t + 0.5)
        loops.append(
            (100 + 360 * t - 24 * math.sin(phase), 120 - amp * (1 - math.cos(phase)) * 0.9 + 12 * t)
        )
    flourish = []
    for i in range(200):
        t = i / 199
        flourish.append(
            (470 - 390 * t + 20 * math.sin(t * 3), 150 + 25 * math.sin(math.pi * t) - 10 * t)
        )
    stroke(capital, 2.0, 4.5)
    stroke(loops, 4.0, 2.5)
    stroke(flourish, 3.5, 1.2)
    sig = img.filter(ImageFilter.GaussianBlur(f * 0.3)).resize((600, 220), Image.Resampling.LANCZOS)
    sig.save(path, optimize=True)


def make_background(path: Path) -> None:
    """An off-white page with a guilloche-style border and a faint central emblem."""
    img = Image.new("RGB", (PAGE_W, PAGE_H), (253, 251, 245))
    d = ImageDraw.Draw(img)
    margin = 26
    # Double frame.
    d.rectangle([margin, margin, PAGE_W - margin, PAGE_H - margin], outline=(180, 150, 70), width=4)
    inner = margin + 12
    d.rectangle([inner, inner, PAGE_W - inner, PAGE_H - inner], outline=(11, 61, 145), width=2)
    # Wave band between the frames' outer edge and the paper edge (guilloche-like).
    for phase in range(3):
        colour = (214, 196, 140) if phase != 1 else (170, 186, 215)
        for side in range(4):
            pts: list[tuple[float, float]] = []
            length = PAGE_W if side % 2 == 0 else PAGE_H
            for s in range(0, length, 3):
                w = 6 * math.sin(s / 9.0 + phase * 2.1)
                if side == 0:
                    pts.append((s, margin / 2 + w))
                elif side == 1:
                    pts.append((PAGE_W - margin / 2 + w, s))
                elif side == 2:
                    pts.append((s, PAGE_H - margin / 2 + w))
                else:
                    pts.append((margin / 2 + w, s))
            d.line(pts, fill=colour, width=1)
    # Corner ornaments.
    for cx, cy in [
        (inner, inner),
        (PAGE_W - inner, inner),
        (inner, PAGE_H - inner),
        (PAGE_W - inner, PAGE_H - inner),
    ]:
        for r in (22, 15, 8):
            d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(180, 150, 70), width=2)
    # Faint rosette watermark in the centre.
    mid_x, mid_y = PAGE_W / 2, PAGE_H / 2 + 20
    for k in range(48):
        a = 2 * math.pi * k / 48
        r = 210
        x, y = mid_x + r * 0.5 * math.cos(a), mid_y + r * 0.5 * math.sin(a)
        d.ellipse([x - r / 2, y - r / 2, x + r / 2, y + r / 2], outline=(240, 236, 224), width=1)
    img.save(path, "JPEG", quality=82, optimize=True, progressive=False)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    make_logo(OUT / "logo.png")
    make_signature(OUT / "signature.png")
    make_background(OUT / "background.jpg")
    for p in sorted(OUT.iterdir()):
        print(f"{p.relative_to(OUT.parent.parent.parent)}: {p.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
