"""Question files in course packages: `questions:` brings GIFT and Aiken files into
the course's bank; a failed question fails the package, a skipped one is a note."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from mooc.catalog.models import Course
from mooc.exams.models import Option, Question, QuestionCategory, QuestionType
from mooc.exams.services.banks import question_content, question_file_parse
from mooc.packages import demo
from mooc.packages.exporter import course_package_export
from mooc.packages.importer import course_package_import
from mooc.packages.report import PackageReport
from mooc.packages.tests.helpers import (
    empty_the_catalogue,
    manifest,
    row_counts,
    stored_files,
    write_package,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DEMO_SLUGS = [folder.name for folder in demo.demo_packages()]

GOOD = """\
// Bank soal uji: tata naskah dinas.
$CATEGORY: Dasar-Dasar

::tnd-01:: Naskah dinas yang berisi pemberitahuan kepada pihak lain disebut ...{
=surat dinas#Benar.
~nota dinas
~memo pribadi
~catatan rapat
}

::tnd-02:: Manakah yang termasuk bagian kepala surat dinas? Pilih dua.{
~%50%Nama instansi
~%50%Alamat instansi
~%-50%Tanda tangan
~%-50%Tembusan
####Tanda tangan dan tembusan ada di bagian kaki.
}

::tnd-03:: Surat dinas boleh ditandatangani oleh siapa saja.{F}
"""

NO_CORRECT_ANSWER = """
::tnd-04:: Kop surat memuat ...{
~tanggal surat
~nomor surat
}
"""

ESSAY = """
::tnd-esai:: Jelaskan perbedaan surat dinas dan nota dinas.{}
"""


def _package(root: Path, files: dict[str, str], questions: list[dict[str, Any]]) -> Path:
    data = manifest()
    data["questions"] = questions
    return write_package(root, data, {name: text.encode() for name, text in files.items()})


def _imported(report: PackageReport) -> Course:
    assert report.errors == [], [str(error) for error in report.errors]
    assert report.committed
    return Course.objects.get(slug=report.course_slug)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _bank(slug: str) -> list[dict[str, Any]]:
    questions = Question.objects.filter(course__slug=slug).select_related("category")
    return sorted(
        (question_content(question).as_dict() for question in questions.order_by("key")),
        key=lambda item: item["key"],
    )


def _nothing_of_the_bank() -> tuple[int, int, int]:
    return Question.objects.count(), QuestionCategory.objects.count(), Option.objects.count()


# --- the demo banks ------------------------------------------------------------------------


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_each_demo_package_imports_a_bank_of_at_least_twenty_questions(slug: str) -> None:
    report = course_package_import(source=demo.DEMO_COURSES_DIR / slug)

    course = _imported(report)
    questions = Question.objects.filter(course=course)
    assert questions.count() >= 20
    assert report.created["question"] == questions.count()
    assert not [note for note in report.notes if "skipped" in note]
    # A category per section, and every supported type.
    assert QuestionCategory.objects.filter(course=course).count() == course.sections.count()
    assert set(questions.values_list("qtype", flat=True)) == set(QuestionType.values)
    for question in questions:
        assert question.text and question.options.count() >= 2


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_each_demo_gift_bank_is_titled_categorised_and_varied(slug: str) -> None:
    data = (demo.DEMO_COURSES_DIR / slug / "soal" / "bank.gift").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data

    result = question_file_parse(data=data, filename="bank.gift")

    assert result.issues == []
    questions = result.questions
    assert len(questions) >= 20
    titles = [question.title for question in questions]
    prefix = titles[0].rsplit("-", 1)[0]
    assert titles == [f"{prefix}-{number:02d}" for number in range(1, len(titles) + 1)]
    assert all(question.category for question in questions)
    kinds = [question.qtype for question in questions]
    assert 2 <= kinds.count("multiple") <= 3
    assert kinds.count("truefalse") >= 3
    assert kinds.count("single") > len(kinds) / 2
    for question in questions:
        if question.qtype == "single":
            assert len(question.options) == 4
            assert [option.weight for option in question.options].count(Decimal(100)) == 1
    assert any(option.feedback for question in questions for option in question.options)
    assert sum(1 for question in questions if question.general_feedback) >= 3


def test_one_demo_package_shows_the_aiken_format_too() -> None:
    path = demo.DEMO_COURSES_DIR / "etika-pelayanan-publik" / "soal" / "tambahan.aiken.txt"
    result = question_file_parse(data=path.read_bytes(), filename=path.name, fmt="aiken")
    assert result.issues == [] and len(result.questions) == 5

    course = _imported(course_package_import(source=path.parent.parent))

    texts = set(Question.objects.filter(course=course).values_list("text", flat=True))
    assert all(question.text in texts for question in result.questions)


# --- importing ----------------------------------------------------------------------------


def test_a_package_imports_its_question_files_into_the_bank(tmp_path: Path) -> None:
    package = _package(tmp_path / "p", {"soal/bank.gift": GOOD}, [{"file": "soal/bank.gift"}])

    report = course_package_import(source=package)

    course = _imported(report)
    assert report.created["question"] == 3
    assert ("question", 3, 0, 0, 0, 0) in report.rows()
    single = Question.objects.get(course=course, key="tnd-01")
    assert single.qtype == QuestionType.SINGLE and single.category is not None
    assert single.category.name == "Dasar-Dasar"
    assert [option.weight for option in single.options.all()] == [100, 0, 0, 0]
    multiple = Question.objects.get(course=course, key="tnd-02")
    assert [option.weight for option in multiple.options.all()] == [50, 50, -50, -50]
    assert "bagian kaki" in multiple.general_feedback
    assert Question.objects.get(course=course, key="tnd-03").qtype == QuestionType.TRUE_FALSE


@pytest.mark.parametrize(
    ("broken", "title"),
    [
        (NO_CORRECT_ANSWER, "tnd-04"),
        ("\n::tnd-05:: Kop surat memuat ...{\n=nama\n~nomor\n", "tnd-05"),
    ],
    ids=["no-correct-answer", "unclosed-brace"],
)
def test_a_malformed_question_fails_the_package_naming_file_line_and_question(
    tmp_path: Path, broken: str, title: str
) -> None:
    text = GOOD + broken
    package = _package(tmp_path / "p", {"soal/bank.gift": text}, [{"file": "soal/bank.gift"}])
    before, files_before = row_counts(), stored_files()

    report = course_package_import(source=package)

    assert not report.committed
    line = _line_of(text, f"::{title}::")
    [error] = report.errors
    assert (error.file, error.field, error.line) == ("soal/bank.gift", "questions[0]", line)
    assert error.message.startswith(f"Line {line}: “{title}”: ")
    assert len(error.message) > len(f"Line {line}: “{title}”: ") + 5  # the reason
    assert str(error).startswith(f"soal/bank.gift:{line} questions[0]: Line {line}: “{title}”")
    # Nothing at all: no course, no questions.
    assert row_counts() == before and stored_files() == files_before
    assert _nothing_of_the_bank() == (0, 0, 0)


def test_weights_that_do_not_add_up_fail_the_package(tmp_path: Path) -> None:
    text = GOOD + "\n::tnd-06:: Pilih dua.{\n~%50%satu\n~%40%dua\n~%-50%tiga\n}\n"
    package = _package(tmp_path / "p", {"soal/bank.gift": text}, [{"file": "soal/bank.gift"}])

    report = course_package_import(source=package)

    [error] = report.errors
    assert error.line == _line_of(text, "::tnd-06::")
    assert "“tnd-06”" in error.message and "100" in error.message
    assert not Course.objects.exists() and _nothing_of_the_bank() == (0, 0, 0)


def test_every_failed_question_of_every_file_is_listed_with_the_other_problems(
    tmp_path: Path,
) -> None:
    data = manifest(level="ahli")
    data["questions"] = [{"file": "a.gift"}, {"file": "b.gift"}]
    bad_a = GOOD + NO_CORRECT_ANSWER
    bad_b = "::b-01:: Pertanyaan tanpa jawaban benar{\n~x\n~y\n}\n"
    package = write_package(
        tmp_path / "p", data, {"a.gift": bad_a.encode(), "b.gift": bad_b.encode()}
    )

    report = course_package_import(source=package)

    located = {(error.file, error.field) for error in report.errors}
    assert located == {
        ("course.yaml", "course.level"),
        ("a.gift", "questions[0]"),
        ("b.gift", "questions[1]"),
    }
    assert not Course.objects.exists()


def test_a_question_of_an_unsupported_type_is_skipped_with_a_note(tmp_path: Path) -> None:
    text = GOOD + ESSAY
    package = _package(tmp_path / "p", {"soal/bank.gift": text}, [{"file": "soal/bank.gift"}])

    report = course_package_import(source=package)

    course = _imported(report)
    assert report.created["question"] == 3
    assert not Question.objects.filter(course=course, key="tnd-esai").exists()
    [note] = report.notes
    line = _line_of(text, "::tnd-esai::")
    assert note.startswith(f"soal/bank.gift:{line}: “tnd-esai” was skipped: ")


def test_reimporting_the_package_updates_questions_by_id_without_duplicates(
    tmp_path: Path,
) -> None:
    package = _package(tmp_path / "p", {"soal/bank.gift": GOOD}, [{"file": "soal/bank.gift"}])
    course = _imported(course_package_import(source=package))

    again = course_package_import(source=package)

    assert again.committed and not again.changed
    assert again.unchanged["question"] == 3 and again.created["question"] == 0
    assert Question.objects.filter(course=course).count() == 3
    assert Option.objects.filter(question__course=course).count() == 10

    (package / "soal/bank.gift").write_text(GOOD.replace("siapa saja", "semua pegawai"))
    changed = course_package_import(source=package)

    assert changed.updated["question"] == 1 and changed.unchanged["question"] == 2
    assert Question.objects.filter(course=course).count() == 3
    assert Question.objects.get(course=course, key="tnd-03").version == 2


def test_reimporting_a_demo_package_changes_nothing() -> None:
    folder = demo.DEMO_COURSES_DIR / "etika-pelayanan-publik"
    first = course_package_import(source=folder)
    count = Question.objects.count()

    again = course_package_import(source=folder)

    assert again.committed and not again.changed
    assert again.unchanged["question"] == first.created["question"] == count


def test_a_failed_question_on_reimport_leaves_the_course_as_it_was(tmp_path: Path) -> None:
    package = _package(tmp_path / "p", {"soal/bank.gift": GOOD}, [{"file": "soal/bank.gift"}])
    course = _imported(course_package_import(source=package))
    bank = _bank(course.slug)
    data = manifest(title="Tata Naskah Dinas Baru")
    data["questions"] = [{"file": "soal/bank.gift"}]
    broken = GOOD.replace("siapa saja", "semua pegawai") + NO_CORRECT_ANSWER
    write_package(package, data, {"soal/bank.gift": broken.encode()})

    report = course_package_import(source=package)

    assert report.errors and not report.committed
    course.refresh_from_db()
    assert course.title == "Tata Naskah Dinas" and _bank(course.slug) == bank


def test_the_same_id_twice_in_one_file_with_different_content_rolls_the_package_back(
    tmp_path: Path,
) -> None:
    # The bank itself refuses this one, during the import: the transaction is undone.
    text = GOOD + "\n::tnd-01:: Pertanyaan lain dengan id yang sama.{T}\n"
    package = _package(tmp_path / "p", {"soal/bank.gift": text}, [{"file": "soal/bank.gift"}])
    before, files_before = row_counts(), stored_files()

    report = course_package_import(source=package)

    assert not report.committed
    [error] = report.errors
    assert (error.file, error.field) == ("soal/bank.gift", "questions[0]")
    assert error.line == text.count("\n", 0, text.rindex("::tnd-01::")) + 1
    assert "“tnd-01”" in error.message
    assert report.created.total() == report.updated.total() == 0
    assert row_counts() == before and stored_files() == files_before
    assert _nothing_of_the_bank() == (0, 0, 0)


def test_the_same_id_in_two_files_is_an_error(tmp_path: Path) -> None:
    other = "::tnd-01:: Pertanyaan lain.{T}\n"
    package = _package(
        tmp_path / "p",
        {"a.gift": GOOD, "b.gift": other},
        [{"file": "a.gift"}, {"file": "b.gift"}],
    )

    report = course_package_import(source=package)

    [error] = report.errors
    assert (error.file, error.field, error.line) == ("b.gift", "questions[1]", 1)
    assert "a.gift, line 4" in error.message
    assert not Course.objects.exists()


def test_gift_and_aiken_files_import_together_and_format_may_be_given(tmp_path: Path) -> None:
    aiken = (
        "Surat dinas ditandatangani oleh ...\nA. pejabat yang berwenang\nB. staf magang\n"
        "C. tamu\nANSWER: A\n"
    )
    more = (
        "Nota dinas ditujukan kepada ...\nA) pihak di luar instansi\n"
        "B) pihak di dalam instansi\nANSWER: B\n"
    )
    package = _package(
        tmp_path / "p",
        {"soal/bank.gift": GOOD, "soal/aiken.txt": aiken, "soal/lagi.txt": more},
        [
            {"file": "soal/bank.gift"},
            {"file": "soal/aiken.txt", "format": "aiken"},
            {"file": "soal/lagi.txt"},  # recognised by its content
        ],
    )

    report = course_package_import(source=package)

    _imported(report)
    assert report.created["question"] == 5


@pytest.mark.parametrize(
    ("entry", "files", "field", "message"),
    [
        ({"file": "soal/tidak-ada.gift"}, {}, "questions[0].file", "No such file in the package."),
        ({"file": "../bank.gift"}, {}, "questions[0].file", "The path leaves the package folder"),
        (
            {"file": "soal/bank.gift", "fmt": "gift"},
            {"soal/bank.gift": GOOD},
            "questions[0].fmt",
            "Unknown field.",
        ),
        (
            {"file": "soal/bank.gift", "format": "xml"},
            {"soal/bank.gift": GOOD},
            "questions[0].format",
            "Unknown value “xml”",
        ),
        ({"format": "gift"}, {}, "questions[0].file", "This field is required."),
    ],
    ids=["missing", "outside", "unknown-field", "unknown-format", "no-file"],
)
def test_question_file_entries_are_checked_like_other_files(
    tmp_path: Path, entry: dict[str, Any], files: dict[str, str], field: str, message: str
) -> None:
    report = course_package_import(source=_package(tmp_path / "p", files, [entry]))

    assert not report.committed
    assert [error.field for error in report.errors] == [field]
    assert message in report.errors[0].message


def test_questions_must_be_a_list(tmp_path: Path) -> None:
    data = manifest()
    data["questions"] = "soal/bank.gift"

    report = course_package_import(source=write_package(tmp_path / "p", data))

    assert [(error.field, error.message) for error in report.errors] == [
        ("questions", "Must be a list.")
    ]


def test_a_question_file_is_read_with_the_limits_of_text_files(
    tmp_path: Path, settings: Any
) -> None:
    settings.COURSE_PACKAGE_MAX_TEXT_BYTES = 5000  # the manifest is smaller
    text = GOOD + "// " + "panjang " * 1000 + "\n"
    package = _package(tmp_path / "p", {"soal/bank.gift": text}, [{"file": "soal/bank.gift"}])

    report = course_package_import(source=package)

    [error] = report.errors
    assert (error.file, error.field) == ("soal/bank.gift", "questions[0].file")
    assert "too large" in error.message


def test_a_question_file_in_a_legacy_encoding_is_refused(tmp_path: Path) -> None:
    data = manifest()
    data["questions"] = [{"file": "soal/bank.gift"}]
    text = GOOD.replace("Pilih dua", "Pilih “dua”").encode("cp1252")
    package = write_package(tmp_path / "p", data, {"soal/bank.gift": text})

    report = course_package_import(source=package)

    [error] = report.errors
    assert (error.file, error.field) == ("soal/bank.gift", "questions[0].file")
    assert not Course.objects.exists()


def test_an_empty_question_file_is_refused(tmp_path: Path) -> None:
    package = _package(tmp_path / "p", {"soal/bank.gift": "\n"}, [{"file": "soal/bank.gift"}])

    report = course_package_import(source=package)

    assert [(error.file, error.field) for error in report.errors] == [
        ("soal/bank.gift", "questions[0].file")
    ]


def test_a_file_listed_twice_is_an_error(tmp_path: Path) -> None:
    package = _package(
        tmp_path / "p",
        {"soal/bank.gift": GOOD},
        [{"file": "soal/bank.gift"}, {"file": "soal\\bank.gift"}],
    )

    report = course_package_import(source=package)

    [error] = report.errors
    assert error.field == "questions[1].file" and "questions[0]" in error.message


# --- exporting ----------------------------------------------------------------------------


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_export_writes_the_bank_as_gift_and_it_imports_back_to_the_same_bank(
    tmp_path: Path, slug: str
) -> None:
    _imported(course_package_import(source=demo.DEMO_COURSES_DIR / slug))
    bank = _bank(slug)
    exported = course_package_export(
        course=Course.objects.get(slug=slug), destination=tmp_path / "out"
    )

    written = yaml.safe_load((exported / "course.yaml").read_text(encoding="utf-8"))
    assert written["questions"] == [{"file": "soal/bank.gift"}]
    gift = (exported / "soal/bank.gift").read_text(encoding="utf-8")
    assert len(re.findall(r"^::", gift, re.MULTILINE)) == len(bank)

    # Into the same database: nothing changes.
    again = course_package_import(source=exported)
    assert again.committed and not again.changed
    assert again.unchanged["question"] == len(bank)

    # Into an empty one: the same bank.
    empty_the_catalogue()
    assert _nothing_of_the_bank() == (0, 0, 0)
    report = course_package_import(source=exported)
    _imported(report)
    assert report.created["question"] == len(bank)
    assert _bank(slug) == bank


def test_a_course_without_questions_exports_no_question_file(tmp_path: Path) -> None:
    _imported(course_package_import(source=write_package(tmp_path / "p", manifest())))

    exported = course_package_export(
        course=Course.objects.get(slug="tata-naskah-dinas"), destination=tmp_path / "out"
    )

    assert "questions" not in yaml.safe_load((exported / "course.yaml").read_text())
    assert not (exported / "soal").exists()
