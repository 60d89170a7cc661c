"""The SIASN course-history export: the payload's fields, batches, files and the push."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
import zipfile
import zoneinfo
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from mooc.accounts.tests.helpers import signed_in
from mooc.catalog.models import Enrollment
from mooc.certificates.models import CertificateVersion
from mooc.core.models import AuditLog, SiteSettings
from mooc.reports.models import SiasnBatch, SiasnBatchRow
from mooc.reports.selectors.scope import Scope
from mooc.reports.selectors.siasn import PAYLOAD_FIELDS, record_of, siasn_payload
from mooc.reports.services.siasn import HttpSiasnClient, siasn_batch_create, siasn_batch_push
from mooc.reports.tests.support import (
    certificate_for,
    enrol_passed,
    report_admin,
    report_course,
    report_learner,
    report_unit,
    report_viewer,
    streamed,
)

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
NIP = "198609262015051001"


def _settings(**fields: Any) -> None:
    defaults = {
        "siasn_instansi_id": "A5EB03E23AFBF6A0E040640A040252AD",
        "siasn_jenis_diklat_id": "4",
        "siasn_jenis_kursus": "1",
        "siasn_jenis_kursus_sertipikat": "S",
        "siasn_lokasi_id": "LOK-1",
        **fields,
    }
    SiteSettings.objects.update_or_create(id=1, defaults=defaults)


def passed_with_pdf(
    user: Any, *, jp: int = 6, at: dt.datetime | None = None, **course: Any
) -> Enrollment:
    enrollment = enrol_passed(
        user, report_course(jp=jp, **course), at=at or dt.datetime(2026, 3, 14, 9, tzinfo=WIB)
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(
        created_at=dt.datetime(2026, 3, 1, 8, tzinfo=WIB)
    )
    enrollment.refresh_from_db()
    certificate = certificate_for(enrollment)
    version = CertificateVersion(
        certificate=certificate,
        version=1,
        holder_name=user.full_name,
        course_title=enrollment.course.title,
        jp=jp,
        passed_on=dt.date(2026, 3, 14),
        issuer_name="BPSDM",
    )
    version.pdf.save("c.pdf", ContentFile(b"%PDF-1.4 sertifikat"), save=False)
    version.save()
    certificate.current_version = version
    certificate.save(update_fields=["current_version"])
    return enrollment


@pytest.fixture
def unit() -> Any:
    return report_unit("Kanwil Jawa Barat", report_unit("Kementerian"))


def test_a_row_has_exactly_the_payload_fields_with_jp_by_default(unit: Any) -> None:
    _settings()
    enrollment = passed_with_pdf(report_learner(unit=unit, username=NIP), jp=6, title="Etika ASN")
    loaded = Enrollment.objects.select_related("user", "course", "certificate").get(
        pk=enrollment.pk
    )
    payload = siasn_payload(record_of(loaded))

    assert tuple(payload) == PAYLOAD_FIELDS
    assert payload["instansiId"] == "A5EB03E23AFBF6A0E040640A040252AD"
    assert payload["jumlahJam"] == 6 and payload["tahunKursus"] == 2026
    assert (
        payload["tanggalKursus"] == "01-03-2026" and payload["tanggalSelesaiKursus"] == "14-03-2026"
    )
    assert payload["namaKursus"] == "Etika ASN" and payload["nomorSertipikat"].startswith("BPSDM/")
    assert payload["institusiPenyelenggara"] == "MOOC BPSDM"


def test_jumlah_jam_in_clock_hours_uses_the_course_duration_or_jp_times_45_minutes(
    unit: Any,
) -> None:
    _settings(siasn_hours_in_jp=False)
    with_duration = passed_with_pdf(report_learner(unit=unit), jp=6, duration_minutes=200)
    without = passed_with_pdf(report_learner(unit=unit), jp=6)

    assert siasn_payload(record_of(with_duration))["jumlahJam"] == 4  # 200 min, rounded up
    assert siasn_payload(record_of(without))["jumlahJam"] == 5  # 6 × 45 = 270 min


def test_the_next_export_takes_only_new_rows_and_a_batch_downloads_again(
    client: Client, unit: Any
) -> None:
    _settings()
    admin = signed_in(client, report_admin())
    first = passed_with_pdf(report_learner(unit=unit, username=NIP))
    form = {"date_from": "2026-01-01", "date_to": "2026-12-31", "only_new": "on", "fmt": "csv"}

    response = client.post(reverse("reports:siasn"), form)
    batch = SiasnBatch.objects.get()
    assert response["Location"] == reverse("reports:siasn_download", args=[batch.pk, "csv"])
    assert batch.row_count == 1 and batch.created_by == admin
    second = passed_with_pdf(report_learner(unit=unit))
    client.post(reverse("reports:siasn"), form)
    newer = SiasnBatch.objects.exclude(pk=batch.pk).get()

    assert list(SiasnBatchRow.objects.filter(batch=newer).values_list("enrollment", flat=True)) == [
        second.pk
    ]
    again = client.get(reverse("reports:siasn_download", args=[batch.pk, "csv"]))
    text = streamed(again).decode("utf-8-sig")
    assert NIP in text and first.course.title in text and second.course.title not in text
    assert AuditLog.objects.filter(action="reports.siasn_export").count() == 2


def test_the_xlsx_has_the_nip_in_its_own_column_then_the_payload_fields(
    client: Client, unit: Any
) -> None:
    _settings()
    signed_in(client, report_admin())
    passed_with_pdf(report_learner(unit=unit, username=NIP))
    batch = siasn_batch_create(
        scope=Scope(is_admin=True),
        actor=report_admin(),
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 12, 31),
        unit=None,
        only_new=True,
    )

    response = client.get(reverse("reports:siasn_download", args=[batch.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(streamed(response)), read_only=True).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert rows[0][:3] == ["NIP", "Nama Lengkap", "instansiId"] and rows[0][2:15] == list(
        PAYLOAD_FIELDS
    )
    assert rows[1][0] == NIP and rows[1][7] == 6


def test_the_json_lines_and_the_zip_with_certificates_named_by_number(
    client: Client, unit: Any
) -> None:
    _settings()
    signed_in(client, report_admin())
    enrollment = passed_with_pdf(report_learner(unit=unit, username=NIP))
    number = enrollment.certificate.number
    assert number is not None
    batch = siasn_batch_create(
        scope=Scope(is_admin=True),
        actor=report_admin(),
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 12, 31),
        unit=None,
        only_new=True,
    )

    jsonl = streamed(client.get(reverse("reports:siasn_download", args=[batch.pk, "jsonl"])))
    archive = zipfile.ZipFile(
        io.BytesIO(streamed(client.get(reverse("reports:siasn_download", args=[batch.pk, "zip"]))))
    )

    (line,) = jsonl.decode().splitlines()
    assert tuple(json.loads(line)) == PAYLOAD_FIELDS
    pdf_name = "sertifikat/" + number.replace("/", "-") + ".pdf"
    assert set(archive.namelist()) == {"riwayat-kursus.xlsx", "riwayat-kursus.jsonl", pdf_name}
    assert archive.read(pdf_name).startswith(b"%PDF")


def test_an_empty_siasn_export_is_headers_and_a_note(client: Client, unit: Any) -> None:
    signed_in(client, report_admin())
    client.post(
        reverse("reports:siasn"), {"date_from": "2026-01-01", "date_to": "2026-12-31", "fmt": "csv"}
    )
    batch = SiasnBatch.objects.get()

    text = streamed(client.get(reverse("reports:siasn_download", args=[batch.pk, "csv"]))).decode(
        "utf-8-sig"
    )

    assert text.splitlines()[0].startswith("NIP,") and len(text.splitlines()) == 2


def test_external_learners_and_revoked_certificates_are_not_exported(unit: Any) -> None:
    passed_with_pdf(report_learner(unit=unit, internal=False))
    revoked = enrol_passed(
        report_learner(unit=unit), report_course(), at=dt.datetime(2026, 3, 1, tzinfo=WIB)
    )
    certificate_for(revoked, revoked=True)

    batch = siasn_batch_create(
        scope=Scope(is_admin=True),
        actor=report_admin(),
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 12, 31),
        unit=None,
        only_new=False,
    )

    assert batch.row_count == 0


def test_a_report_viewer_exports_their_subtree_and_cannot_open_other_batches(
    client: Client, unit: Any
) -> None:
    other = report_unit("Kanwil Jawa Timur")
    passed_with_pdf(report_learner(unit=unit))
    passed_with_pdf(report_learner(unit=other))
    viewer = signed_in(client, report_viewer(unit))
    form = {"date_from": "2026-01-01", "date_to": "2026-12-31", "fmt": "csv"}

    assert client.post(reverse("reports:siasn"), {**form, "unit": other.pk}).status_code == 404
    client.post(reverse("reports:siasn"), form)
    mine = SiasnBatch.objects.get(created_by=viewer)
    theirs = siasn_batch_create(
        scope=Scope(is_admin=True),
        actor=report_admin(),
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 12, 31),
        unit=other,
        only_new=False,
    )

    assert mine.row_count == 1 and mine.unit == unit
    assert client.get(reverse("reports:siasn_download", args=[mine.pk, "xlsx"])).status_code == 200
    for fmt in ("xlsx", "csv", "jsonl", "zip"):
        assert (
            client.get(reverse("reports:siasn_download", args=[theirs.pk, fmt])).status_code == 404
        )
    assert client.post(reverse("reports:siasn_push", args=[theirs.pk])).status_code == 404


def test_a_reversed_siasn_period_gets_a_clear_message(client: Client) -> None:
    signed_in(client, report_admin())

    response = client.post(
        reverse("reports:siasn"), {"date_from": "2026-05-01", "date_to": "2026-04-01", "fmt": "csv"}
    )

    assert response.status_code == 200 and response.context["form"].errors["date_to"]
    assert not SiasnBatch.objects.exists()


# --- The push, against a fake SIASN server ---------------------------------------------------


class FakeSiasn(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    documents: list[str] = []

    def _answer(self, body: dict[str, Any], status: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        assert self.headers["Authorization"] == "Bearer uji-palsu"
        nip = self.path.rsplit("/", 1)[-1]
        self._answer({"data": {"id": f"ORANG-{nip[-4:]}"}})

    def do_POST(self) -> None:
        assert self.headers["Authorization"] == "Bearer uji-palsu"
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path.startswith("/apisiasn/1.0/upload-dok-rw"):
            assert body.startswith(b"%PDF")
            self.documents.append(self.path)
            self._answer({"data": {"dok_id": f"DOK-{len(self.documents)}"}})
        elif self.path == "/apisiasn/1.0/kursus/save":
            self.received.append(json.loads(body))
            self._answer({"success": True, "mapData": {"rwKursusId": f"RW-{len(self.received)}"}})
        else:
            self._answer({"success": False}, status=404)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def fake_siasn() -> Iterator[str]:
    FakeSiasn.received, FakeSiasn.documents = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSiasn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_push_sends_each_row_once_with_its_certificate_and_keeps_siasns_ids(
    fake_siasn: str, unit: Any
) -> None:
    _settings()
    passed_with_pdf(report_learner(unit=unit, username=NIP))
    admin = report_admin()
    batch = siasn_batch_create(
        scope=Scope(is_admin=True),
        actor=admin,
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 12, 31),
        unit=None,
        only_new=True,
    )
    client = HttpSiasnClient(fake_siasn, "uji-palsu")

    assert siasn_batch_push(batch=batch, actor=admin, client=client) == 1
    assert siasn_batch_push(batch=batch, actor=admin, client=client) == 0  # nothing left

    (payload,) = FakeSiasn.received
    assert payload["pnsOrangId"] == "ORANG-1001"
    assert payload["path"][0]["dok_id"] == "DOK-1"
    assert set(PAYLOAD_FIELDS) <= set(payload)
    row = SiasnBatchRow.objects.get()
    assert row.siasn_id == "RW-1" and row.pushed_at is not None


def test_the_push_is_off_by_default(client: Client, unit: Any) -> None:
    signed_in(client, report_admin())
    batch = SiasnBatch.objects.create(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31))

    page = client.get(reverse("reports:siasn")).content.decode()
    response = client.post(reverse("reports:siasn_push", args=[batch.pk]), follow=True)

    assert reverse("reports:siasn_push", args=[batch.pk]) not in page
    assert "SIASN" in response.content.decode()


@override_settings(SIASN_PUSH_URL="http://127.0.0.1:9", SIASN_PUSH_TOKEN="x")
def test_the_push_button_appears_once_configured(client: Client) -> None:
    signed_in(client, report_admin())
    batch = SiasnBatch.objects.create(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31))

    assert (
        reverse("reports:siasn_push", args=[batch.pk])
        in client.get(reverse("reports:siasn")).content.decode()
    )


def test_the_siasn_page_lists_batches_in_a_fixed_number_of_queries(
    client: Client, unit: Any, django_assert_max_num_queries: Any
) -> None:
    admin = signed_in(client, report_admin())
    for _ in range(5):
        SiasnBatch.objects.create(
            created_by=admin,
            unit=unit,
            date_from=dt.date(2026, 1, 1),
            date_to=dt.date(2026, 12, 31),
        )

    with django_assert_max_num_queries(13):
        response = client.get(reverse("reports:siasn"))

    assert response.content.decode().count("unduh.zip") == 5
