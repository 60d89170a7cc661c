"""`exam:` in course packages: the course's final exam, created and updated by the
package, checked by the schema and against the bank, and exported again."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from mooc.catalog.models import Course
from mooc.exams.models import Attempt, Exam, ReviewMode
from mooc.packages import demo
from mooc.packages.exporter import course_package_export
from mooc.packages.importer import course_package_import
from mooc.packages.report import PackageReport
from mooc.packages.schema import COURSE_PACKAGE_SCHEMA
from mooc.packages.tests.helpers import empty_the_catalogue, manifest, write_package

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DEMO_SLUGS = [folder.name for folder in demo.demo_packages()]


def _bank(size: int) -> bytes:
    return "\n\n".join(
        f"::tnd-{i:02}:: Soal nomor {i}?{{\n=benar\n~salah\n}}" for i in range(1, size + 1)
    ).encode()


EXAM: dict[str, Any] = {
    "title": "Ujian Akhir",
    "question_count": 3,
    "time_limit_minutes": 30,
    "passing_grade": 72.5,
    "max_attempts": 3,
    "wait_minutes_between_attempts": 10,
    "shuffle_questions": True,
    "shuffle_options": False,
    "require_materials_completed": True,
    "allow_retake_after_pass": False,
    "review_mode": "correct_after_pass",
    "available_from": "2025-07-01T08:00:00+07:00",
    "available_until": "2030-06-30T23:59:00+07:00",
}


def _package(root: Path, exam: dict[str, Any] | None = None, bank: int = 4) -> Path:
    data = manifest()
    data["questions"] = [{"file": "soal/bank.gift"}]
    if exam is not None:
        data["exam"] = exam
    return write_package(root, data, {"soal/bank.gift": _bank(bank)})


def _imported(report: PackageReport) -> Course:
    assert report.errors == [], report.errors
    assert report.committed
    return Course.objects.get(slug=report.course_slug)


def test_exam_creates_the_courses_final_exam(tmp_path: Path) -> None:
    report = course_package_import(source=_package(tmp_path / "p", EXAM))

    course = _imported(report)
    exam = Exam.objects.get(course=course)
    assert exam.is_final and exam.title == "Ujian Akhir"
    assert exam.question_count == 3 and exam.time_limit_minutes == 30
    assert exam.passing_grade == Decimal("72.50")
    assert exam.max_attempts == 3 and exam.wait_minutes_between_attempts == 10
    assert exam.shuffle_questions and not exam.shuffle_options
    assert exam.require_materials_completed and not exam.allow_retake_after_pass
    assert exam.review_mode == ReviewMode.CORRECT_AFTER_PASS
    assert exam.available_from is not None and exam.available_from.isoformat().startswith(
        "2025-07-01T01:00:00"
    )
    assert report.created["exam"] == 1
    assert report.notes == []


def test_minimal_exam_takes_the_defaults(tmp_path: Path) -> None:
    exam_data = {
        "title": "Quiz",
        "question_count": 2,
        "time_limit_minutes": 20,
        "passing_grade": 70,
    }

    course = _imported(course_package_import(source=_package(tmp_path / "p", exam_data)))

    exam = Exam.objects.get(course=course, is_final=True)
    assert exam.max_attempts is None  # unlimited
    assert exam.wait_minutes_between_attempts == 0
    assert exam.shuffle_questions and exam.shuffle_options
    assert not exam.require_materials_completed and not exam.allow_retake_after_pass
    assert exam.review_mode == ReviewMode.SCORE
    assert exam.available_from is None and exam.available_until is None


def test_reimporting_updates_the_same_exam_and_keeps_its_attempts(tmp_path: Path) -> None:
    course = _imported(course_package_import(source=_package(tmp_path / "a", EXAM)))
    exam = Exam.objects.get(course=course)

    again = course_package_import(source=_package(tmp_path / "b", EXAM))
    assert again.unchanged["exam"] == 1 and not again.changed

    changed = {**EXAM, "passing_grade": 80, "max_attempts": None, "review_mode": "always"}
    report = course_package_import(source=_package(tmp_path / "c", changed))

    assert report.updated["exam"] == 1
    exam.refresh_from_db()
    assert Exam.objects.filter(course=course).count() == 1
    assert exam.passing_grade == Decimal(80) and exam.max_attempts is None
    assert exam.review_mode == ReviewMode.ALWAYS


def test_a_package_without_exam_keeps_the_courses_exam(tmp_path: Path) -> None:
    course = _imported(course_package_import(source=_package(tmp_path / "a", EXAM)))

    report = course_package_import(source=_package(tmp_path / "b"))

    assert report.errors == []
    assert Exam.objects.filter(course=course, is_final=True).count() == 1
    assert Attempt.objects.count() == 0


def test_export_writes_the_exam_and_imports_back_unchanged(tmp_path: Path) -> None:
    course = _imported(course_package_import(source=_package(tmp_path / "p", EXAM)))

    exported = course_package_export(course=course, destination=tmp_path / "out")

    data = yaml.safe_load((exported / "course.yaml").read_text(encoding="utf-8"))
    assert data["exam"] == {
        **EXAM,
        "available_from": data["exam"]["available_from"],
        "available_until": data["exam"]["available_until"],
    }
    assert data["exam"]["available_from"].endswith("+07:00")
    assert course_package_import(source=exported).changed is False

    empty_the_catalogue()
    Exam.objects.all().delete()
    course = _imported(course_package_import(source=exported))
    exam = Exam.objects.get(course=course, is_final=True)
    assert exam.passing_grade == Decimal("72.50") and exam.review_mode == "correct_after_pass"


def _errors(tmp_path: Path, exam: dict[str, Any], bank: int = 4) -> dict[str, str]:
    report = course_package_import(source=_package(tmp_path / "p", exam, bank=bank))
    assert not report.committed
    assert not Course.objects.exists() and not Exam.objects.exists()
    return {error.field: error.message for error in report.errors}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"passing_grade": 101}, "exam.passing_grade", "Must be 100 or less."),
        ({"passing_grade": -1}, "exam.passing_grade", "Must be 0 or more."),
        ({"passing_grade": "tujuh puluh"}, "exam.passing_grade", "Must be a number."),
        ({"passing_grade": 70.125}, "exam.passing_grade", "Use at most two decimals"),
        ({"question_count": 0}, "exam.question_count", "Must be 1 or more."),
        ({"question_count": 2.5}, "exam.question_count", "Must be a whole number."),
        ({"time_limit_minutes": 0}, "exam.time_limit_minutes", "Must be 1 or more."),
        ({"max_attempts": 0}, "exam.max_attempts", "Must be 1 or more."),
        ({"shuffle_options": "ya"}, "exam.shuffle_options", "Must be true or false."),
        ({"review_mode": "kadang"}, "exam.review_mode", "Unknown value “kadang”."),
        ({"durasi": 60}, "exam.durasi", "Unknown field."),
        (
            {"available_until": "2025-06-30T08:00:00+07:00"},
            "exam.available_until",
            "Must be later than exam.available_from",
        ),
        ({"available_from": "2025-07-01"}, "exam.available_from", "Give the time and its UTC"),
    ],
)
def test_schema_and_rule_errors_name_the_field(
    tmp_path: Path, change: dict[str, Any], field: str, message: str
) -> None:
    errors = _errors(tmp_path, {**EXAM, **change})

    assert field in errors, errors
    assert errors[field].startswith(message), errors[field]


def test_missing_required_exam_fields_are_named(tmp_path: Path) -> None:
    errors = _errors(tmp_path, {"title": "Ujian Akhir"})

    for name in ("question_count", "time_limit_minutes", "passing_grade"):
        assert errors[f"exam.{name}"] == "This field is required."


def test_more_questions_than_the_bank_has_is_an_error(tmp_path: Path) -> None:
    errors = _errors(tmp_path, {**EXAM, "question_count": 5}, bank=4)

    assert errors["exam.question_count"] == (
        "5 questions are drawn, but the package's question bank has only 4 questions."
    )


def test_the_schema_alone_describes_exam(tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    data = copy.deepcopy(manifest())
    data["exam"] = {**EXAM, "passing_grade": 150}
    problems = list(Draft202012Validator(COURSE_PACKAGE_SCHEMA).iter_errors(data))
    assert [list(p.absolute_path) for p in problems] == [["exam", "passing_grade"]]
    assert "exam" in COURSE_PACKAGE_SCHEMA["properties"]


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_each_demo_package_creates_its_final_exam(slug: str) -> None:
    report = course_package_import(source=demo.DEMO_COURSES_DIR / slug)

    course = _imported(report)
    exam = Exam.objects.get(course=course, is_final=True)
    assert exam.title == "Ujian Akhir"
    assert exam.question_count == 20 and exam.time_limit_minutes == 30
    assert exam.passing_grade == Decimal(70) and exam.max_attempts == 3
    assert exam.shuffle_questions and exam.shuffle_options
    assert exam.review_mode == ReviewMode.CORRECT_AFTER_PASS
    assert not exam.require_materials_completed
    assert course.questions.filter(is_active=True).count() >= 20
