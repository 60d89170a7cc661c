"""Certificate PDF throughput: ms per certificate, and a bulk run into one zip.

Standalone (no Django, no database): it renders with the demo design in
mooc/certificates/demo_assets, every certificate with its own number, name and QR code.

    taskset -c 0 .venv/bin/python bench/certificates.py --count 1000
    taskset -c 0 .venv/bin/python bench/certificates.py --count 10000 --zip

Pin it to one core (taskset) so the figures compare across machines and runs.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import reportlab  # noqa: E402
import segno  # noqa: E402

from mooc.certificates.pdf import (  # noqa: E402
    CertificateContent,
    CertificateLayout,
    image_cache,
    render_certificate,
)

ASSETS = ROOT / "mooc" / "certificates" / "demo_assets"
PROJECT_TO = 10_000


def demo_design() -> CertificateLayout:
    return CertificateLayout(
        logo=(ASSETS / "logo.png").read_bytes(),
        background=(ASSETS / "background.jpg").read_bytes(),
        signature=(ASSETS / "signature.png").read_bytes(),
        footer_text="Sertifikat ini diterbitkan secara elektronik dan dapat diverifikasi.",
    )


BASE = CertificateContent(
    number="BPSDM/2026/000000",
    holder_name="Dr. Rina Wulandari, S.H., M.H.",
    holder_id_label="NIP",
    holder_id="198609262015051001",
    holder_instansi="",
    course_title="Penyusunan Peraturan Perundang-undangan Tingkat Dasar",
    jp=20,
    passed_on=datetime.date(2026, 11, 22),
    score=Decimal("87.50"),
    issuer_name="Badan Pengembangan Sumber Daya Manusia Hukum",
    place="Jakarta",
    signatory_name="Prof. Dr. Asep Suryana, S.H., M.Hum.",
    signatory_title="Kepala Badan Pengembangan Sumber Daya Manusia Hukum",
    signatory_nip="197001011995031001",
    verification_url="https://mooc.example.go.id/verifikasi/000000000000/",
)


def certificate(i: int) -> CertificateContent:
    """A distinct certificate per index, so the QR code and text differ every time."""
    return replace(
        BASE,
        number=f"BPSDM/2026/{i:06d}",
        holder_name=f"Peserta Pelatihan Nomor {i}, S.Kom.",
        holder_id=f"1986092620150{i % 100000:05d}",
        verification_url=f"https://mooc.example.go.id/verifikasi/{i:012X}/",
    )


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def bench_renders(count: int, layout: CertificateLayout) -> None:
    timings: list[float] = []
    cpu_timings: list[float] = []
    sizes = 0
    started = time.perf_counter()
    for i in range(count):
        t0, c0 = time.perf_counter(), time.process_time()
        pdf = render_certificate(certificate(i), layout)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu_timings.append((time.process_time() - c0) * 1000)
        sizes += len(pdf)
    elapsed = time.perf_counter() - started
    timings.sort()
    cpu_timings.sort()
    # CPU time is shown beside wall time: on a shared machine it is the steadier figure.
    print(f"renders:           {count}")
    print(
        f"median:            {statistics.median(timings):.2f} ms per certificate"
        f" (CPU {statistics.median(cpu_timings):.2f} ms)"
    )
    print(
        f"p95:               {percentile(timings, 0.95):.2f} ms"
        f" (CPU {percentile(cpu_timings, 0.95):.2f} ms)"
    )
    print(f"max:               {timings[-1]:.2f} ms")
    print(f"throughput:        {count / elapsed:.1f} certificates/s")
    print(f"mean PDF size:     {sizes / count / 1024:.1f} KB")


def bench_zip(count: int, layout: CertificateLayout, compression: int, label: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "certificates.zip"
        started = time.perf_counter()
        with zipfile.ZipFile(path, "w", compression=compression) as archive:
            for i in range(count):
                name = f"sertifikat-{i:06d}.pdf"
                archive.writestr(name, render_certificate(certificate(i), layout))
        elapsed = time.perf_counter() - started
        size = path.stat().st_size
    projected = elapsed / count * PROJECT_TO
    print(
        f"zip {label:9s} {count} PDFs in {elapsed:.1f} s, {size / 1024 / 1024:.1f} MB;"
        f" projected {PROJECT_TO:,}: {projected:.0f} s ({projected / 60:.1f} min)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="certificates to render")
    parser.add_argument("--zip", action="store_true", help="also write COUNT PDFs into a zip")
    parser.add_argument(
        "--compression",
        choices=["stored", "deflated", "both"],
        default="both",
        help="zip compression to measure (PDFs are already compressed)",
    )
    args = parser.parse_args()

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"library:           reportlab {reportlab.Version}, segno {segno.__version__}")
    print(f"python:            {sys.version.split()[0]}; CPUs usable by this process: {cores}")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average:      {load} (other work on this machine skews wall times)")
    layout = demo_design()
    image_cache.clear()
    render_certificate(certificate(0), layout)  # warm-up: fonts and the image cache
    bench_renders(args.count, layout)
    print(f"image cache:       {image_cache.hits} hits, {image_cache.misses} misses")
    if args.zip:
        if args.compression in ("stored", "both"):
            bench_zip(args.count, layout, zipfile.ZIP_STORED, "stored")
        if args.compression in ("deflated", "both"):
            bench_zip(args.count, layout, zipfile.ZIP_DEFLATED, "deflated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
