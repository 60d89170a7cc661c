"""`exam.quotas` in course packages: how many questions each attempt draws from each
category of the package's bank, checked against the bank and question_count, imported
into the exam's quotas and exported again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mooc.catalog.models import Course
from mooc.exams.models import Exam, ExamCategoryQuota
from mooc.packages.exporter import course_package_export
from mooc.packages.importer import course_package_import
from mooc.packages.report import PackageReport
from mooc.packages.tests.helpers import manifest, write_package

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _bank() -> bytes:
    """Three questions in "Etika", two in "Pelayanan", one without a category."""
    blocks = ["::umum:: Pertanyaan umum?{=benar ~salah}", "$CATEGORY: Etika"]
    blocks += [f"::etika-{i}:: Soal etika {i}?{{=benar ~salah}}" for i in range(1, 4)]
    blocks += ["$CATEGORY: Pelayanan"]
    blocks += [f"::layanan-{i}:: Soal pelayanan {i}?{{=benar ~salah}}" for i in range(1, 3)]
    return "\n\n".join(blocks).encode()


QUOTAS = [{"category": "Etika", "count": 2}, {"category": "Pelayanan", "count": 2}]
EXAM: dict[str, Any] = {
    "title": "Ujian Akhir",
    "question_count": 4,
    "time_limit_minutes": 30,
    "passing_grade": 70,
    "quotas": QUOTAS,
}


def _package(root: Path, exam: dict[str, Any]) -> Path:
    data = manifest()
    data["questions"] = [{"file": "soal/bank.gift"}]
    data["exam"] = exam
    return write_package(root, data, {"soal/bank.gift": _bank()})


def _imported(report: PackageReport) -> Course:
    assert report.errors == [], report.errors
    assert report.committed
    return Course.objects.get(slug=report.course_slug)


def _quotas(course: Course) -> dict[str, int]:
    exam = Exam.objects.get(course=course, is_final=True)
    return {q.category.name: q.count for q in exam.quotas.select_related("category")}


def _errors(tmp_path: Path, exam: dict[str, Any]) -> dict[str, str]:
    report = course_package_import(source=_package(tmp_path / "p", exam))
    assert not report.committed
    assert not Course.objects.exists() and not ExamCategoryQuota.objects.exists()
    return {error.field: error.message for error in report.errors}


def test_quotas_become_the_exams_quotas_by_category(tmp_path: Path) -> None:
    course = _imported(course_package_import(source=_package(tmp_path / "p", EXAM)))

    assert _quotas(course) == {"Etika": 2, "Pelayanan": 2}
    quota = ExamCategoryQuota.objects.select_related("category").first()
    assert quota is not None and quota.category.course_id == course.pk


def test_reimporting_changes_or_removes_the_quotas(tmp_path: Path) -> None:
    course = _imported(course_package_import(source=_package(tmp_path / "a", EXAM)))

    same = course_package_import(source=_package(tmp_path / "b", EXAM))
    assert same.unchanged["exam"] == 1 and not same.changed

    moved = [{"category": "Etika", "count": 3}, {"category": "Pelayanan", "count": 1}]
    report = course_package_import(source=_package(tmp_path / "c", {**EXAM, "quotas": moved}))
    assert report.updated["exam"] == 1
    assert _quotas(course) == {"Etika": 3, "Pelayanan": 1}

    only_etika = {**EXAM, "question_count": 3, "quotas": [{"category": "Etika", "count": 3}]}
    course_package_import(source=_package(tmp_path / "d", only_etika))
    assert _quotas(course) == {"Etika": 3}

    without = {key: value for key, value in EXAM.items() if key != "quotas"}
    report = course_package_import(source=_package(tmp_path / "e", without))
    assert report.updated["exam"] == 1
    assert _quotas(course) == {}


def test_export_writes_the_quotas_and_imports_back_unchanged(tmp_path: Path) -> None:
    course = _imported(course_package_import(source=_package(tmp_path / "p", EXAM)))

    exported = course_package_export(course=course, destination=tmp_path / "out")

    data = yaml.safe_load((exported / "course.yaml").read_text(encoding="utf-8"))
    assert data["exam"]["quotas"] == QUOTAS
    assert course_package_import(source=exported).changed is False


def test_an_exam_without_quotas_exports_none(tmp_path: Path) -> None:
    without = {key: value for key, value in EXAM.items() if key != "quotas"}
    course = _imported(course_package_import(source=_package(tmp_path / "p", without)))

    exported = course_package_export(course=course, destination=tmp_path / "out")

    data = yaml.safe_load((exported / "course.yaml").read_text(encoding="utf-8"))
    assert "quotas" not in data["exam"]


@pytest.mark.parametrize(
    ("quotas", "field", "message"),
    [
        (
            [{"category": "Integritas", "count": 4}],
            "exam.quotas[0].category",
            "No question of the package is in the category “Integritas”. "
            "Categories of the package: “Etika”, “Pelayanan”.",
        ),
        (
            [{"category": "Etika", "count": 2}, {"category": "Etika", "count": 2}],
            "exam.quotas[1].category",
            "The category “Etika” is listed twice: also at exam.quotas[0].",
        ),
        (
            [{"category": "Etika", "count": 1}, {"category": "Pelayanan", "count": 3}],
            "exam.quotas[1].count",
            "3 questions are drawn from “Pelayanan”, but it has only 2 questions.",
        ),
        (
            [{"category": "Etika", "count": 1}, {"category": "Pelayanan", "count": 2}],
            "exam.quotas",
            "The quotas add up to 3 questions, but question_count is 4. Make them equal.",
        ),
        ([{"category": "Etika", "count": 0}], "exam.quotas[0].count", "Must be 1 or more."),
        ([{"category": "Etika"}], "exam.quotas[0].count", "This field is required."),
        ([{"category": "", "count": 4}], "exam.quotas[0].category", "Must not be empty."),
        (
            [{"category": "Etika", "count": 4, "bobot": 1}],
            "exam.quotas[0].bobot",
            "Unknown field.",
        ),
    ],
)
def test_bad_quotas_are_refused_with_the_field_named(
    tmp_path: Path, quotas: list[dict[str, Any]], field: str, message: str
) -> None:
    errors = _errors(tmp_path, {**EXAM, "quotas": quotas})

    assert field in errors, errors
    assert errors[field].startswith(message), errors[field]
