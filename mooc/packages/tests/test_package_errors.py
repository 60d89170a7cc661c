"""Each bad package is refused with a message naming the file, the field and the problem,
and nothing is created."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mooc.catalog.models import Course
from mooc.packages.importer import course_package_import
from mooc.packages.report import PackageReport
from mooc.packages.tests.helpers import (
    MP4,
    WEBM,
    manifest,
    png,
    row_counts,
    stored_files,
    write_package,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Build = Callable[[Path], Path]


@dataclass
class Case:
    build: Build
    file: str
    field: str
    message: str
    line: int | None = None


def _with(
    change: Callable[[dict[str, Any]], object], files: dict[str, bytes] | None = None
) -> Build:
    def build(root: Path) -> Path:
        data = copy.deepcopy(manifest())
        change(data)
        return write_package(root, data, files)

    return build


def _text(text: str | bytes, files: dict[str, bytes] | None = None) -> Build:
    return lambda root: write_package(root, text, files)


def _without_manifest(root: Path) -> Path:
    write_package(root, "x").joinpath("course.yaml").unlink()
    return root


def _material(**values: Any) -> Callable[[dict[str, Any]], object]:
    def change(data: dict[str, Any]) -> None:
        material = data["sections"][0]["materials"][0]
        material.pop("body", None)
        material.update(values)

    return change


def _course(**values: Any) -> Callable[[dict[str, Any]], object]:
    return lambda data: data["course"].update(values)


VALID_TOP = "format_version: 1\ncourse:\n  slug: a\n  title: A\n  summary: S\n  jp: 1\n"
CATEGORY = "  category: {slug: umum, name: Umum}\n"

CASES: dict[str, Case] = {
    "yaml syntax error": Case(
        _text("format_version: 1\ncourse:\n  title: [Tata Naskah\n  jp: 4\n"),
        "course.yaml",
        "",
        "YAML syntax error at line",
    ),
    "yaml tab indentation": Case(
        _text("format_version: 1\ncourse:\n\ttitle: Tata\n"),
        "course.yaml",
        "",
        "YAML syntax error at line 3, column 1",
        line=3,
    ),
    "unknown level": Case(
        _with(_course(level="ahli")), "course.yaml", "course.level", "Unknown value “ahli”"
    ),
    "missing title": Case(
        _with(lambda data: data["sections"][1]["materials"][0].pop("title")),
        "course.yaml",
        "sections[1].materials[0].title",
        "This field is required.",
    ),
    "blank title": Case(
        _with(lambda data: data["sections"][0].update(title="   ")),
        "course.yaml",
        "sections[0].title",
        "Must not be empty.",
    ),
    "missing course": Case(
        _with(lambda data: data.pop("course")), "course.yaml", "course", "This field is required."
    ),
    "missing referenced file": Case(
        _with(_material(body_file="materi/tidak-ada.md")),
        "course.yaml",
        "sections[0].materials[0].body_file",
        "No such file in the package.",
    ),
    "file name in the wrong case": Case(
        _with(_material(body_file="materi/pengantar.md"), {"materi/Pengantar.md": b"Halo"}),
        "course.yaml",
        "sections[0].materials[0].body_file",
        "Did you mean materi/Pengantar.md?",
    ),
    "path traversal": Case(
        _with(_material(body_file="../../etc/passwd")),
        "course.yaml",
        "sections[0].materials[0].body_file",
        "leaves the package folder",
    ),
    "absolute path": Case(
        _with(_course(cover_image="/etc/passwd")),
        "course.yaml",
        "course.cover_image",
        "Absolute paths are not allowed",
    ),
    "windows absolute path": Case(
        _with(_material(video_file="C:\\Users\\ani\\video.mp4")),
        "course.yaml",
        "sections[0].materials[0].video_file",
        "Absolute paths are not allowed",
    ),
    "duplicate section ids": Case(
        _with(lambda data: data["sections"][1].update(id="dasar")),
        "course.yaml",
        "sections[1].id",
        "The id “dasar” is used twice: also at sections[0].",
    ),
    "duplicate material ids across sections": Case(
        _with(lambda data: data["sections"][1]["materials"][0].update(id="pengantar")),
        "course.yaml",
        "sections[1].materials[0].id",
        "used twice: also at sections[0].materials[0]",
    ),
    "duplicate instructor ids": Case(
        _with(
            lambda data: data["course"]["instructors"].append({"id": "ani-lestari", "name": "Ani"})
        ),
        "course.yaml",
        "course.instructors[1].id",
        "used twice",
    ),
    "id with spaces": Case(
        _with(lambda data: data["sections"][0].update(id="bagian satu")),
        "course.yaml",
        "sections[0].id",
        "Use only letters, digits, hyphens and underscores",
    ),
    "text where a number belongs": Case(
        _with(_course(jp="sepuluh")), "course.yaml", "course.jp", "Must be a whole number."
    ),
    "text where true or false belongs": Case(
        _with(_course(published="ya")), "course.yaml", "course.published", "Must be true or false."
    ),
    "a mapping where a list belongs": Case(
        _with(lambda data: data.update(sections={"id": "x"})),
        "course.yaml",
        "sections",
        "Must be a list.",
    ),
    "negative duration": Case(
        _with(_material(duration_minutes=-5, body="x")),
        "course.yaml",
        "sections[0].materials[0].duration_minutes",
        "Must be 0 or more.",
    ),
    "run dates going backwards": Case(
        _with(_course(starts_at="2025-03-01T08:00:00+07:00", ends_at="2025-02-01T08:00:00+07:00")),
        "course.yaml",
        "course.ends_at",
        "Must be later than course.starts_at",
    ),
    "enrolment window going backwards": Case(
        _with(
            _course(
                enroll_opens_at="2025-03-01T08:00:00+07:00",
                enroll_closes_at="2025-03-01T08:00:00+07:00",
            )
        ),
        "course.yaml",
        "course.enroll_closes_at",
        "Must be later than course.enroll_opens_at",
    ),
    "date without an offset": Case(
        _with(_course(starts_at="2025-03-01T08:00:00")),
        "course.yaml",
        "course.starts_at",
        "UTC offset",
    ),
    "date only, unquoted": Case(
        _text(VALID_TOP + CATEGORY + "  starts_at: 2025-03-01\n"),
        "course.yaml",
        "course.starts_at",
        "UTC offset",
    ),
    "not a date": Case(
        _with(_course(ends_at="akhir tahun")),
        "course.yaml",
        "course.ends_at",
        "Not a date and time in ISO 8601 form",
    ),
    "video of a type not allowed": Case(
        _with(_material(video_file="video/materi.avi"), {"video/materi.avi": b"RIFF0000AVI "}),
        "video/materi.avi",
        "sections[0].materials[0].video_file",
        "Upload a video in MP4, WebM or Ogg format.",
    ),
    "video whose bytes are not a video": Case(
        _with(_material(video_file="video/materi.mp4"), {"video/materi.mp4": b"<html>hi</html>"}),
        "video/materi.mp4",
        "sections[0].materials[0].video_file",
        "do not match its .mp4 extension",
    ),
    "webm that is really an mp4": Case(
        _with(_material(video_file="video/materi.webm"), {"video/materi.webm": MP4}),
        "video/materi.webm",
        "sections[0].materials[0].video_file",
        "do not match its .webm extension",
    ),
    "attachment of a type not allowed": Case(
        _with(
            _material(attachments=[{"title": "Program", "file": "lampiran/setup.exe"}]),
            {"lampiran/setup.exe": b"MZ\x90\x00"},
        ),
        "lampiran/setup.exe",
        "sections[0].materials[0].attachments[0].file",
        "Upload a PDF",
    ),
    "cover that is not an image": Case(
        _with(_course(cover_image="sampul.png"), {"sampul.png": b"not an image"}),
        "sampul.png",
        "course.cover_image",
        "Upload a JPEG, PNG, WebP or GIF image.",
    ),
    "invalid video address": Case(
        _with(_material(video_url="youtube.com/watch?v=abc")),
        "course.yaml",
        "sections[0].materials[0].video_url",
        "Not a valid web address",
    ),
    "body and body_file together": Case(
        _with(_material(body="Isi", body_file="materi/isi.md"), {"materi/isi.md": b"Isi"}),
        "course.yaml",
        "sections[0].materials[0].body_file",
        "Give either body or body_file, not both.",
    ),
    "video_url and video_file together": Case(
        _with(_material(video_url="https://youtu.be/abc", video_file="v.webm"), {"v.webm": WEBM}),
        "course.yaml",
        "sections[0].materials[0].video_file",
        "Give either video_url or video_file, not both.",
    ),
    "body file of another type": Case(
        _with(_material(body_file="materi/isi.txt"), {"materi/isi.txt": b"Isi"}),
        "materi/isi.txt",
        "sections[0].materials[0].body_file",
        "Use a Markdown (.md) or HTML (.html) file.",
    ),
    "unknown top-level key": Case(
        _with(lambda data: data.update(kuis=[])), "course.yaml", "kuis", "Unknown field."
    ),
    "unknown course key": Case(
        _with(_course(titel="Salah ketik")), "course.yaml", "course.titel", "Unknown field."
    ),
    "format version from the future": Case(
        _with(lambda data: data.update(format_version=2)),
        "course.yaml",
        "format_version",
        "Unsupported format_version 2",
    ),
    "duplicate yaml key": Case(
        _text(VALID_TOP + CATEGORY + "  jp: 2\n"),
        "course.yaml",
        "course.jp",
        "This key appears twice",
        line=8,
    ),
    "manifest that is a list": Case(
        _text("- format_version\n- course\n"), "course.yaml", "", "must be a mapping"
    ),
    "empty manifest": Case(_text(""), "course.yaml", "", "The manifest is empty."),
    "no manifest": Case(
        _without_manifest,
        "course.yaml",
        "",
        "The package has no course.yaml at its top level.",
    ),
    "windows-1252 manifest": Case(
        _text("format_version: 1\ncourse:\n  slug: a\n  title: Caf\xe9 ASN\n".encode("cp1252")),
        "course.yaml",
        "",
        "byte 0xE9 at line 4, column 13",
        line=4,
    ),
    "windows-1252 body file": Case(
        _with(
            _material(body_file="materi/isi.md"),
            {"materi/isi.md": "Kata \u201cpengantar\u201d".encode("cp1252")},
        ),
        "materi/isi.md",
        "sections[0].materials[0].body_file",
        "is not UTF-8 text",
        line=1,
    ),
    "utf-16 manifest": Case(
        _text("format_version: 1\n".encode("utf-16")), "course.yaml", "", "saved as UTF-16"
    ),
    "alias bomb": Case(
        _text(
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n"
                for i in range(6)
            )
        ),
        "course.yaml",
        "",
        "The manifest is too complex",
    ),
    "deeply nested manifest": Case(
        _text("format_version: " + "[" * 5000 + "]" * 5000 + "\n"),
        "course.yaml",
        "",
        "The manifest is too complex",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_package_names_file_field_and_problem_and_creates_nothing(
    tmp_path: Path, name: str
) -> None:
    case = CASES[name]
    package = case.build(tmp_path / "paket")
    counts, files = row_counts(), stored_files()

    report = course_package_import(source=package)

    assert not report.committed
    matching = [
        error
        for error in report.errors
        if error.file == case.file and error.field == case.field and case.message in error.message
    ]
    assert matching, [str(error) for error in report.errors]
    if case.line is not None:
        assert matching[0].line == case.line
    assert row_counts() == counts
    assert stored_files() == files


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = manifest(level="ahli", jp="empat")
    data["sections"][0]["materials"][0]["body_file"] = "../rahasia.md"
    data["sections"][0]["materials"][0].pop("body")
    data["sections"][1]["id"] = "dasar"

    report = course_package_import(source=write_package(tmp_path / "p", data))

    assert {error.field for error in report.errors} == {
        "course.level",
        "course.jp",
        "sections[0].materials[0].body_file",
        "sections[1].id",
    }
    assert all(error.line for error in report.errors)


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "rahasia.md"
    secret.write_text("rahasia negara")
    data = manifest()
    data["sections"][0]["materials"][0] = {"id": "x", "title": "X", "body_file": "materi/x.md"}
    package = write_package(tmp_path / "paket", data)
    (package / "materi").mkdir()
    os.symlink(secret, package / "materi" / "x.md")

    report = course_package_import(source=package)

    assert [
        (error.field, "outside the package folder" in error.message) for error in report.errors
    ] == [("sections[0].materials[0].body_file", True)]
    assert not Course.objects.exists()


def test_an_oversize_video_is_refused(tmp_path: Path, settings: Any) -> None:
    settings.MAX_VIDEO_UPLOAD_MB = 0
    data = manifest()
    data["sections"][0]["materials"][0]["video_file"] = "video/besar.webm"

    report = course_package_import(
        source=write_package(tmp_path / "p", data, {"video/besar.webm": WEBM})
    )

    assert [(e.file, e.field) for e in report.errors] == [
        ("video/besar.webm", "sections[0].materials[0].video_file")
    ]
    assert "too large" in report.errors[0].message


def test_an_oversize_text_file_is_refused(tmp_path: Path, settings: Any) -> None:
    data = manifest()
    data["sections"][0]["materials"][0] = {"id": "x", "title": "X", "body_file": "isi.md"}
    package = write_package(tmp_path / "p", data)
    limit = (package / "course.yaml").stat().st_size
    (package / "isi.md").write_bytes(b"a" * (limit + 1))
    settings.COURSE_PACKAGE_MAX_TEXT_BYTES = limit

    report = course_package_import(source=package)

    assert [(e.file, e.field) for e in report.errors] == [
        ("isi.md", "sections[0].materials[0].body_file")
    ]
    assert "too large" in report.errors[0].message


def test_a_package_over_the_total_size_limit_is_refused(tmp_path: Path, settings: Any) -> None:
    settings.COURSE_PACKAGE_MAX_BYTES = 1000
    data = manifest(cover_image="sampul.png")
    cover = png(size=(200, 200))
    assert len(cover) < 1000
    data["sections"][0]["materials"][0]["video_file"] = "v.webm"

    report = course_package_import(
        source=write_package(tmp_path / "p", data, {"sampul.png": cover, "v.webm": WEBM})
    )

    assert [(e.file, e.field) for e in report.errors] == [("course.yaml", "")]
    assert "add up to" in report.errors[0].message


# --- What office tools write, and what later versions will add ---------------------


def _imported(report: PackageReport) -> Course:
    assert report.errors == []
    assert report.committed
    return Course.objects.get(slug=report.course_slug)


def test_a_manifest_with_bom_and_crlf_imports_cleanly(tmp_path: Path) -> None:
    text = (
        "\ufeffformat_version: 1\r\ncourse:\r\n  slug: naskah\r\n  title: Naskah Dinas\r\n"
        "  summary: Ringkas\r\n  jp: 2\r\n  category: {slug: umum, name: Umum}\r\n"
        "  description: |\r\n    Baris satu.\r\n\r\n    ## Bagian\r\n"
        "sections:\r\n  - id: satu\r\n    title: Satu\r\n    materials:\r\n"
        "      - id: m1\r\n        title: Materi\r\n        body_file: isi.md\r\n"
    )
    body = "\ufeff# Judul\r\n\r\nParagraf \u201cpertama\u201d.\r\n".encode()

    course = _imported(
        course_package_import(
            source=write_package(tmp_path / "p", text.encode("utf-8"), {"isi.md": body})
        )
    )

    assert course.title == "Naskah Dinas"
    assert course.description == "<p>Baris satu.</p>\n<h2>Bagian</h2>"
    material = course.sections.get().materials.get()
    assert material.body == "<h2>Judul</h2>\n<p>Paragraf \u201cpertama\u201d.</p>"
    assert "\r" not in material.body and "\ufeff" not in material.body


def test_the_exam_key_is_checked_now_that_it_is_imported(tmp_path: Path) -> None:
    # `exam` was reserved until the exam engine; it is imported now (test_package_exam.py),
    # so the old placeholder keys are unknown fields and the bank must be big enough.
    data = manifest()
    data["exam"] = {"duration_minutes": 60, "passing_score": 70}

    report = course_package_import(source=write_package(tmp_path / "p", data))

    assert not report.committed
    fields = {error.field: error.message for error in report.errors}
    assert fields["exam.duration_minutes"].startswith("Unknown field.")
    assert fields["exam.title"] == "This field is required."
    assert not Course.objects.exists()


def test_inline_html_is_kept_and_sanitized(tmp_path: Path) -> None:
    data = manifest(description='<p onclick="x()">Aman</p><script>alert(1)</script>')

    course = _imported(course_package_import(source=write_package(tmp_path / "p", data)))

    assert course.description == "<p>Aman</p>"


def test_a_path_to_the_manifest_itself_is_accepted(tmp_path: Path) -> None:
    package = write_package(tmp_path / "p", manifest())

    _imported(course_package_import(source=package / "course.yaml"))


def test_a_path_that_does_not_exist_is_reported(tmp_path: Path) -> None:
    report = course_package_import(source=tmp_path / "tidak-ada")

    assert not report.committed
    assert report.errors[0].message == "No such file or folder."


def test_a_manifest_that_is_a_symbolic_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = write_package(tmp_path / "lain", manifest())
    package = tmp_path / "paket"
    package.mkdir()
    os.symlink(outside / "course.yaml", package / "course.yaml")

    report = course_package_import(source=package)

    assert [(error.file, error.field) for error in report.errors] == [("course.yaml", "")]
    assert "outside the package folder" in report.errors[0].message
    assert not Course.objects.exists()


def test_yaml_problems_are_said_in_indonesian_with_what_to_do(tmp_path: Path) -> None:
    from django.utils import translation

    folder = tmp_path / "paket"
    folder.mkdir()
    (folder / "course.yaml").write_text("format_version: 1\ncourse:\n\ttitle: Tata\n")

    with translation.override("id"):
        report = course_package_import(source=folder)

    message = str(report.errors[0])
    assert "baris 3" in message
    assert "karakter tab" in message and "spasi" in message
    assert "found character" not in message


def test_the_commands_last_line_is_indonesian_and_says_what_to_do(tmp_path: Path) -> None:
    from django.core.management import CommandError, call_command
    from django.utils import translation

    folder = tmp_path / "paket"
    folder.mkdir()
    (folder / "course.yaml").write_text("format_version: 1\ncourse:\n  title: [Tata\n")

    with translation.override("id"), pytest.raises(CommandError) as raised:
        call_command("import_course", str(folder), stderr=open(os.devnull, "w"))  # noqa: SIM115

    assert "tidak ada yang diimpor" in str(raised.value)
    assert "Perbaiki" in str(raised.value)


def test_markdown_footnotes_keep_their_links_and_nothing_else_keeps_an_id() -> None:
    from django.utils import translation

    from mooc.core.sanitize import sanitize_html
    from mooc.packages.manifest import text_to_html

    with translation.override("id"):
        html = text_to_html(
            "Asas pelayanan[^uu] berlaku.\n\n[^uu]: UU Nomor 25 Tahun 2009.", is_markdown=True
        )

    assert '<sup id="fnref:uu"><a href="#fn:uu"' in html
    assert '<li id="fn:uu">' in html and 'href="#fnref:uu"' in html
    assert "Kembali ke catatan kaki 1" in html and "Jump back" not in html
    hostile = sanitize_html('<li id="main-nav">x</li><sup id="fn:1 onclick">y</sup>')
    assert "id=" not in hostile
