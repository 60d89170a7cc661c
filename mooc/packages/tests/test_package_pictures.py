"""Pictures in a material's text travel with the package: a picture that is a file of
the package is checked like an upload and becomes the course's own private picture;
an export carries the course's pictures as files, and importing it back changes
nothing. A bad picture is refused with a message, and nothing is created."""

from __future__ import annotations

import contextlib
import copy
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.core.files import private_storage
from mooc.learning.models import Material
from mooc.packages.exporter import course_package_export
from mooc.packages.importer import course_package_import
from mooc.packages.report import PackageReport
from mooc.packages.tests.helpers import (
    empty_the_catalogue,
    manifest,
    png,
    row_counts,
    stored_files,
    write_package,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SLUG = "tata-naskah-dinas"


@pytest.fixture(autouse=True)
def _pictures_removed_after(settings: Any) -> Iterator[None]:
    """The test storage is shared by the session: the pictures (and their course
    folders) a test stored are removed, so another test's course with the same id
    starts with none."""
    before = stored_files()
    yield
    for name in stored_files() - before:
        path = Path(name)
        path.unlink()
        with contextlib.suppress(OSError):  # not empty: it held files before
            path.parent.rmdir()


_SRC = re.compile(r'src="(/belajar/[^"]+)"')


def _package(root: Path, **files: bytes) -> Path:
    """The small manifest with two pictures: one in an HTML file (relative to it), one
    in an inline Markdown text (relative to the package)."""
    data: dict[str, Any] = copy.deepcopy(manifest())
    first = data["sections"][0]["materials"][0]
    first.pop("body")
    first["body_file"] = "teks/pengantar.html"
    data["sections"][0]["materials"][1]["body"] = "## Alur\n\n![Alur surat](gambar/alur.png)"
    content = {
        "teks/pengantar.html": b'<p>Bagan</p><img src="../gambar/bagan.png" alt="Bagan">\n',
        "gambar/bagan.png": png("teal", (64, 36)),
        "gambar/alur.png": png("maroon", (30, 30)),
    }
    content.update({name.replace("__", "/"): value for name, value in files.items()})
    return write_package(root, data, content)


def _import(source: Path) -> PackageReport:
    report = course_package_import(source=source)
    assert report.errors == [], report.errors
    assert report.committed
    return report


def _pictures() -> dict[str, list[str]]:
    """Each material's picture addresses, by its key."""
    return {
        material.key: _SRC.findall(material.body)
        for material in Material.objects.filter(section__course__slug=SLUG).order_by("key")
    }


def _stored(url: str) -> bytes:
    course = Course.objects.get(slug=SLUG)
    name = url.rsplit("/", 1)[-1]
    with private_storage().open(f"editor/{course.pk}/{name}", "rb") as handle:
        return bytes(handle.read())


def test_the_pictures_of_a_package_become_the_course_s_own(tmp_path: Path) -> None:
    _import(_package(tmp_path / "p"))

    pictures = _pictures()
    assert len(pictures["pengantar"]) == 1 and len(pictures["jenis-naskah"]) == 1
    for url in pictures["pengantar"] + pictures["jenis-naskah"]:
        assert re.fullmatch(rf"/belajar/{SLUG}/gambar/[0-9a-f]{{32}}\.(jpg|png)", url), url
        assert _stored(url)  # stored re-encoded in the course's private pictures
    body = Material.objects.get(key="pengantar").body
    assert 'alt="Bagan"' in body
    # Shown to an enrolled learner through the player's access check.
    learner = UserFactory.create()
    EnrollmentFactory.create(user=learner, course=Course.objects.get(slug=SLUG))
    client = Client()
    client.force_login(learner)
    assert client.get(pictures["pengantar"][0]).status_code == 200


@pytest.mark.parametrize("suffix", [".zip", ""])
def test_an_export_carries_the_pictures_and_imports_back_unchanged(
    tmp_path: Path, suffix: str
) -> None:
    _import(_package(tmp_path / "p"))
    before = _pictures()
    contents = {url: _stored(url) for urls in before.values() for url in urls}
    course = Course.objects.get(slug=SLUG)

    exported = course_package_export(course=course, destination=tmp_path / f"out{suffix}")

    if suffix:
        with zipfile.ZipFile(exported) as archive:
            names = set(archive.namelist())
            body = archive.read("materials/pengantar.html").decode()
    else:
        names = {p.relative_to(exported).as_posix() for p in exported.rglob("*") if p.is_file()}
        body = (exported / "materials/pengantar.html").read_text()
    assert {f"images/{url.rsplit('/', 1)[-1]}" for url in contents} <= names
    assert f'src="../images/{before["pengantar"][0].rsplit("/", 1)[-1]}"' in body

    # Into the same course: nothing changes, nothing new is stored.
    files_before = stored_files()
    report = _import(exported)
    assert report.updated["material"] == 0
    assert _pictures() == before
    assert stored_files() == files_before

    # Into an empty site: the same pictures, stored again.
    empty_the_catalogue()
    _import(exported)
    after = _pictures()
    assert [len(urls) for urls in after.values()] == [len(urls) for urls in before.values()]
    assert sorted(_stored(url) for urls in after.values() for url in urls) == sorted(
        contents.values()
    )


@pytest.mark.parametrize(
    ("html", "files", "message"),
    [
        ('<img src="../../rahasia.png" alt="x">', {}, "outside the package"),
        ('<img src="../gambar/hilang.png" alt="x">', {}, "No such file"),
        ('<img src="../gambar/palsu.png" alt="x">', {"gambar__palsu.png": b"not a picture"}, ""),
        (
            '<img src="../gambar/besar.png" alt="x">',
            {"gambar__besar.png": b"\x89PNG" + b"0" * (6 * 1024 * 1024)},
            "too large",
        ),
    ],
    ids=["outside", "missing", "not an image", "too large"],
)
def test_a_bad_picture_is_refused_with_a_message_and_nothing_is_created(
    tmp_path: Path, html: str, files: dict[str, bytes], message: str
) -> None:
    root = _package(tmp_path / "p", **files)
    (root / "teks/pengantar.html").write_text(html)
    counts, stored = row_counts(), stored_files()

    report = course_package_import(source=root)

    assert not report.committed
    assert len(report.errors) == 1, report.errors
    error = report.errors[0]
    assert error.field == "sections[0].materials[0].body_file"
    assert message in error.message
    assert row_counts() == counts
    assert stored_files() == stored


def test_pictures_from_elsewhere_are_still_removed(tmp_path: Path) -> None:
    root = _package(tmp_path / "p")
    (root / "teks/pengantar.html").write_text(
        '<p>a</p><img src="https://contoh.example/x.png" alt="x">'
        '<img src="data:image/png;base64,AA" alt="y">'
    )

    _import(root)

    assert "<img" not in Material.objects.get(key="pengantar").body


def test_a_picture_named_with_a_space_is_found_as_a_browser_finds_it(tmp_path: Path) -> None:
    root = _package(tmp_path / "p", **{"gambar__bagan alur.png": png("navy", (20, 20))})
    (root / "teks/pengantar.html").write_text(
        '<img src="../gambar/bagan%20alur.png" alt="Bagan alur">'
    )

    _import(root)

    assert len(_pictures()["pengantar"]) == 1
    assert _stored(_pictures()["pengantar"][0])
