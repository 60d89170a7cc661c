"""`manage.py import_questions COURSE_SLUG FILE`: SPEC's contract. The counts imported /
skipped / failed, then one line per skipped or failed question naming it, with its
line and the reason; a non-zero exit status when nothing could be imported."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from mooc.catalog.tests.factories import CourseFactory
from mooc.exams.management.commands.import_questions import Command
from mooc.exams.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    # run_from_argv closes every connection when done, as manage.py should; in a test
    # that would close the connection holding the test's transaction (PostgreSQL).
    monkeypatch.setattr(connections, "close_all", lambda: None)


MIXED = """// Bank soal etika: good, unsupported and malformed questions
::kode-etik::Siapa yang menetapkan kode etik ASN?{
=Instansi pemerintah masing-masing
~Partai politik
~Organisasi profesi
}

::esai-integritas::Jelaskan arti integritas bagi ASN.{}

Jelaskan mengapa gratifikasi dilarang bagi pegawai negeri sipil di kementerian.{}

::rusak::Nilai dasar ASN adalah{
=Akuntabel
~Malas

::netral::ASN wajib netral dalam pemilu.{TRUE}
"""

ONLY_BAD = """::esai::Jelaskan arti integritas.{}

::numerik::Berapa JP minimal per tahun?{#20}
"""


def _import(tmp_path: Path, text: str, *, slug: str = "etika", name: str = "soal.gift") -> int:
    """Run the command as manage.py does; its exit status."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    try:
        Command().run_from_argv(["manage.py", "import_questions", slug, str(path)])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def test_a_good_file_prints_the_report_and_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = CourseFactory.create(slug="etika", is_published=False)

    status = _import(tmp_path, MIXED)

    out, err = capsys.readouterr()
    assert status == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[:3] == [
        "Imported: 2 (new 2, updated 0, unchanged 0), skipped: 2, failed: 1",
        'Line 8: skipped "esai-integritas": Unsupported question type: essay.',
        'Line 10: skipped "Jelaskan mengapa gratifikasi dilarang bagi pegawai negeri sipil…": '
        "Unsupported question type: essay.",
    ]
    # The parser words the reason; the command gives the line, the name and the reason.
    assert lines[3].startswith('Line 12: failed "rusak": Unclosed brace')
    assert len(lines) == 4
    assert set(Question.objects.filter(course=course).values_list("key", flat=True)) == {
        "kode-etik",
        "netral",
    }


def test_importing_again_reports_the_questions_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    CourseFactory.create(slug="etika", is_published=False)
    _import(tmp_path, MIXED)
    capsys.readouterr()

    status = _import(tmp_path, MIXED)

    out, _err = capsys.readouterr()
    assert status == 0
    assert out.splitlines()[0] == (
        "Imported: 2 (new 0, updated 0, unchanged 2), skipped: 2, failed: 1"
    )
    assert Question.objects.count() == 2


def test_a_file_with_only_unsupported_questions_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    CourseFactory.create(slug="etika", is_published=False)

    status = _import(tmp_path, ONLY_BAD)

    out, err = capsys.readouterr()
    assert status != 0
    assert out.splitlines() == [
        "Imported: 0 (new 0, updated 0, unchanged 0), skipped: 2, failed: 0",
        'Line 1: skipped "esai": Unsupported question type: essay.',
        'Line 3: skipped "numerik": Unsupported question type: numerical.',
    ]
    assert "Nothing could be imported from soal.gift." in err


def test_an_unknown_course_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = _import(tmp_path, MIXED, slug="tidak-ada")

    assert status != 0
    assert "There is no course with the slug tidak-ada." in capsys.readouterr().err


def test_a_missing_file_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    CourseFactory.create(slug="etika", is_published=False)

    with pytest.raises(SystemExit) as caught:
        Command().run_from_argv(
            ["manage.py", "import_questions", "etika", str(tmp_path / "hilang.gift")]
        )

    assert caught.value.code != 0
    assert "Cannot read" in capsys.readouterr().err


def test_a_windows_1252_file_exits_non_zero_saying_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    CourseFactory.create(slug="etika", is_published=False)
    path = tmp_path / "soal.gift"
    path.write_bytes("::kopi::Café di kantor?{T}\n".encode("cp1252"))

    with pytest.raises(SystemExit) as caught:
        Command().run_from_argv(["manage.py", "import_questions", "etika", str(path)])

    assert caught.value.code != 0
    err = capsys.readouterr().err
    assert "soal.gift: The file must be saved as UTF-8" in err
    assert not Question.objects.exists()


def test_an_empty_file_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    CourseFactory.create(slug="etika", is_published=False)

    status = _import(tmp_path, "")

    assert status != 0
    assert "soal.gift: The file is empty." in capsys.readouterr().err


def test_an_aiken_file_is_imported_too(tmp_path: Path) -> None:
    course = CourseFactory.create(slug="etika", is_published=False)
    out = StringIO()
    path = tmp_path / "soal.txt"
    path.write_text(
        "Berapa JP minimal per tahun?\nA. 10 JP\nB. 20 JP\nANSWER: B\n", encoding="utf-8"
    )

    call_command("import_questions", "etika", str(path), stdout=out)

    assert out.getvalue().startswith("Imported: 1 (new 1,")
    assert Question.objects.get(course=course).options.get(weight=100).text == "20 JP"
