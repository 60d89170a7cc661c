"""Exports of every report: CSV and XLSX read back, formula-safe, empty, and big ones."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo
from typing import Any

import pytest
from django.http import FileResponse
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from mooc.accounts.tests.helpers import signed_in
from mooc.core.models import AuditLog
from mooc.reports.models import ExportState, ReportExport
from mooc.reports.tests.support import (
    enrol_passed,
    report_admin,
    report_course,
    report_learner,
    report_unit,
)

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def _bytes(response: Any) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def read_csv(response: Any) -> list[list[str]]:
    text = _bytes(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(response: Any) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(_bytes(response)), read_only=True).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def unit() -> Any:
    return report_unit("Kanwil Jawa Barat", report_unit("Kementerian"))


@pytest.fixture
def admin_client(client: Client) -> Client:
    signed_in(client, report_admin())
    return client


def url(report: str, fmt: str) -> str:
    return reverse("reports:export", args=[report, fmt])


def test_the_below_target_csv_has_indonesian_headers_and_every_learner_under_target(
    admin_client: Client, unit: Any
) -> None:
    report_learner(unit=unit, name="Budi Kurang")
    rina = report_learner(unit=unit, name="Rina Cukup")
    enrol_passed(rina, report_course(jp=20), at=dt.datetime(2026, 3, 1, tzinfo=WIB))

    rows = read_csv(admin_client.get(url("below_target", "csv"), {"year": 2026}))

    assert rows[0][:5] == ["NIP/Username", "Nama Lengkap", "Unit", "Tipe Pegawai", "JP 2026"]
    assert [row[1] for row in rows[1:]] == ["Budi Kurang"]
    assert rows[1][4:7] == ["0", "20", "20"]


def test_the_learner_xlsx_reads_back_with_numbers_as_numbers(
    admin_client: Client, unit: Any
) -> None:
    rina = report_learner(unit=unit, name="Rina Cukup")
    enrol_passed(rina, report_course(jp=12), at=dt.datetime(2026, 3, 1, tzinfo=WIB))

    rows = read_xlsx(admin_client.get(url("learners", "xlsx"), {"year": 2026}))

    assert rows[1][1] == "Rina Cukup" and rows[1][4] == 12


def test_cells_that_look_like_formulas_are_shown_not_run(admin_client: Client, unit: Any) -> None:
    report_learner(unit=unit, name='=HYPERLINK("http://evil.example","klik")')
    report_learner(unit=unit, name="+62 Tambah")

    csv_names = [row[1] for row in read_csv(admin_client.get(url("learners", "csv")))[1:]]
    xlsx_names = [row[1] for row in read_xlsx(admin_client.get(url("learners", "xlsx")))[1:]]

    for names in (csv_names, xlsx_names):
        assert '\'=HYPERLINK("http://evil.example","klik")' in names
        assert "'+62 Tambah" in names


@pytest.mark.parametrize("fmt", ("csv", "xlsx"))
def test_an_export_with_no_rows_is_headers_and_a_note(admin_client: Client, fmt: str) -> None:
    response = admin_client.get(url("below_target", fmt), {"year": 2026})
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)

    assert response.status_code == 200
    assert rows[0][0] == "NIP/Username"
    assert rows[1][0] == "Tidak ada baris yang cocok dengan filter ini."


@pytest.mark.parametrize("report", ("summary", "courses", "units", "learners", "below_target"))
@pytest.mark.parametrize("fmt", ("csv", "xlsx"))
def test_every_report_exports_in_both_formats(
    admin_client: Client, unit: Any, report: str, fmt: str
) -> None:
    enrol_passed(report_learner(unit=unit), report_course(jp=4))

    response = admin_client.get(url(report, fmt))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    assert len(rows) >= 2


def test_the_course_and_learner_exports_carry_their_figures(
    admin_client: Client, unit: Any
) -> None:
    learner = report_learner(unit=unit)
    course = report_course(jp=4, title="Etika ASN")
    enrol_passed(learner, course, at=dt.datetime(2026, 3, 1, tzinfo=WIB))

    course_rows = read_csv(admin_client.get(url("course", "csv"), {"id": course.pk, "year": 2026}))
    learner_rows = read_xlsx(admin_client.get(url("learner", "xlsx"), {"id": learner.pk}))

    assert ["Terdaftar", "1"] in course_rows
    assert learner_rows[1][:5] == [2026, "Etika ASN", "Platform ini", "01-03-2026", 4]


def test_exports_are_audited(admin_client: Client) -> None:
    admin_client.get(url("summary", "csv"))

    assert AuditLog.objects.filter(action="reports.export").count() == 1


@override_settings(REPORTS_EXPORT_SYNC_ROWS=2)
def test_a_big_export_runs_as_a_job_with_progress_and_a_download(
    admin_client: Client, unit: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(3):
        report_learner(unit=unit)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.get(url("learners", "xlsx"), {"year": 2026})
    job = ReportExport.objects.get()
    assert response.url == reverse("reports:export_status", args=[job.pk])  # type: ignore[attr-defined]

    # Tasks run in-process here (no broker), after the commit.
    assert job.state == ExportState.DONE and job.total == 3
    status = admin_client.get(response.url)  # type: ignore[attr-defined]
    assert reverse("reports:export_download", args=[job.pk]) in status.content.decode()
    download = admin_client.get(reverse("reports:export_download", args=[job.pk]))
    assert isinstance(download, FileResponse)
    assert len(read_xlsx(download)) == 4


@override_settings(REPORTS_EXPORT_SYNC_ROWS=0)
def test_someone_elses_export_job_answers_404(admin_client: Client, client: Client) -> None:
    job = ReportExport.objects.create(requested_by=report_learner(), report="learners", fmt="csv")

    assert admin_client.get(reverse("reports:export_status", args=[job.pk])).status_code == 404
    assert admin_client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404


def test_the_progress_box_alone_answers_htmxs_poll(admin_client: Client) -> None:
    from mooc.accounts.models import User

    admin = User.objects.get(full_name="Admin Laporan")
    job = ReportExport.objects.create(
        requested_by=admin,
        report="learners",
        fmt="csv",
        total=10,
        done=4,
        state=ExportState.RUNNING,
    )

    partial = admin_client.get(
        reverse("reports:export_status", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "<html" not in partial and 'aria-valuenow="40"' in partial
    assert 'hx-trigger="every 2s"' in partial
