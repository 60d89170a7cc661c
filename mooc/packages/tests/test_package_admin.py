"""The admin pages: upload a package zip → a report; download a course as a zip."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from mooc.accounts.roles import ROLE_CONTENT_ADMIN
from mooc.catalog.models import Course
from mooc.packages.importer import course_package_import
from mooc.packages.tests.helpers import (
    IMPORT_URL,
    manifest,
    row_counts,
    staff_user,
    write_package,
    zip_folder,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _zip_upload(
    tmp_path: Path, data: dict[str, Any], name: str = "naskah.zip"
) -> SimpleUploadedFile:
    path = zip_folder(write_package(tmp_path / "p", data), tmp_path / name)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="application/zip")


def test_the_upload_page_shows_the_form(content_admin_client: Client) -> None:
    response = content_admin_client.get(reverse(IMPORT_URL))

    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
    assert b"csrfmiddlewaretoken" in response.content


def test_uploading_a_package_imports_it_and_shows_the_counts(
    content_admin_client: Client, tmp_path: Path
) -> None:
    response = content_admin_client.post(
        reverse(IMPORT_URL), {"package": _zip_upload(tmp_path, manifest())}
    )

    assert response.status_code == 200
    course = Course.objects.get(slug="tata-naskah-dinas")
    page = response.content.decode()
    assert 'id="package-counts"' in page
    created = re.findall(r'<th scope="row">([^<]+)</th>\s*<td>(\d+)</td>', page)
    assert created == [
        ("Course", "1"),
        ("Category", "1"),
        ("Instructors", "1"),
        ("Sections", "2"),
        ("Materials", "3"),
    ]
    assert reverse("admin:catalog_course_change", args=[course.pk]) in page


def test_a_bad_package_lists_each_problem_with_file_and_field_and_imports_nothing(
    content_admin_client: Client, tmp_path: Path
) -> None:
    data = manifest(level="ahli")
    data["sections"][0]["materials"][0]["body_file"] = "../../etc/passwd"
    del data["sections"][0]["materials"][0]["body"]
    counts = row_counts()

    response = content_admin_client.post(
        reverse(IMPORT_URL), {"package": _zip_upload(tmp_path, data)}
    )

    page = response.content.decode()
    assert 'id="package-errors"' in page
    assert "<code>course.level</code>" in page
    assert "Unknown value “ahli”" in page
    assert "<code>sections[0].materials[0].body_file</code>" in page
    assert "leaves the package folder" in page
    assert "<code>course.yaml:" in page
    assert row_counts() == counts


def test_only_zip_files_are_accepted(content_admin_client: Client) -> None:
    upload = SimpleUploadedFile("course.yaml", b"format_version: 1\n")

    response = content_admin_client.post(reverse(IMPORT_URL), {"package": upload})

    assert "Upload the package as a .zip file." in response.content.decode()
    assert not Course.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(
    content_admin_client: Client, tmp_path: Path, settings: Any
) -> None:
    settings.COURSE_PACKAGE_MAX_UPLOAD_BYTES = 100

    response = content_admin_client.post(
        reverse(IMPORT_URL), {"package": _zip_upload(tmp_path, manifest())}
    )

    assert "The file is too large: at most 100" in response.content.decode()
    assert not Course.objects.exists()


def test_the_upload_needs_the_csrf_token(tmp_path: Path) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user("konten", group=ROLE_CONTENT_ADMIN))

    response = client.post(reverse(IMPORT_URL), {"package": _zip_upload(tmp_path, manifest())})

    assert response.status_code == 403
    assert not Course.objects.exists()


def test_staff_without_the_course_permissions_cannot_import(client: Client) -> None:
    client.force_login(staff_user("pelihat", perms=("catalog.view_course",)))

    assert client.get(reverse(IMPORT_URL)).status_code == 403


def test_an_instructor_cannot_import_even_with_the_model_permissions(client: Client) -> None:
    # A package may overwrite any course, publish it and choose its instructors.
    client.force_login(
        staff_user("instruktur", perms=("catalog.add_course", "catalog.change_course"))
    )

    assert client.get(reverse(IMPORT_URL)).status_code == 403


def test_the_export_downloads_a_zip_that_imports_back(
    content_admin_client: Client, tmp_path: Path
) -> None:
    course_package_import(source=write_package(tmp_path / "p", manifest()))
    course = Course.objects.get()

    response = content_admin_client.get(
        reverse("admin:catalog_course_export_package", args=[course.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="tata-naskah-dinas.zip"' in response["Content-Disposition"]
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert yaml.safe_load(archive.read("course.yaml"))["course"]["slug"] == "tata-naskah-dinas"
    again = course_package_import(source=SimpleUploadedFile("x.zip", data))
    assert again.committed and not again.changed


def test_the_export_needs_the_view_permission(client: Client, tmp_path: Path) -> None:
    course_package_import(source=write_package(tmp_path / "p", manifest()))
    client.force_login(staff_user("tamu"))

    response = client.get(
        reverse("admin:catalog_course_export_package", args=[Course.objects.get().pk])
    )

    # The course is outside what this account may see: not found, before any permission check.
    assert response.status_code == 404
