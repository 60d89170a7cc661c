"""`pretest:` and `evaluation:` in course packages: imported, exported, imported again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mooc.catalog.models import Course
from mooc.evaluation.models import CourseEvaluation, EvaluationItem, EvaluationTemplate
from mooc.exams.models import Exam
from mooc.packages.exporter import course_package_export
from mooc.packages.importer import course_package_import
from mooc.packages.tests.helpers import empty_the_catalogue, manifest, write_package

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

BANK = "\n\n".join(
    f"::pre-{i:02}:: Soal nomor {i}?{{\n=benar\n~salah\n}}" for i in range(1, 5)
).encode()

PRETEST: dict[str, Any] = {
    "title": "Pre-test Etika",
    "question_count": 3,
    "time_limit_minutes": 15,
    "shuffle_questions": True,
    "shuffle_options": False,
}

EVALUATION: dict[str, Any] = {
    "anonymous": False,
    "required_for_certificate": True,
    "template": {
        "key": "evaluasi-etika",
        "name": "Evaluasi Pelatihan Etika",
        "description": "Isilah dengan jujur.",
        "items": [
            {
                "group": "Materi",
                "text": "Materi jelas",
                "kind": "scale",
                "low_label": "Sangat kurang",
                "high_label": "Sangat baik",
                "required": True,
                "per_instructor": False,
            },
            {
                "group": "Instruktur",
                "text": "Penguasaan materi",
                "kind": "scale",
                "required": True,
                "per_instructor": True,
            },
            {
                "group": "Saran",
                "text": "Saran Anda",
                "kind": "text",
                "required": False,
                "per_instructor": False,
            },
        ],
    },
}


def _package(root: Path, **extra: Any) -> Path:
    data = manifest()
    data["questions"] = [{"file": "soal/bank.gift"}]
    data.update(extra)
    return write_package(root, data, {"soal/bank.gift": BANK})


def test_pretest_and_evaluation_round_trip(tmp_path: Path) -> None:
    report = course_package_import(
        source=_package(tmp_path / "p", pretest=PRETEST, evaluation=EVALUATION)
    )
    assert report.errors == [], report.errors
    course = Course.objects.get(slug=report.course_slug)
    pretest = Exam.objects.get(course=course, is_pretest=True)
    assert not pretest.is_final and pretest.max_attempts == 1
    assert (pretest.title, pretest.question_count, pretest.shuffle_options) == (
        "Pre-test Etika",
        3,
        False,
    )
    evaluation = CourseEvaluation.objects.select_related("template").get(course=course)
    assert not evaluation.anonymous and evaluation.required_for_certificate
    assert evaluation.template.key == "evaluasi-etika"
    assert list(evaluation.template.items.values_list("text", "per_instructor")) == [
        ("Materi jelas", False),
        ("Penguasaan materi", True),
        ("Saran Anda", False),
    ]
    assert report.created["pretest"] == 1 and report.created["evaluation"] == 1

    exported = course_package_export(course=course, destination=tmp_path / "out")
    data = yaml.safe_load((exported / "course.yaml").read_text(encoding="utf-8"))
    assert data["pretest"] == PRETEST
    assert data["evaluation"] == EVALUATION
    assert course_package_import(source=exported).changed is False

    empty_the_catalogue()
    CourseEvaluation.objects.all().delete()
    Exam.objects.all().delete()
    EvaluationItem.objects.filter(template__key="evaluasi-etika").delete()
    EvaluationTemplate.objects.filter(key="evaluasi-etika").delete()
    again = course_package_import(source=exported)
    assert again.errors == []
    course = Course.objects.get(slug=again.course_slug)
    assert Exam.objects.filter(course=course, is_pretest=True).count() == 1
    assert CourseEvaluation.objects.get(course=course).template.items.count() == 3


def test_an_existing_template_is_used_as_it_is(tmp_path: Path) -> None:
    existing = EvaluationTemplate.objects.create(key="evaluasi-etika", name="Milik situs")
    report = course_package_import(source=_package(tmp_path / "p", evaluation=EVALUATION))
    assert report.errors == []
    assert CourseEvaluation.objects.get().template == existing
    assert existing.items.count() == 0  # not rewritten by a package


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"pretest": {**PRETEST, "question_count": 9}}, "pretest.question_count"),
        ({"pretest": {**PRETEST, "passing_grade": 50}}, "pretest.passing_grade"),
        (
            {"evaluation": {**EVALUATION, "template": {**EVALUATION["template"], "items": []}}},
            "evaluation.template.items",
        ),
        (
            {
                "evaluation": {
                    **EVALUATION,
                    "template": {
                        **EVALUATION["template"],
                        "items": [{"group": "G", "text": "T", "kind": "stars"}],
                    },
                }
            },
            "evaluation.template.items[0].kind",
        ),
    ],
)
def test_bad_pretest_or_evaluation_is_refused_whole(
    tmp_path: Path, extra: dict[str, Any], field: str
) -> None:
    report = course_package_import(source=_package(tmp_path / "p", **extra))
    assert not report.committed
    assert any(error.field == field for error in report.errors), report.errors
    assert not Course.objects.exists()
    assert not CourseEvaluation.objects.exists()
