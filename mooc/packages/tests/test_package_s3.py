"""Course packages with private files on object storage (issue 18, item 5): the import
writes the videos and attachments into the bucket (and takes them out again when it
fails), the export reads them back from there."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from django.db import IntegrityError

from mooc.catalog.models import Course
from mooc.core.s3 import PrivateS3Storage
from mooc.learning.models import Attachment, Material
from mooc.packages import importer as importer_module
from mooc.packages.exporter import course_package_export
from mooc.packages.importer import course_package_import
from mooc.packages.tests.helpers import (
    course_tree,
    empty_the_catalogue,
    full_manifest,
    write_package,
)

pytestmark = pytest.mark.django_db


def objects(storage: PrivateS3Storage) -> set[str]:
    listing = storage.connection.meta.client.list_objects_v2(Bucket=storage.bucket_name)
    return {entry["Key"] for entry in listing.get("Contents", [])}


def test_a_package_round_trip_through_the_bucket(
    s3_private: PrivateS3Storage, tmp_path: Path
) -> None:
    data, files = full_manifest()
    report = course_package_import(source=write_package(tmp_path / "source", data, files))
    assert report.errors == [] and report.committed
    video = Material.objects.exclude(video_file="").get()
    names = [video.video_file.name, *Attachment.objects.values_list("file", flat=True)]
    assert {f"private/{name}" for name in names} == objects(s3_private)
    before = course_tree("tata-naskah-dinas")

    exported = course_package_export(
        course=Course.objects.get(slug="tata-naskah-dinas"), destination=tmp_path / "out.zip"
    )
    with zipfile.ZipFile(exported) as archive:
        stored = {info.filename: archive.read(info) for info in archive.infolist()}
    for original in ("video/pengantar.webm", "lampiran/contoh.pdf", "lampiran/templat.pdf"):
        assert files[original] in stored.values()

    empty_the_catalogue()
    again = course_package_import(source=exported)
    assert again.errors == [] and again.committed
    assert course_tree("tata-naskah-dinas") == before


def test_a_failed_import_takes_its_files_out_of_the_bucket_again(
    s3_private: PrivateS3Storage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, files = full_manifest()
    written: list[set[str]] = []

    def fail(*args: object, **kwargs: object) -> None:
        written.append(objects(s3_private))
        raise IntegrityError("simulated failure after the files were written")

    monkeypatch.setattr(importer_module._Importer, "_questions", fail)  # after the materials
    report = course_package_import(source=write_package(tmp_path / "source", data, files))
    assert not report.committed
    assert written and len(written[0]) == 3  # the video and both attachments were in
    assert objects(s3_private) == set()
