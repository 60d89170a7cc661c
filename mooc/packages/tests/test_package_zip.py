"""Zip packages: accepted as folders are, refused when they attack (zip slip, zip bombs)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mooc.catalog.models import Course
from mooc.packages.importer import course_package_import
from mooc.packages.report import PackageReport
from mooc.packages.tests.helpers import (
    manifest,
    row_counts,
    stored_files,
    write_package,
    zip_folder,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def package(tmp_path: Path) -> Path:
    data = manifest()
    data["sections"][0]["materials"][0] = {"id": "x", "title": "X", "body_file": "materi/x.md"}
    return write_package(tmp_path / "paket", data, {"materi/x.md": b"## Isi\n\nTeks."})


def _zip(path: Path, entries: dict[str | zipfile.ZipInfo, bytes], base: Path | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if base is not None:
            for file in sorted(base.rglob("*")):
                if file.is_file():
                    archive.write(file, file.relative_to(base).as_posix())
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _refused(report: PackageReport, text: str, counts: dict[str, int]) -> None:
    assert not report.committed
    assert any(text in error.message for error in report.errors), [
        str(error) for error in report.errors
    ]
    assert row_counts() == counts


def test_a_zipped_package_imports_like_the_folder(tmp_path: Path, package: Path) -> None:
    report = course_package_import(source=zip_folder(package, tmp_path / "paket.zip"))

    assert report.errors == [] and report.committed
    assert report.source == "paket.zip"
    assert Course.objects.get().sections.count() == 2


def test_a_zip_holding_one_folder_with_the_package_is_accepted(
    tmp_path: Path, package: Path
) -> None:
    path = tmp_path / "dibungkus.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(package.rglob("*")):
            archive.write(file, f"paket/{file.relative_to(package).as_posix()}")
        archive.writestr("__MACOSX/paket/._course.yaml", b"\x00\x05\x16\x07")

    assert course_package_import(source=path).committed


def test_an_uploaded_zip_imports(tmp_path: Path, package: Path) -> None:
    data = zip_folder(package, tmp_path / "paket.zip").read_bytes()

    report = course_package_import(source=SimpleUploadedFile("unggahan.zip", data))

    assert report.committed and report.source == "unggahan.zip"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../../evil.txt", "leaves the package folder"),
        ("materi/../../evil.txt", "leaves the package folder"),
        ("..\\..\\evil.txt", "leaves the package folder"),
        ("/etc/cron.d/evil", "Absolute paths are not allowed"),
        ("C:/Windows/evil.txt", "Absolute paths are not allowed"),
    ],
)
def test_zip_slip_entries_are_refused_and_nothing_is_written(
    tmp_path: Path, package: Path, name: str, problem: str
) -> None:
    path = _zip(tmp_path / "slip.zip", {name: b"owned"}, base=package)
    counts, files = row_counts(), stored_files()

    report = course_package_import(source=path)

    _refused(report, problem, counts)
    assert report.errors[0].file == "slip.zip"
    assert name in report.errors[0].message
    assert not (tmp_path / "evil.txt").exists()
    assert stored_files() == files


def test_a_zip_bomb_entry_is_refused_by_its_compression_ratio(
    tmp_path: Path, package: Path
) -> None:
    path = _zip(tmp_path / "bom.zip", {"materi/nol.txt": b"\x00" * (8 * 1024 * 1024)}, base=package)
    assert path.stat().st_size < 100 * 1024

    _refused(course_package_import(source=path), "compressed more than 100 times", row_counts())


def test_a_zip_that_unpacks_beyond_the_size_limit_is_refused(
    tmp_path: Path, package: Path, settings: Any
) -> None:
    settings.COURSE_PACKAGE_MAX_BYTES = 1000
    path = _zip(tmp_path / "besar.zip", {"materi/acak.bin": bytes(range(256)) * 8}, base=package)

    _refused(course_package_import(source=path), "The zip unpacks to", row_counts())


def test_a_zip_with_too_many_entries_is_refused(
    tmp_path: Path, package: Path, settings: Any
) -> None:
    settings.COURSE_PACKAGE_MAX_FILES = 5
    path = _zip(tmp_path / "banyak.zip", {f"x/{n}.txt": b"x" for n in range(10)}, base=package)

    _refused(
        course_package_import(source=path), "The zip holds 12 entries; at most 5", row_counts()
    )


def test_symbolic_links_in_a_zip_are_refused(tmp_path: Path, package: Path) -> None:
    link = zipfile.ZipInfo("materi/x.md")
    link.create_system = 3
    link.external_attr = 0o120777 << 16
    path = tmp_path / "tautan.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(package / "course.yaml", "course.yaml")
        archive.writestr(link, "/etc/passwd")

    _refused(course_package_import(source=path), "is a symbolic link", row_counts())


def test_duplicate_zip_entries_are_refused(tmp_path: Path, package: Path) -> None:
    path = tmp_path / "ganda.zip"
    with zipfile.ZipFile(path, "w") as archive, pytest.warns(UserWarning):
        archive.write(package / "course.yaml", "course.yaml")
        archive.write(package / "materi/x.md", "materi/x.md")
        archive.writestr("materi/x.md", b"lain")

    _refused(course_package_import(source=path), "is in the zip twice", row_counts())


def test_a_zip_without_a_manifest_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "kosong.zip", {"a/course.yaml": b"x", "b/materi.md": b"y"})

    _refused(
        course_package_import(source=path), "has no course.yaml at its top level", row_counts()
    )


def test_a_file_named_zip_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "palsu.zip"
    path.write_bytes(b"bukan zip")

    _refused(course_package_import(source=path), "This is not a valid zip file.", row_counts())


def test_an_uploaded_file_that_is_not_a_zip_is_refused() -> None:
    report = course_package_import(source=SimpleUploadedFile("x.zip", io.BytesIO(b"x").read()))

    _refused(report, "This is not a valid zip file.", row_counts())


def test_encrypted_zip_entries_are_refused(tmp_path: Path, package: Path) -> None:
    path = tmp_path / "sandi.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(package / "course.yaml", "course.yaml")
        archive.writestr("materi/rahasia.md", b"\x00" * 12)
    # zipfile cannot encrypt: set the "encrypted" flag of the entry's central record.
    data = bytearray(path.read_bytes())
    record = data.rindex(b"PK\x01\x02")
    data[record + 8] |= 0x1
    path.write_bytes(bytes(data))

    _refused(course_package_import(source=path), "is encrypted", row_counts())
