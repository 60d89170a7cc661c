"""Re-importing a course updates it in place by ids and keeps what learners' progress points to."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError
from pytest_django import DjangoCaptureOnCommitCallbacks

from mooc.accounts.models import User
from mooc.catalog.models import Course, Instructor
from mooc.core.models import AuditLog
from mooc.learning.models import Material, MaterialProgress, Section
from mooc.packages import importer as importer_module
from mooc.packages.importer import course_package_import
from mooc.packages.tests.helpers import (
    full_manifest,
    manifest,
    row_counts,
    stored_files,
    write_package,
)

pytestmark = pytest.mark.django_db


def _import(root: Path, data: dict[str, Any], files: dict[str, bytes] | None = None) -> Any:
    report = course_package_import(source=write_package(root, data, files))
    assert report.errors == []
    return report


def test_reimport_after_progress_keeps_the_progress_and_retires_removed_materials(
    tmp_path: Path, learner: User
) -> None:
    data = manifest()
    _import(tmp_path / "v1", data)
    course = Course.objects.get(slug="tata-naskah-dinas")
    done = {key: Material.objects.get(key=key) for key in ("pengantar", "surat-undangan")}
    for material in done.values():
        MaterialProgress.objects.create(user=learner, material=material, course=course)

    changed = copy.deepcopy(data)
    changed["sections"][0]["materials"][0]["title"] = "Pengantar Naskah Dinas"
    del changed["sections"][1]  # the section "praktik" and its material are gone
    report = _import(tmp_path / "v2", changed)

    assert report.retired == {"section": 1, "material": 1}
    assert MaterialProgress.objects.filter(user=learner).count() == 2
    pengantar = Material.objects.get(pk=done["pengantar"].pk)
    assert pengantar.title == "Pengantar Naskah Dinas"
    assert pengantar.progress.filter(user=learner).exists()
    removed = Material.objects.get(pk=done["surat-undangan"].pk)
    assert removed.is_retired and removed.progress.filter(user=learner).exists()
    assert Section.objects.get(key="praktik").is_retired
    assert list(Material.objects.current().values_list("key", flat=True)) == [
        "pengantar",
        "jenis-naskah",
    ]


def test_an_id_that_comes_back_is_restored_with_its_progress(tmp_path: Path, learner: User) -> None:
    data = manifest()
    _import(tmp_path / "v1", data)
    material = Material.objects.get(key="surat-undangan")
    MaterialProgress.objects.create(user=learner, material=material, course=material.section.course)
    smaller = copy.deepcopy(data)
    del smaller["sections"][1]
    _import(tmp_path / "v2", smaller)

    report = _import(tmp_path / "v3", data)

    material.refresh_from_db()
    assert not material.is_retired and not material.section.is_retired
    assert report.updated == {"section": 1, "material": 1}
    assert report.created.total() == 0
    assert material.progress.count() == 1


def test_a_material_moved_to_another_section_is_the_same_row(tmp_path: Path, learner: User) -> None:
    data = manifest()
    _import(tmp_path / "v1", data)
    material = Material.objects.get(key="jenis-naskah")
    MaterialProgress.objects.create(user=learner, material=material, course=material.section.course)

    moved = copy.deepcopy(data)
    moved["sections"][1]["materials"].insert(0, moved["sections"][0]["materials"].pop(1))
    report = _import(tmp_path / "v2", moved)

    material.refresh_from_db()
    assert material.section.key == "praktik" and material.order == 1
    assert Material.objects.get(key="surat-undangan").order == 2
    assert material.progress.count() == 1
    assert report.created.total() == 0 and report.retired.total() == 0


def test_order_follows_the_manifest(tmp_path: Path) -> None:
    data = manifest()
    _import(tmp_path / "v1", data)
    swapped = copy.deepcopy(data)
    swapped["sections"].reverse()
    swapped["sections"][1]["materials"].reverse()

    _import(tmp_path / "v2", swapped)

    assert list(Section.objects.order_by("order").values_list("key", flat=True)) == [
        "praktik",
        "dasar",
    ]
    assert list(
        Material.objects.filter(section__key="dasar")
        .order_by("order")
        .values_list("key", flat=True)
    ) == ["jenis-naskah", "pengantar"]


def test_updated_counts_only_rows_whose_values_changed(tmp_path: Path) -> None:
    data, files = full_manifest()
    _import(tmp_path / "v1", data, files)
    changed = copy.deepcopy(data)
    changed["sections"][1]["materials"][0]["body"] = "Contoh yang diperbarui."
    changed["course"]["jp"] = 14

    report = _import(tmp_path / "v2", changed, files)

    assert report.updated == {"course": 1, "material": 1}
    assert report.unchanged["material"] == 2
    assert report.unchanged["attachment"] == 2
    assert Course.objects.get().jp == 14


def test_a_changed_video_replaces_the_stored_file_and_removed_attachments_are_deleted(
    tmp_path: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    data, files = full_manifest()
    _import(tmp_path / "v1", data, files)
    old_video = Material.objects.get(key="pengantar").video_file
    old_path = Path(old_video.path)
    changed = copy.deepcopy(data)
    changed["sections"][0]["materials"][1]["attachments"].pop()
    new_files = {**files, "video/pengantar.webm": files["video/pengantar.webm"] + b"\x00"}

    with django_capture_on_commit_callbacks(execute=True):
        report = _import(tmp_path / "v2", changed, new_files)

    assert report.deleted == {"attachment": 1}
    assert report.updated["material"] == 1
    material = Material.objects.get(key="pengantar")
    assert material.video_file.size == len(new_files["video/pengantar.webm"])
    assert not old_path.exists()
    assert material.section.course.sections.count() == 2


def test_removing_the_cover_from_the_package_removes_it_from_the_course(tmp_path: Path) -> None:
    data, files = full_manifest()
    _import(tmp_path / "v1", data, files)
    changed = copy.deepcopy(data)
    del changed["course"]["cover_image"]

    report = _import(tmp_path / "v2", changed, files)

    assert report.updated["course"] == 1
    assert not Course.objects.get().cover_image


def test_instructors_are_matched_by_id_across_courses(tmp_path: Path) -> None:
    _import(tmp_path / "a", manifest())
    other = manifest(slug="kearsipan", title="Kearsipan Dasar")
    other["course"]["instructors"][0]["bio"] = "Arsiparis senior."

    report = _import(tmp_path / "b", other)

    assert Instructor.objects.count() == 1
    assert Instructor.objects.get().bio == "Arsiparis senior."
    assert report.updated["instructor"] == 1


def test_a_successful_import_is_written_to_the_audit_log(tmp_path: Path, learner: User) -> None:
    report = course_package_import(source=write_package(tmp_path / "p", manifest()), actor=learner)

    entry = AuditLog.objects.get(action="course.package_imported")
    assert entry.actor == learner
    assert entry.target_id == str(report.course_id)
    assert entry.after is not None
    assert entry.after["created"]["material"] == 3


def test_a_database_failure_rolls_back_and_removes_the_files_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, files = full_manifest()
    package = write_package(tmp_path / "p", data, files)
    counts, stored = row_counts(), stored_files()

    def fail(*args: object, **kwargs: object) -> None:
        assert stored_files() > stored  # the cover and the photo are stored by now
        raise IntegrityError("simulated failure after the files were written")

    monkeypatch.setattr(importer_module._Importer, "_retire", fail)
    report = course_package_import(source=package)

    assert not report.committed
    assert "simulated failure" in report.errors[0].message
    assert report.created.total() == 0
    assert row_counts() == counts
    assert stored_files() == stored
