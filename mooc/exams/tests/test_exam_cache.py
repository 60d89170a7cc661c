"""The exam pages' per-process cache of exams and courses (selectors.attempts.exam_get):
read once per EXAM_CACHE_SECONDS, forgotten at once when this process saves an exam or a
course, and never shared as one object between two requests."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from pytest_django import Settings

from mooc.catalog.tests.factories import CourseFactory
from mooc.exams.models import Exam
from mooc.exams.selectors.attempts import exam_get
from mooc.exams.tests.factories import ExamFactory

pytestmark = pytest.mark.django_db

NumQueries = Callable[[int], AbstractContextManager[object]]


@pytest.fixture
def exam(settings: Settings) -> Exam:
    settings.EXAM_CACHE_SECONDS = 10
    return ExamFactory.create(course=CourseFactory.create(title="Etika ASN"))


def _clock(monkeypatch: pytest.MonkeyPatch, now: float) -> None:
    monkeypatch.setattr("mooc.exams.selectors.attempts.time.monotonic", lambda: now)


def test_an_exam_is_read_once_per_period(
    exam: Exam, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: NumQueries
) -> None:
    _clock(monkeypatch, 1000.0)
    with django_assert_num_queries(1):
        first = exam_get(exam_id=exam.pk)
        second = exam_get(exam_id=exam.pk)
    assert first is not None and second is not None
    assert first is not second  # each request its own copy
    assert first.course.title == second.course.title == "Etika ASN"
    # A change another process made (no signal here) shows once the period is over.
    Exam.objects.filter(pk=exam.pk).update(title="Ujian Akhir Baru")
    _clock(monkeypatch, 1009.0)
    assert exam_get(exam_id=exam.pk).title != "Ujian Akhir Baru"  # type: ignore[union-attr]
    _clock(monkeypatch, 1011.0)
    assert exam_get(exam_id=exam.pk).title == "Ujian Akhir Baru"  # type: ignore[union-attr]


def test_saving_an_exam_or_its_course_here_is_seen_at_once(exam: Exam) -> None:
    exam_get(exam_id=exam.pk)
    exam.time_limit_minutes = 45
    exam.save()
    assert exam_get(exam_id=exam.pk).time_limit_minutes == 45  # type: ignore[union-attr]
    course = exam.course
    course.title = "Etika ASN (revisi)"
    course.save()
    assert exam_get(exam_id=exam.pk).course.title == "Etika ASN (revisi)"  # type: ignore[union-attr]


def test_a_copy_changed_by_one_request_does_not_change_the_next(exam: Exam) -> None:
    mine = exam_get(exam_id=exam.pk)
    assert mine is not None
    mine.title = "only mine"
    assert exam_get(exam_id=exam.pk).title == exam.title  # type: ignore[union-attr]


def test_a_missing_exam_is_none_and_zero_seconds_reads_every_time(
    exam: Exam, settings: Settings, django_assert_num_queries: NumQueries
) -> None:
    assert exam_get(exam_id=exam.pk + 1000) is None
    settings.EXAM_CACHE_SECONDS = 0
    with django_assert_num_queries(2):
        exam_get(exam_id=exam.pk)
        exam_get(exam_id=exam.pk)
