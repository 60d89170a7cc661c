"""The admin's "Import questions" page (upload → report) and "Export to GIFT"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from mooc.accounts.roles import ROLE_INSTRUCTOR
from mooc.accounts.tests.factories import InstructorFactory
from mooc.accounts.tests.helpers import logged_in
from mooc.catalog.tests.factories import CourseFactory
from mooc.exams.models import Question
from mooc.exams.services.banks import question_bank_export_gift
from mooc.exams.tests.factories import QUESTION_PERMISSIONS, make_question

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:exams_question_import")
EXPORT_URL = reverse("admin:exams_question_export")

MIXED = """$CATEGORY: Etika/Kode Etik

::kode-etik::Siapa yang menetapkan kode etik ASN?{
=Instansi pemerintah masing-masing
~Partai politik
}

::esai::Jelaskan arti integritas bagi ASN.{}

::tanpa-jawaban::Manakah nilai dasar ASN?{
~Malas
~Lalai
}

::netral::ASN wajib netral dalam pemilu.{T}

::pasangan::Pasangkan istilah berikut.{
=Akuntabel -> bertanggung jawab
=Kompeten -> cakap
=Harmonis -> rukun
}
"""


def _upload(text: str | bytes, name: str = "etika.gift") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/plain")


def _post(client: Client, course: Any, upload: SimpleUploadedFile, fmt: str = "") -> Any:
    return client.post(IMPORT_URL, {"course": course.pk, "file": upload, "format": fmt})


def _rows(page: str) -> list[list[str]]:
    table = page.split('id="import-issues"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"import-\w+\">(.*?)</tr>", table, re.S)
    return [[cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]


def test_the_report_lists_each_question_left_out_with_its_line(admin_client: Client) -> None:
    course = CourseFactory.create(title="Etika Pelayanan Publik", is_published=False)

    response = _post(admin_client, course, _upload(MIXED))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Report for etika.gift into Etika Pelayanan Publik" in page
    report = response.context["report"]
    assert (report.imported, report.skipped, report.failed) == (2, 2, 1)
    rows = _rows(page)
    assert [row[:3] for row in rows] == [
        ["8", "skipped", "esai"],
        ["10", "failed", "tanpa-jawaban"],
        ["17", "skipped", "pasangan"],
    ]
    assert all(row[3] for row in rows)  # each with its reason
    assert "Unsupported question type: essay." in rows[0][3]
    assert set(Question.objects.filter(course=course).values_list("key", flat=True)) == {
        "kode-etik",
        "netral",
    }


def test_uploading_the_same_file_again_updates_instead_of_duplicating(
    admin_client: Client,
) -> None:
    course = CourseFactory.create(is_published=False)
    _post(admin_client, course, _upload(MIXED))

    response = _post(admin_client, course, _upload(MIXED))

    report = response.context["report"]
    assert (report.created, report.unchanged) == (0, 2)
    assert Question.objects.filter(course=course).count() == 2


def test_a_windows_1252_file_is_refused_with_the_reason(admin_client: Client) -> None:
    course = CourseFactory.create(is_published=False)

    response = _post(admin_client, course, _upload("::kopi::Café?{T}\n".encode("cp1252")))

    errors = response.context["form"].errors["file"]
    assert "The file must be saved as UTF-8" in errors[0]
    assert "Windows-1252" in errors[0]
    assert response.context["report"] is None
    assert not Question.objects.exists()


def test_an_empty_file_is_refused(admin_client: Client) -> None:
    response = _post(
        admin_client, CourseFactory.create(is_published=False), _upload("\n\n", name="kosong.gift")
    )

    assert response.context["form"].errors["file"] == ["The file is empty."]


@override_settings(MAX_QUESTION_FILE_MB=0.001)
def test_an_oversize_file_is_refused_before_reading(admin_client: Client) -> None:
    response = _post(admin_client, CourseFactory.create(is_published=False), _upload(MIXED * 10))

    assert response.context["form"].errors["file"] == ["The file is too large: at most 1.0\xa0KB."]
    assert not Question.objects.exists()


def test_an_instructor_imports_only_into_their_own_courses(client: Client) -> None:
    mine, theirs = (
        CourseFactory.create(title="Milik Ani", is_published=False),
        CourseFactory.create(title="Milik Budi", is_published=False),
    )
    logged_in(
        client,
        InstructorFactory.create(username="ani", courses=[mine], permissions=QUESTION_PERMISSIONS),
    )

    page = client.get(IMPORT_URL).content.decode()
    refused = _post(client, theirs, _upload(MIXED))

    assert "Milik Ani" in page and "Milik Budi" not in page
    assert "course" in refused.context["form"].errors
    assert not Question.objects.exists()
    assert _post(client, mine, _upload(MIXED)).context["report"].imported == 2


def test_importing_needs_the_question_permissions(client: Client) -> None:
    course = CourseFactory.create(is_published=False)
    user = InstructorFactory.create(
        username="ani", courses=[course], permissions=QUESTION_PERMISSIONS
    )
    Group.objects.get(name=ROLE_INSTRUCTOR).permissions.filter(codename="add_question").delete()
    logged_in(client, user)

    assert client.get(IMPORT_URL).status_code == 403
    assert _post(client, course, _upload(MIXED)).status_code == 403


def test_the_question_list_links_to_import_and_export(admin_client: Client) -> None:
    course = CourseFactory.create(is_published=False)

    page = admin_client.get(
        reverse("admin:exams_question_changelist"), {"course": course.pk}
    ).content.decode()

    assert f'href="{IMPORT_URL}?course={course.pk}"' in page
    assert f'href="{EXPORT_URL}?course={course.pk}"' in page


def test_export_downloads_the_course_bank_as_gift(admin_client: Client) -> None:
    course = CourseFactory.create(slug="etika", is_published=False)
    make_question(course, "soal-1")

    response = admin_client.get(EXPORT_URL, {"course": course.pk})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="etika.gift"'
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == question_bank_export_gift(course=course)
    assert "::soal-1::" in response.content.decode()


def test_export_without_a_course_shows_the_choice(admin_client: Client) -> None:
    CourseFactory.create(title="Etika Pelayanan Publik", is_published=False)

    response = admin_client.get(EXPORT_URL)

    assert response.status_code == 200
    assert "Etika Pelayanan Publik" in response.content.decode()


def test_an_instructor_cannot_export_another_course(client: Client) -> None:
    mine, theirs = (
        CourseFactory.create(title="Milik Ani", is_published=False),
        CourseFactory.create(title="Milik Budi", is_published=False),
    )
    make_question(theirs, "rahasia")
    logged_in(
        client,
        InstructorFactory.create(username="ani", courses=[mine], permissions=QUESTION_PERMISSIONS),
    )

    response = client.get(EXPORT_URL, {"course": theirs.pk})

    assert response.status_code == 200
    assert "course" in response.context["form"].errors
    assert "rahasia" not in response.content.decode()
