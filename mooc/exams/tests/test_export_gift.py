"""Exporting a bank to GIFT: importing the file into an empty bank gives back the same
bank (the round trip), from the service and from `manage.py export_questions`."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mooc.catalog.tests.factories import CourseFactory
from mooc.exams.formats import ParsedQuestion
from mooc.exams.models import Question
from mooc.exams.services.banks import (
    question_bank_export_gift,
    question_bank_to_parsed,
    question_file_parse,
    questions_import,
)
from mooc.exams.tests.helpers import bank, multiple, option, result, single, truefalse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _rich_bank() -> list[ParsedQuestion]:
    """Every construct a bank holds: categories, feedback, HTML, GIFT's special
    characters, negative and fractional weights, untitled questions."""
    return [
        single(
            "<p>Menurut UU 20/2023, ASN {pegawai} = PNS + PPPK: benar?</p>",
            title="uu-asn",
            category="Orientasi/Regulasi",
            options=[
                option("<b>PNS</b> dan PPPK", 100, "Tepat: lihat pasal 6."),
                option("Hanya PNS", 0, "Kurang ~ lengkap."),
                option("PNS, PPPK & honorer #2", -25, "Salah."),
            ],
            general_feedback="<p>ASN = PNS + PPPK.</p>",
        ),
        ParsedQuestion(
            line=1,
            qtype="multiple",
            text="<p>Pilih nilai <em>BerAKHLAK</em>:</p>",
            options=(
                option("Berorientasi pelayanan", "33.33333"),
                option("Akuntabel", "33.33333"),
                option("Kompeten", "33.33334"),
                option("Malas", -100, "Bukan nilai."),
            ),
            title="berakhlak",
            category="Orientasi/Nilai Dasar",
        ),
        multiple("<p>Nilai dasar ASN?</p>", title="nilai-dasar"),
        truefalse("<p>ASN wajib netral dalam pemilu.</p>"),
        ParsedQuestion(
            line=1,
            qtype="truefalse",
            text="<p>Gratifikasi boleh diterima.</p>",
            options=(option("True", 0, "Keliru."), option("False", 100, "Betul.")),
            general_feedback="<p>Lihat UU Tipikor.</p>",
        ),
        single("<p>Satu baris\nlalu baris kedua.</p>", category="Lain-lain"),
    ]


def test_export_then_import_into_an_empty_bank_gives_the_same_bank() -> None:
    source, target = (
        CourseFactory.create(title="Asal", is_published=False),
        CourseFactory.create(title="Tujuan", is_published=False),
    )
    questions_import(course=source, result=result(*_rich_bank()))
    assert Question.objects.filter(course=source).count() == 6

    gift = question_bank_export_gift(course=source)
    parsed = question_file_parse(data=gift.encode(), filename="bank.gift")
    report = questions_import(course=target, result=parsed)

    assert parsed.issues == []
    assert (report.created, report.skipped, report.failed) == (6, 0, 0)
    assert bank(target) == bank(source)


def test_export_then_import_into_the_same_bank_changes_nothing() -> None:
    course = CourseFactory.create(is_published=False)
    questions_import(course=course, result=result(*_rich_bank()))

    gift = question_bank_export_gift(course=course)
    report = questions_import(
        course=course, result=question_file_parse(data=gift.encode(), filename="bank.gift")
    )

    assert (report.created, report.updated, report.unchanged) == (0, 0, 6)
    assert set(Question.objects.values_list("version", flat=True)) == {1}


def test_the_bank_as_parser_output_carries_ids_and_plain_weights() -> None:
    course = CourseFactory.create(is_published=False)
    questions_import(course=course, result=result(*_rich_bank()[:2]))

    parsed = question_bank_to_parsed(course=course)

    assert [q.title for q in parsed] == ["berakhlak", "uu-asn"]  # by category
    assert [o.weight for o in parsed[0].options] == [
        Decimal("33.33333"),
        Decimal("33.33333"),
        Decimal("33.33334"),
        Decimal(-100),
    ]
    assert str(parsed[1].options[0].weight) == "100"


def test_export_questions_writes_the_gift_file(tmp_path: Path) -> None:
    course = CourseFactory.create(slug="etika", is_published=False)
    questions_import(course=course, result=result(*_rich_bank()))
    out = StringIO()
    path = tmp_path / "etika.gift"

    call_command("export_questions", "etika", str(path), stdout=out)

    assert out.getvalue().strip() == f"Exported 6 questions of etika to {path}."
    assert path.read_text(encoding="utf-8") == question_bank_export_gift(course=course)


def test_export_questions_refuses_an_unknown_course(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"There is no course with the slug tidak-ada\."):
        call_command("export_questions", "tidak-ada", str(tmp_path / "x.gift"))


def test_the_command_round_trip_gives_the_same_bank(tmp_path: Path) -> None:
    source, target = (
        CourseFactory.create(slug="asal", is_published=False),
        CourseFactory.create(slug="tujuan", is_published=False),
    )
    questions_import(course=source, result=result(*_rich_bank()))
    path = tmp_path / "asal.gift"

    call_command("export_questions", "asal", str(path), stdout=StringIO())
    call_command("import_questions", "tujuan", str(path), stdout=StringIO())

    assert bank(target) == bank(source)
