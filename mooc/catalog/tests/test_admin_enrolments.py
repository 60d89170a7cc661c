"""A course's enrolments in the admin: listed, searched, read-only, and exported as
CSV (UTF-8 with BOM, formula-safe) or Excel; each export is audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from mooc.accounts.tests.factories import (
    ContentAdminFactory,
    InstructorFactory,
    UserFactory,
    unit_tree,
)
from mooc.accounts.tests.helpers import logged_in
from mooc.catalog.enrolment_bulk import spreadsheet_safe
from mooc.catalog.models import Enrollment, EnrollmentResult, EnrollmentStatus
from mooc.catalog.tests.factories import INSTRUCTOR_PERMISSIONS, CourseFactory, EnrollmentFactory
from mooc.core.models import AuditLog

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:catalog_enrollment_changelist"
NIP = "198609262015051001"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def admin(client: Client) -> Client:
    return logged_in(client, ContentAdminFactory.create())


def listed(response: Any) -> list[str]:
    return [e.user.username for e in response.context["cl"].result_list]


def export_url(course_id: int, fmt: str) -> str:
    return reverse("admin:catalog_course_enrolments_export", args=[course_id, fmt])


def test_the_list_shows_learner_unit_status_result_and_score(admin: Client) -> None:
    _, kanwil, _ = unit_tree()
    course = CourseFactory.create(is_published=False)
    learner = UserFactory.create(username=NIP, full_name="Rina Lestari", unit=kanwil)
    EnrollmentFactory.create(
        user=learner,
        course=course,
        status=EnrollmentStatus.COMPLETED,
        result=EnrollmentResult.PASSED,
        final_score=Decimal("87.50"),
        completed_at=timezone.now(),
    )

    page = admin.get(reverse(CHANGELIST)).content.decode()

    for text in [NIP, "Rina Lestari", "Kantor Wilayah Jawa Barat", "Completed", "Passed", "87.50"]:
        assert text in page


def test_search_finds_a_nip_typed_with_spaces_and_names(admin: Client) -> None:
    course = CourseFactory.create(is_published=False)
    EnrollmentFactory.create(
        user=UserFactory.create(username=NIP, full_name="Rina Lestari"), course=course
    )
    EnrollmentFactory.create(
        user=UserFactory.create(username="199001012019032002", full_name="Sari Wulandari"),
        course=course,
    )

    assert listed(admin.get(reverse(CHANGELIST), {"q": "19860926 201505 1 001"})) == [NIP]
    assert listed(admin.get(reverse(CHANGELIST), {"q": "wulandari"})) == ["199001012019032002"]


def test_the_list_filters_by_course_and_status(admin: Client) -> None:
    course = CourseFactory.create(title="Orientasi ASN Baru", is_published=False)
    other = CourseFactory.create(title="Literasi Digital", is_published=False)
    EnrollmentFactory.create(
        user=UserFactory.create(username=NIP), course=course, status=EnrollmentStatus.COMPLETED
    )
    EnrollmentFactory.create(user=UserFactory.create(username="199001012019032002"), course=course)
    EnrollmentFactory.create(user=UserFactory.create(username="198512312010121003"), course=other)

    by_course = admin.get(reverse(CHANGELIST), {"course": course.pk})
    completed = admin.get(
        reverse(CHANGELIST), {"course": str(course.pk), "status__exact": "completed"}
    )

    assert set(listed(by_course)) == {NIP, "199001012019032002"}
    assert listed(completed) == [NIP]


def test_the_list_filters_by_unit_with_its_sub_units(admin: Client) -> None:
    root, kanwil, upt = unit_tree()
    course = CourseFactory.create(is_published=False)
    people = [(NIP, kanwil), ("199001012019032002", upt), ("198512312010121003", root)]
    for username, unit in people:
        learner = UserFactory.create(username=username, unit=unit)
        EnrollmentFactory.create(user=learner, course=course)

    page = admin.get(reverse(CHANGELIST))
    by_kanwil = admin.get(reverse(CHANGELIST), {"unit": kanwil.pk})
    by_upt = admin.get(reverse(CHANGELIST), {"unit": upt.pk, "course": course.pk})
    by_root = admin.get(reverse(CHANGELIST), {"unit": root.pk})

    assert "unit (with sub-units)" in page.content.decode()
    assert set(listed(by_kanwil)) == {NIP, "199001012019032002"}
    assert listed(by_upt) == ["199001012019032002"]
    assert len(listed(by_root)) == 3
    # A unit that does not exist, or no number at all, lists nothing rather than failing.
    assert listed(admin.get(reverse(CHANGELIST), {"unit": "99999"})) == []
    assert admin.get(reverse(CHANGELIST), {"unit": "<script>"}).status_code in (200, 302)


def test_enrolments_are_read_only_here(admin: Client) -> None:
    enrolment = EnrollmentFactory.create(
        user=UserFactory.create(username=NIP), course=CourseFactory.create(is_published=False)
    )

    page = admin.get(reverse("admin:catalog_enrollment_change", args=[enrolment.pk]))

    assert page.context["has_change_permission"] is False
    assert admin.get(reverse("admin:catalog_enrollment_add")).status_code == 403


def test_a_manager_deleting_an_enrolment_leaves_an_audit_entry(admin: Client) -> None:
    course = CourseFactory.create(is_published=False)
    enrolment = EnrollmentFactory.create(user=UserFactory.create(username=NIP), course=course)

    admin.post(reverse("admin:catalog_enrollment_delete", args=[enrolment.pk]), {"post": "yes"})

    assert not Enrollment.objects.exists()
    entry = AuditLog.objects.get(action="enrolment.deleted")
    assert entry.target_id == str(course.pk)
    assert entry.before == {"learner": NIP, "status": "active", "result": ""}


def test_an_instructor_does_not_delete_enrolments(client: Client) -> None:
    course = CourseFactory.create(is_published=False)
    enrolment = EnrollmentFactory.create(user=UserFactory.create(username=NIP), course=course)
    instructor = logged_in(
        client,
        InstructorFactory.create(
            username="ani.instruktur", courses=[course], permissions=INSTRUCTOR_PERMISSIONS
        ),
    )

    response = instructor.post(
        reverse("admin:catalog_enrollment_delete", args=[enrolment.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Enrollment.objects.exists()


# --- Export -----------------------------------------------------------------------------------


def hostile_course() -> Any:
    """A course whose learners typed spreadsheet formulas into their names."""
    root, _, _ = unit_tree()
    root.name = "@SUM(1+1)*cmd|' /C calc'!A0"
    root.save()
    course = CourseFactory.create(
        title="Orientasi ASN Baru", slug="orientasi-asn", jp=24, is_published=False
    )
    EnrollmentFactory.create(
        user=UserFactory.create(
            username=NIP, full_name='=HYPERLINK("http://evil.example","klik")', unit=root
        ),
        course=course,
    )
    EnrollmentFactory.create(
        user=UserFactory.create(username="199001012019032002", full_name="-2+3"),
        course=course,
        status=EnrollmentStatus.COMPLETED,
        result=EnrollmentResult.PASSED,
        final_score=Decimal("90.00"),
        completed_at=dt.datetime(2026, 3, 1, 2, 30, tzinfo=dt.UTC),
    )
    return course


def test_csv_export_has_a_bom_a_header_and_formula_safe_cells(admin: Client) -> None:
    course = hostile_course()

    response = admin.get(export_url(course.pk, "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="peserta-orientasi-asn-'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "NIP/Username",
        "Full name",
        "E-mail",
        "Position",
        "Unit at enrolment",
        "Course",
        "Status",
        "Result",
        "Final score",
        "Progress (%)",
        "Final exam attempts used",
        "Certificate number",
        "JP",
        "Enrolled at",
        "Completed at",
    ]
    by_nip = {row[0]: row for row in rows[1:]}
    assert by_nip[NIP][1] == '\'=HYPERLINK("http://evil.example","klik")'
    assert by_nip[NIP][4] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    passed = by_nip["199001012019032002"]
    assert passed[1] == "'-2+3"
    # Completed 02:30 UTC is 09:30 in Jakarta, the institution's time.
    assert passed[6:] == [
        "Completed",
        "Passed",
        "90.00",
        "0",
        "0",
        "",
        "24",
        passed[13],
        "2026-03-01 09:30",
    ]


def test_xlsx_export_stores_text_cells_never_formulas(admin: Client) -> None:
    course = hostile_course()

    response = admin.get(export_url(course.pk, "xlsx"))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    values = {cell.value for cell in cells}
    assert NIP in values  # the NIP is kept in full, as text
    assert '\'=HYPERLINK("http://evil.example","klik")' in values
    assert 90.0 in values


def test_each_export_is_audited(admin: Client) -> None:
    course = hostile_course()

    admin.get(export_url(course.pk, "csv"))

    entry = AuditLog.objects.get(action="course.enrolments_exported")
    assert entry.target_id == str(course.pk)
    assert entry.after == {"format": "csv", "rows": 2}


def test_an_unknown_export_format_is_not_found(admin: Client) -> None:
    assert (
        admin.get(export_url(CourseFactory.create(is_published=False).pk, "pdf")).status_code == 404
    )


def test_selected_enrolments_are_exported_from_the_list(admin: Client) -> None:
    course = CourseFactory.create(is_published=False)
    chosen = EnrollmentFactory.create(
        user=UserFactory.create(username=NIP, full_name="Rina Lestari"), course=course
    )
    EnrollmentFactory.create(
        user=UserFactory.create(username="199001012019032002", full_name="Sari Wulandari"),
        course=course,
    )

    response = admin.post(
        reverse(CHANGELIST), {"action": "export_csv", "_selected_action": [chosen.pk]}
    )

    text = response.content.decode("utf-8-sig")
    assert "Rina Lestari" in text
    assert "Sari Wulandari" not in text


def test_the_excel_action_exports_too(admin: Client) -> None:
    course = CourseFactory.create(is_published=False)
    chosen = EnrollmentFactory.create(user=UserFactory.create(username=NIP), course=course)

    response = admin.post(
        reverse(CHANGELIST), {"action": "export_xlsx", "_selected_action": [chosen.pk]}
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.max_row == 2


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("Rina", "Rina"),
        ("", ""),
    ],
)
def test_spreadsheet_safe_escapes_formula_triggers(value: str, safe: str) -> None:
    assert spreadsheet_safe(value) == safe


def test_the_export_names_email_position_progress_attempts_and_certificate(
    admin: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from mooc.certificates.models import Certificate
    from mooc.certificates.tests.support import course_with_exam, pass_course, take
    from mooc.learning.models import MaterialProgress
    from mooc.learning.tests.factories import MaterialFactory, SectionFactory

    course, exam = course_with_exam()
    section = SectionFactory.create(course=course)
    materials = [MaterialFactory.create(section=section) for _ in range(4)]
    MaterialFactory.create(section=section, is_retired=True)  # not counted
    learner = UserFactory.create(
        username=NIP, email="rina@example.go.id", jabatan="Analis SDM Aparatur"
    )
    for material in materials[:3]:
        MaterialProgress.objects.create(user=learner, material=material, course=course)
    EnrollmentFactory.create(user=learner, course=course)
    take(learner, exam, right=False)
    with django_capture_on_commit_callbacks(execute=True):
        pass_course(learner, course, exam)
    other = UserFactory.create(username="199001012019032002")
    EnrollmentFactory.create(user=other, course=course)
    number = Certificate.objects.get(user=learner).number
    assert number

    response = admin.get(export_url(course.pk, "csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_nip = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_nip[NIP]["E-mail"] == "rina@example.go.id"
    assert by_nip[NIP]["Position"] == "Analis SDM Aparatur"
    assert by_nip[NIP]["Progress (%)"] == "75"
    assert by_nip[NIP]["Final exam attempts used"] == "2"
    assert by_nip[NIP]["Certificate number"] == number
    other_row = by_nip["199001012019032002"]
    assert (other_row["Progress (%)"], other_row["Final exam attempts used"]) == ("0", "0")
    assert other_row["Certificate number"] == ""
