"""`questions_import`: good questions in, bad ones left out and reported by line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mooc.accounts.tests.factories import SuperuserFactory
from mooc.catalog.tests.factories import CourseFactory
from mooc.core.models import AuditLog
from mooc.exams.formats import ParsedQuestion
from mooc.exams.models import Option, Question, QuestionCategory
from mooc.exams.services.banks import ImportIssue, questions_import
from mooc.exams.tests.helpers import failed, multiple, option, result, single, skipped, truefalse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_good_questions_are_imported_and_bad_ones_reported_by_line() -> None:
    course = CourseFactory.create(is_published=False)
    parsed = result(
        single(line=1, title="ibukota"),
        multiple(line=8, title="nilai-dasar"),
        truefalse(line=15),
        issues=[skipped(20, "Esai integritas"), failed(25, "Soal rusak", "Unclosed brace.")],
    )

    report = questions_import(course=course, result=parsed)

    assert (report.imported, report.created, report.skipped, report.failed) == (3, 3, 1, 1)
    assert report.issues == [
        ImportIssue(20, "skipped", "Esai integritas", "Essay questions are not supported."),
        ImportIssue(25, "failed", "Soal rusak", "Unclosed brace."),
    ]
    assert Question.objects.filter(course=course).count() == 3
    ibukota = Question.objects.get(course=course, key="ibukota")
    assert ibukota.version == 1
    assert [(o.text, o.weight, o.feedback, o.order) for o in ibukota.options.all()] == [
        ("Jakarta", Decimal(100), "Benar.", 1),
        ("Bandung", Decimal(0), "", 2),
        ("Surabaya", Decimal(0), "", 3),
    ]


def test_questions_breaking_the_bank_rules_are_failed_with_the_reason() -> None:
    course = CourseFactory.create(is_published=False)
    two_correct = single(line=3, title="dua-benar", options=[option("A", 100), option("B", 100)])
    lopsided = ParsedQuestion(
        line=9,
        qtype="multiple",
        text="<p>Pilih dua</p>",
        options=(option("A", 50), option("B", 30), option("C", -50)),
        title="timpang",
    )

    report = questions_import(course=course, result=result(two_correct, lopsided, single(line=20)))

    assert report.imported == 1
    assert [(issue.line, issue.kind, issue.name) for issue in report.issues] == [
        (3, "failed", "dua-benar"),
        (9, "failed", "timpang"),
    ]
    assert "exactly one correct option" in report.issues[0].reason
    assert "add up to 80" in report.issues[1].reason
    assert not Question.objects.filter(key__in=["dua-benar", "timpang"]).exists()


def test_a_question_without_text_fails() -> None:
    course = CourseFactory.create(is_published=False)
    empty_text = single("<p>   </p>", line=4)

    report = questions_import(course=course, result=result(empty_text))

    assert report.issues == [ImportIssue(4, "failed", "", "The question has no text.")]


def test_categories_are_created_by_path_and_reused() -> None:
    course = CourseFactory.create(is_published=False)
    parsed = result(
        single("<p>Satu</p>", category="Orientasi/Bab 1"),
        single("<p>Dua</p>", category="Orientasi/Bab 1"),
        single("<p>Tiga</p>", category="Orientasi/Bab 2"),
    )

    questions_import(course=course, result=parsed)

    assert list(QuestionCategory.objects.filter(course=course).values_list("name", flat=True)) == [
        "Orientasi/Bab 1",
        "Orientasi/Bab 2",
    ]
    assert Question.objects.filter(category__name="Orientasi/Bab 1").count() == 2


def test_all_or_nothing_imports_nothing_when_a_question_failed() -> None:
    course = CourseFactory.create(is_published=False)
    parsed = result(single(line=1), issues=[failed(7, "Soal rusak")])

    report = questions_import(course=course, result=parsed, all_or_nothing=True)

    assert not report.committed
    assert (report.imported, report.failed) == (0, 1)
    assert not Question.objects.filter(course=course).exists()
    assert "A question failed, so nothing was imported." in report.lines()


def test_all_or_nothing_still_imports_when_questions_were_only_skipped() -> None:
    course = CourseFactory.create(is_published=False)
    parsed = result(single(line=1), issues=[skipped(7, "Esai")])

    report = questions_import(course=course, result=parsed, all_or_nothing=True)

    assert report.committed
    assert (report.imported, report.skipped) == (1, 1)
    assert Question.objects.filter(course=course).count() == 1


def test_all_or_nothing_counts_a_question_breaking_the_rules_as_failed() -> None:
    course = CourseFactory.create(is_published=False)
    bad = single(line=5, title="buruk", options=[option("A", 50), option("B", 0)])

    report = questions_import(course=course, result=result(single(), bad), all_or_nothing=True)

    assert not report.committed
    assert not Question.objects.exists()


def test_two_questions_with_one_title_keep_the_first_and_fail_the_second() -> None:
    course = CourseFactory.create(is_published=False)
    parsed = result(single("<p>A</p>", line=1, title="t"), single("<p>B</p>", line=6, title="t"))

    report = questions_import(course=course, result=parsed)

    assert report.imported == 1
    assert report.issues == [
        ImportIssue(
            6, "failed", "t", "The question on line 1 has the same id; give each a unique title."
        )
    ]
    assert Question.objects.get(course=course, key="t").text == "<p>A</p>"


def test_a_question_repeated_in_the_file_is_stored_once_and_counted_unchanged() -> None:
    course = CourseFactory.create(is_published=False)
    parsed = result(
        single(line=1), single(line=9), single(line=15, title="t"), single(line=20, title="t")
    )

    report = questions_import(course=course, result=parsed)

    assert (report.imported, report.created, report.unchanged) == (4, 2, 2)
    assert report.issues == []
    assert Question.objects.filter(course=course).count() == 2


def test_a_repeat_counts_for_nothing_when_an_all_or_nothing_import_fails() -> None:
    course = CourseFactory.create(is_published=False)
    parsed = result(single(line=1), single(line=9), issues=[failed(20, "x")])

    report = questions_import(course=course, result=parsed, all_or_nothing=True)

    assert (report.imported, report.committed) == (0, False)


def test_question_text_is_sanitized() -> None:
    course = CourseFactory.create(is_published=False)
    parsed = result(single('<p onclick="x()">Soal<script>alert(1)</script></p>', title="s"))

    questions_import(course=course, result=parsed)

    assert Question.objects.get(key="s").text == "<p>Soal</p>"


def test_an_import_that_changes_the_bank_is_audited() -> None:
    course = CourseFactory.create(is_published=False)
    admin = SuperuserFactory.create()

    questions_import(course=course, result=result(single(), issues=[skipped(3, "x")]), actor=admin)

    entry = AuditLog.objects.get(action="questions.imported")
    assert entry.actor == admin
    assert entry.after == {"created": 1, "updated": 0, "unchanged": 0, "skipped": 1, "failed": 0}


def test_nothing_to_import_writes_nothing() -> None:
    course = CourseFactory.create(is_published=False)

    report = questions_import(course=course, result=result(issues=[skipped(1, "Esai")]))

    assert report.imported == 0
    assert not Question.objects.exists()
    assert not Option.objects.exists()
    assert not AuditLog.objects.filter(action="questions.imported").exists()


def test_report_lines_give_counts_then_each_issue() -> None:
    course = CourseFactory.create(is_published=False)
    parsed = result(
        single(line=1),
        issues=[skipped(12, "Esai integritas"), failed(30, "Q7", "No correct answer.")],
    )

    report = questions_import(course=course, result=parsed)

    assert report.lines() == [
        "Imported: 1 (new 1, updated 0, unchanged 0), skipped: 1, failed: 1",
        'Line 12: skipped "Esai integritas": Essay questions are not supported.',
        'Line 30: failed "Q7": No correct answer.',
    ]
