"""`manage.py import_course PATH` and `manage.py export_course SLUG PATH`."""

from __future__ import annotations

import copy
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mooc.catalog.models import Course
from mooc.learning.models import Material
from mooc.packages.tests.helpers import manifest, row_counts, write_package, zip_folder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_course_prints_the_counts_and_succeeds(tmp_path: Path) -> None:
    package = zip_folder(write_package(tmp_path / "p", manifest()), tmp_path / "naskah.zip")

    out, err = _run("import_course", str(package))

    assert err == ""
    assert "Imported tata-naskah-dinas from naskah.zip." in out
    assert "material          3        0          0        0        0" in out
    assert Course.objects.filter(slug="tata-naskah-dinas").exists()


def test_import_course_says_when_nothing_changed(tmp_path: Path) -> None:
    package = write_package(tmp_path / "p", manifest())
    _run("import_course", str(package))

    out, _ = _run("import_course", str(package))

    assert "tata-naskah-dinas is up to date with p; nothing changed." in out
    assert "material          0        0          3        0        0" in out


def test_import_course_reports_retired_rows(tmp_path: Path) -> None:
    data = manifest()
    _run("import_course", str(write_package(tmp_path / "v1", data)))
    smaller = copy.deepcopy(data)
    smaller["sections"][0]["materials"].pop()

    out, _ = _run("import_course", str(write_package(tmp_path / "v2", smaller)))

    assert "material          0        0          2        1        0" in out
    assert Material.objects.filter(is_retired=True).count() == 1


def test_import_course_exits_non_zero_and_lists_each_problem(tmp_path: Path) -> None:
    data = manifest(level="ahli")
    del data["sections"][0]["materials"][1]["title"]
    package = write_package(tmp_path / "p", data)
    counts = row_counts()
    err = StringIO()

    with pytest.raises(CommandError, match=r"2 problem\(s\) in p; nothing was imported."):
        call_command("import_course", str(package), stdout=StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0].startswith("course.yaml:") and "course.level: Unknown value “ahli”" in lines[0]
    assert "sections[0].materials[1].title: This field is required." in lines[1]
    assert row_counts() == counts


def test_import_course_exits_non_zero_for_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="nothing was imported"):
        _run("import_course", str(tmp_path / "tidak-ada.zip"))


def test_import_course_counts_the_final_exam(tmp_path: Path) -> None:
    # `exam` was a reserved key reported as "not imported yet"; it is imported now.
    data = manifest()
    data["questions"] = [{"file": "soal/bank.gift"}]
    data["exam"] = {
        "title": "Ujian Akhir",
        "question_count": 1,
        "time_limit_minutes": 30,
        "passing_grade": 70,
    }
    bank = {"soal/bank.gift": b"::q1:: Ibu kota Indonesia?{=Jakarta ~Bandung}"}

    out, _ = _run("import_course", str(write_package(tmp_path / "p", data, bank)))

    assert "not imported yet" not in out
    assert any(line.split()[:2] == ["exam", "1"] for line in out.splitlines()), out


def test_export_course_writes_a_zip_that_imports_again(tmp_path: Path) -> None:
    _run("import_course", str(write_package(tmp_path / "p", manifest())))

    out, _ = _run("export_course", "tata-naskah-dinas", str(tmp_path / "keluar.zip"))

    assert f"Exported tata-naskah-dinas to {tmp_path / 'keluar.zip'}." in out
    again, _ = _run("import_course", str(tmp_path / "keluar.zip"))
    assert "nothing changed" in again


def test_export_course_writes_a_folder(tmp_path: Path) -> None:
    _run("import_course", str(write_package(tmp_path / "p", manifest())))

    _run("export_course", "tata-naskah-dinas", str(tmp_path / "folder"))

    assert (tmp_path / "folder" / "course.yaml").is_file()
    assert (tmp_path / "folder" / "materials" / "pengantar.html").is_file()


def test_export_course_fails_for_an_unknown_slug(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No course with the slug 'tidak-ada'"):
        _run("export_course", "tidak-ada", str(tmp_path / "x.zip"))


def test_export_course_fails_for_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    package = write_package(tmp_path / "p", manifest())
    _run("import_course", str(package))

    with pytest.raises(CommandError, match="is not empty"):
        _run("export_course", "tata-naskah-dinas", str(package))
