"""Export → import gives back the same course; importing an export changes nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from mooc.catalog.models import Category, Course, Instructor
from mooc.core.errors import ServiceError
from mooc.exams.models import Question
from mooc.exams.services.banks import question_content
from mooc.learning.models import Material, Section
from mooc.packages import demo
from mooc.packages.exporter import course_package_export
from mooc.packages.importer import course_package_import
from mooc.packages.tests.helpers import (
    course_tree,
    empty_the_catalogue,
    full_manifest,
    manifest,
    write_package,
)

pytestmark = pytest.mark.django_db


def _import(source: Path) -> None:
    report = course_package_import(source=source)
    assert report.errors == []
    assert report.committed


@pytest.mark.parametrize("suffix", [".zip", ""])
def test_an_exported_course_imports_into_an_empty_database_as_the_same_course(
    tmp_path: Path, suffix: str
) -> None:
    data, files = full_manifest()
    _import(write_package(tmp_path / "source", data, files))
    before = course_tree("tata-naskah-dinas")
    exported = course_package_export(
        course=Course.objects.get(slug="tata-naskah-dinas"), destination=tmp_path / f"out{suffix}"
    )

    empty_the_catalogue()
    _import(exported)

    assert course_tree("tata-naskah-dinas") == before
    assert before["course"]["starts_at"] is not None
    assert before["sections"][0]["materials"][0]["video_file"] is not None
    assert len(before["sections"][0]["materials"][1]["attachments"]) == 2


def _question_bank(slug: str) -> list[dict[str, Any]]:
    questions = Question.objects.filter(course__slug=slug).select_related("category")
    return sorted(
        (question_content(row).as_dict() for row in questions.prefetch_related("options")),
        key=lambda item: item["key"],
    )


@pytest.mark.parametrize("slug", [folder.name for folder in demo.demo_packages()])
def test_each_demo_course_survives_the_round_trip(tmp_path: Path, slug: str) -> None:
    _import(demo.DEMO_COURSES_DIR / slug)
    before = course_tree(slug)
    bank = _question_bank(slug)
    exported = course_package_export(
        course=Course.objects.get(slug=slug), destination=tmp_path / f"{slug}.zip"
    )

    empty_the_catalogue()
    assert not Question.objects.exists()
    _import(exported)

    assert course_tree(slug) == before
    # The question bank too: GIFT and Aiken questions, categories, weights, feedback.
    assert len(bank) >= 20
    assert _question_bank(slug) == bank


def test_importing_the_export_of_an_imported_package_changes_nothing(tmp_path: Path) -> None:
    data, files = full_manifest()
    _import(write_package(tmp_path / "source", data, files))
    course = Course.objects.get(slug="tata-naskah-dinas")
    exported = course_package_export(course=course, destination=tmp_path / "export.zip")

    report = course_package_import(source=exported)

    assert report.committed and not report.changed
    assert report.created.total() == report.updated.total() == 0
    assert report.unchanged["material"] == 3
    # And the original package, once more, also changes nothing.
    assert not course_package_import(source=tmp_path / "source").changed


def test_the_export_holds_a_manifest_and_every_file_it_names(tmp_path: Path) -> None:
    data, files = full_manifest()
    _import(write_package(tmp_path / "source", data, files))
    exported = course_package_export(
        course=Course.objects.get(slug="tata-naskah-dinas"), destination=tmp_path / "export.zip"
    )

    with zipfile.ZipFile(exported) as archive:
        names = set(archive.namelist())
        manifest = yaml.safe_load(archive.read("course.yaml"))
    assert manifest["format_version"] == 1
    assert manifest["course"]["starts_at"] == "2025-01-06T08:00:00+07:00"
    named = [manifest["course"]["cover_image"], manifest["course"]["description_file"]]
    for section in manifest["sections"]:
        for material in section["materials"]:
            named += [material.get("body_file"), material.get("video_file")]
            named += [attachment["file"] for attachment in material.get("attachments", [])]
    assert {name for name in named if name} <= names


def test_retired_materials_are_left_out_of_the_export(tmp_path: Path) -> None:
    data, files = full_manifest()
    _import(write_package(tmp_path / "source", data, files))
    Material.objects.filter(key="surat-undangan").update(is_retired=True)

    exported = course_package_export(
        course=Course.objects.get(slug="tata-naskah-dinas"), destination=tmp_path / "out"
    )

    manifest = yaml.safe_load((exported / "course.yaml").read_text())
    assert manifest["sections"][1]["materials"] == []


def test_export_gives_ids_to_rows_made_by_hand_so_reimport_updates_them(tmp_path: Path) -> None:
    category = Category.objects.create(slug="umum", name="Umum")
    course = Course.objects.create(
        slug="dibuat-manual", title="Dibuat Manual", summary="Ringkas.", category=category, jp=2
    )
    course.instructors.add(Instructor.objects.create(name="Citra Dewi"))
    section = Section.objects.create(course=course, title="Bagian Pertama", order=1)
    Material.objects.create(section=section, title="Materi Satu", body="<p>Isi</p>", order=1)
    Material.objects.create(section=section, title="Materi Satu", body="<p>Lagi</p>", order=2)

    exported = course_package_export(course=course, destination=tmp_path / "out.zip")
    report = course_package_import(source=exported)

    assert list(Material.objects.values_list("key", flat=True).order_by("order")) == [
        "materi-satu",
        "materi-satu-2",
    ]
    assert Section.objects.get().key == "bagian-pertama"
    assert Instructor.objects.get().key == "citra-dewi"
    assert report.committed and not report.changed
    assert Material.objects.count() == 2


def test_export_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    data, files = full_manifest()
    _import(write_package(tmp_path / "source", data, files))

    with pytest.raises(ServiceError, match="tidak kosong"):
        course_package_export(
            course=Course.objects.get(slug="tata-naskah-dinas"), destination=tmp_path / "source"
        )


def test_the_instructors_keep_the_manifests_order_through_import_export_and_reimport(
    tmp_path: Path,
) -> None:
    """The lead instructor comes first, whatever the alphabet says (issue 17, item 11)."""
    data = manifest()
    data["course"]["instructors"] = [
        {"id": "zulkifli", "name": "Zulkifli Hasan"},
        {"id": "ani-lestari", "name": "Ani Lestari"},
        {"id": "maya-sari", "name": "Maya Sari"},
    ]
    _import(write_package(tmp_path / "source", data))
    course = Course.objects.get(slug="tata-naskah-dinas")
    assert [row.key for row in course.ordered_instructors()] == [
        "zulkifli",
        "ani-lestari",
        "maya-sari",
    ]

    exported = course_package_export(course=course, destination=tmp_path / "out")
    written = yaml.safe_load((exported / "course.yaml").read_text())
    assert [item["id"] for item in written["course"]["instructors"]] == [
        "zulkifli",
        "ani-lestari",
        "maya-sari",
    ]

    # Re-importing the export changes nothing; a new order in the manifest is applied.
    again = course_package_import(source=exported)
    assert again.errors == [] and not again.changed
    assert [row.key for row in course.ordered_instructors()] == [
        "zulkifli",
        "ani-lestari",
        "maya-sari",
    ]
    data["course"]["instructors"].reverse()
    reordered = course_package_import(source=write_package(tmp_path / "reordered", data))
    assert reordered.errors == [] and reordered.changed
    assert [row.key for row in course.ordered_instructors()] == [
        "maya-sari",
        "ani-lestari",
        "zulkifli",
    ]
