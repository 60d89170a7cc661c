"""Finding F4 of issue 14: a damaged zip or an unsafe YAML tag is a report error,
never an exception (a 500 in the admin, a traceback from import_course)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from mooc.packages.importer import course_package_import
from mooc.packages.report import PackageReport
from mooc.packages.tests.helpers import IMPORT_URL, manifest, row_counts, write_package

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

BODY = b"## Isi\n\n" + b"Teks materi yang cukup panjang untuk dikompres. " * 40


def _package_zip(tmp_path: Path, *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    data = manifest()
    data["sections"][0]["materials"][0] = {"id": "x", "title": "X", "body_file": "materi/x.md"}
    folder = write_package(tmp_path / "paket", data, {"materi/x.md": BODY})
    target = tmp_path / "paket.zip"
    with zipfile.ZipFile(target, "w", method) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return target.read_bytes()


def _member_data_offset(raw: bytes, name: str) -> tuple[int, int]:
    """Where the stored bytes of `name` start, and how many there are."""
    import io

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        info = archive.getinfo(name)
    start = info.header_offset
    name_len = int.from_bytes(raw[start + 26 : start + 28], "little")
    extra_len = int.from_bytes(raw[start + 28 : start + 30], "little")
    return start + 30 + name_len + extra_len, info.compress_size


def crc_mismatch(raw: bytes) -> bytes:
    offset, _ = _member_data_offset(raw, "materi/x.md")
    damaged = bytearray(raw)
    damaged[offset + 3] ^= 0x20  # stored: the text changes, its CRC does not
    return bytes(damaged)


def bad_magic(raw: bytes) -> bytes:
    offset, _ = _member_data_offset(raw, "materi/x.md")
    header = raw.rfind(b"PK\x03\x04", 0, offset)
    return raw[:header] + b"XX" + raw[header + 2 :]


def broken_deflate(raw: bytes) -> bytes:
    offset, size = _member_data_offset(raw, "materi/x.md")
    return raw[:offset] + b"\xff" * size + raw[offset + size :]


def negative_offset(raw: bytes) -> bytes:
    """The end record says the central directory starts later than it does: zipfile
    shifts every member's offset back by as much, and seeks before the file's start."""
    end = raw.rfind(b"PK\x05\x06")
    offset = int.from_bytes(raw[end + 16 : end + 20], "little") + 1000
    return raw[: end + 16] + offset.to_bytes(4, "little") + raw[end + 20 :]


def _import(raw: bytes, tmp_path: Path, as_upload: bool) -> PackageReport:
    if as_upload:
        return course_package_import(
            source=SimpleUploadedFile("paket.zip", raw, content_type="application/zip")
        )
    path = tmp_path / "rusak.zip"
    path.write_bytes(raw)
    return course_package_import(source=path)


def _refused(report: PackageReport, text: str) -> None:
    assert not report.committed
    messages = [str(error) for error in report.errors]
    assert any(text in message for message in messages), messages


@pytest.mark.parametrize("as_upload", [True, False], ids=["upload", "path"])
@pytest.mark.parametrize(
    ("damage", "method", "member"),
    [
        (crc_mismatch, zipfile.ZIP_STORED, "materi/x.md"),
        (bad_magic, zipfile.ZIP_DEFLATED, "materi/x.md"),
        (broken_deflate, zipfile.ZIP_DEFLATED, "materi/x.md"),
        (negative_offset, zipfile.ZIP_DEFLATED, "course.yaml"),
    ],
    ids=["crc", "magic", "zlib", "negative-seek"],
)
def test_a_damaged_member_is_reported(
    tmp_path: Path, damage: Any, method: int, member: str, as_upload: bool
) -> None:
    before = row_counts()
    report = _import(damage(_package_zip(tmp_path, method=method)), tmp_path, as_upload)

    _refused(report, f"The zip is damaged: “{member}” cannot be read")
    assert row_counts() == before


@pytest.mark.parametrize("as_upload", [True, False], ids=["upload", "path"])
@pytest.mark.parametrize("raw", [b"PK\x05\x06", b"PK\x03\x04 bukan zip"], ids=["short", "junk"])
def test_a_truncated_zip_is_not_a_zip(tmp_path: Path, raw: bytes, as_upload: bool) -> None:
    # An upload in memory: zipfile's negative seek raises ValueError, not OSError.
    _refused(_import(raw, tmp_path, as_upload), "This is not a valid zip file.")


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['true']",
        "!!python/name:os.system",
        "!!binary ZZZ=",
    ],
)
def test_an_unsafe_or_broken_yaml_tag_is_reported(tmp_path: Path, tag: str) -> None:
    text = f"format_version: 1\ncourse:\n  slug: naskah\n  title: {tag}\n"
    report = course_package_import(source=write_package(tmp_path / "paket", text))

    assert not report.committed and report.errors
    assert report.errors[0].file == "course.yaml"


def test_import_course_reports_a_damaged_zip_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "rusak.zip"
    path.write_bytes(crc_mismatch(_package_zip(tmp_path, method=zipfile.ZIP_STORED)))

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_course", str(path))


def test_the_admin_upload_reports_a_damaged_zip(
    content_admin_client: Client,
    tmp_path: Path,
) -> None:
    raw = broken_deflate(_package_zip(tmp_path))
    upload = SimpleUploadedFile("paket.zip", raw, content_type="application/zip")

    response = content_admin_client.post(reverse(IMPORT_URL), {"package": upload})

    assert response.status_code == 200
    assert "The zip is damaged" in response.content.decode()
