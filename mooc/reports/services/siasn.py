"""SIASN course-history exports: batches, files, and an optional direct push.

Every export that takes rows records them in a `SiasnBatch` (when, by whom), so the
next one can take only the rows not exported before, and any batch can be downloaded
again. The files: XLSX/CSV (NIP and name in their own columns, then the payload
fields), JSON lines in the web service's payload shape, and a zip holding both with
each certificate PDF named by its number.

The push (`siasn_batch_push`) goes through `SiasnClient`; `HttpSiasnClient` speaks
HTTP to the URL in settings.SIASN_PUSH_URL and is off while that is empty. It is tested
against a fake SIASN server started by the tests, never with a real credential.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import tempfile
import urllib.request
import zipfile
from collections.abc import Iterator
from typing import IO, Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mooc.accounts.models import Unit, User
from mooc.catalog.models import Enrollment
from mooc.certificates.models import Certificate, CertificateState
from mooc.core.errors import ServiceError
from mooc.core.files import private_storage
from mooc.core.selectors import site_settings_get
from mooc.core.services import audit_log_record
from mooc.reports.models import SiasnBatch, SiasnBatchRow
from mooc.reports.selectors.scope import Scope
from mooc.reports.selectors.siasn import (
    certificate_file_name,
    record_of,
    siasn_candidates,
    siasn_headers,
    siasn_payload,
    siasn_records,
    siasn_table_rows,
)
from mooc.reports.services.exports import csv_write, spreadsheet_safe, xlsx_write

logger = logging.getLogger(__name__)

SIASN_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "zip": "application/zip",
}


def siasn_batch_create(
    *,
    scope: Scope,
    actor: User,
    date_from: dt.date,
    date_to: dt.date,
    unit: Unit | None,
    only_new: bool,
    request: Any = None,
) -> SiasnBatch:
    """Record which rows this export carries (an empty batch is kept too: it was taken)."""
    if scope.unit is not None and unit is None:
        unit = scope.unit
    with transaction.atomic():
        batch = SiasnBatch.objects.create(
            created_by=actor, unit=unit, date_from=date_from, date_to=date_to, only_new=only_new
        )
        candidates = siasn_candidates(
            scope=scope, date_from=date_from, date_to=date_to, unit=unit, only_new=only_new
        )
        batch.row_count = _rows_record(batch, candidates)
        batch.save(update_fields=["row_count"])
        audit_log_record(
            actor=actor,
            action="reports.siasn_export",
            target=batch,
            after={
                "from": date_from.isoformat(),
                "to": date_to.isoformat(),
                "unit": unit.pk if unit else None,
                "only_new": only_new,
                "rows": batch.row_count,
            },
            request=request,
        )
    return batch


def _rows_record(batch: SiasnBatch, candidates: QuerySet[Enrollment]) -> int:
    """Remember the batch's rows in one INSERT … SELECT: a year of a big institution's
    passes (175,000 rows) took 7.6 s as Python objects."""
    ids = candidates.order_by().annotate(candidate_id=F("pk")).values("candidate_id")
    select_sql, params = ids.query.sql_with_params()
    table = connection.ops.quote_name(SiasnBatchRow._meta.db_table)
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            # "Only new rows" is an anti-join on the very table this statement fills.
            # Right after that table was analyzed empty, PostgreSQL picks a nested loop
            # that scans it once per candidate, and the scan grows with every row
            # inserted: 175,000 rows took three minutes (bench/reports.py). A hash
            # anti-join reads the earlier batches once.
            cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(
            f"INSERT INTO {table} (batch_id, enrollment_id, siasn_id) "  # noqa: S608 - the ORM's SQL
            f"SELECT %s, candidate.candidate_id, '' FROM ({select_sql}) candidate",
            [batch.pk, *params],
        )
        count = int(cursor.rowcount)
        if postgresql:
            cursor.execute("RESET enable_nestloop")
        return count


def _table(enrollments: QuerySet[Enrollment]) -> Iterator[list[Any]]:
    yield siasn_headers()
    empty = True
    for row in siasn_table_rows(enrollments):
        empty = False
        yield [spreadsheet_safe(value) for value in row]
    if empty:
        yield [_("No rows match these filters.")]


def jsonl_write(enrollments: QuerySet[Enrollment], handle: IO[bytes]) -> None:
    site = site_settings_get()
    for record in siasn_records(enrollments):
        payload = siasn_payload(record, site)
        handle.write(json.dumps(payload, ensure_ascii=False).encode() + b"\n")


def _certificate_pdf(certificate: Certificate | None) -> tuple[str, bytes] | None:
    from mooc.certificates.services import version_pdf_ensure

    if certificate is None or not certificate.number or certificate.is_revoked:
        return None
    version = certificate.current_version
    if version is None:
        return None
    name = version_pdf_ensure(version, certificate)
    with private_storage().open(name, "rb") as handle:
        return certificate_file_name(certificate.number), bytes(handle.read())


def siasn_file_write(enrollments: QuerySet[Enrollment], fmt: str, handle: IO[bytes]) -> None:
    if fmt == "xlsx":
        xlsx_write(_table(enrollments), handle, title="Riwayat Kursus")
    elif fmt == "csv":
        csv_write(_table(enrollments), handle)
    elif fmt == "jsonl":
        jsonl_write(enrollments, handle)
    elif fmt == "zip":
        # PDFs are compressed already: stored as they are.
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with tempfile.TemporaryFile() as part:
                xlsx_write(_table(enrollments), part, title="Riwayat Kursus")
                part.seek(0)
                archive.writestr("riwayat-kursus.xlsx", part.read())
            with tempfile.TemporaryFile() as part:
                jsonl_write(enrollments, part)
                part.seek(0)
                archive.writestr("riwayat-kursus.jsonl", part.read())
            certificates = Certificate.objects.filter(
                enrollment__in=enrollments.values("pk"),
                state=CertificateState.VALID,
                number__isnull=False,
            ).select_related("current_version")
            for certificate in certificates.iterator(chunk_size=500):
                pdf = _certificate_pdf(certificate)
                if pdf is not None:
                    archive.writestr(
                        f"sertifikat/{pdf[0]}", pdf[1], compress_type=zipfile.ZIP_STORED
                    )
    else:
        raise ValueError(fmt)


# --- Direct push --------------------------------------------------------------------------


class SiasnClient(Protocol):
    def pns_id(self, nip: str) -> str: ...

    def upload_document(self, *, name: str, content: bytes) -> str: ...

    def save_course(self, payload: dict[str, Any]) -> str: ...


class HttpSiasnClient:
    """SIASN's web service over HTTP: a bearer token, JSON in and out."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 30) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, method: str, path: str, body: bytes | None, content_type: str) -> Any:
        request = urllib.request.Request(  # noqa: S310 - the URL is the configured SIASN
            self.base_url + path,
            data=body,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": content_type},
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            return json.loads(response.read().decode())

    def pns_id(self, nip: str) -> str:
        answer = self._call("GET", f"/apisiasn/1.0/pns/data-utama/{nip}", None, "application/json")
        return str(answer["data"]["id"])

    def upload_document(self, *, name: str, content: bytes) -> str:
        answer = self._call(
            "POST", f"/apisiasn/1.0/upload-dok-rw?nama={name}", content, "application/pdf"
        )
        return str(answer["data"]["dok_id"])

    def save_course(self, payload: dict[str, Any]) -> str:
        answer = self._call(
            "POST", "/apisiasn/1.0/kursus/save", json.dumps(payload).encode(), "application/json"
        )
        if not answer.get("success"):
            raise ServiceError(str(answer.get("message") or _("SIASN refused the row.")))
        return str(answer["mapData"]["rwKursusId"])


def siasn_push_enabled() -> bool:
    return bool(settings.SIASN_PUSH_URL)


def siasn_client() -> SiasnClient:
    if not siasn_push_enabled():
        raise ServiceError(_("Sending to SIASN is not configured."), code="push_off")
    return HttpSiasnClient(settings.SIASN_PUSH_URL, settings.SIASN_PUSH_TOKEN)


def siasn_batch_push(
    *, batch: SiasnBatch, actor: User, client: SiasnClient | None = None, request: Any = None
) -> int:
    """Send the batch's rows not sent yet; each sent row keeps SIASN's record id.

    Stops at the first failure (what was sent stays recorded) and says so.
    """
    client = client or siasn_client()
    site = site_settings_get()
    rows = (
        SiasnBatchRow.objects.filter(batch=batch, siasn_id="")
        .select_related(
            "enrollment__user",
            "enrollment__course",
            "enrollment__certificate",
            "enrollment__certificate__current_version",
        )
        .order_by("pk")
    )
    sent = 0
    try:
        for row in rows:
            enrollment = row.enrollment
            payload = siasn_payload(record_of(enrollment), site)
            payload["pnsOrangId"] = client.pns_id(enrollment.user.username)
            pdf = _certificate_pdf(getattr(enrollment, "certificate", None))
            if pdf is not None:
                dok_id = client.upload_document(name=pdf[0], content=pdf[1])
                payload["path"] = [{"dok_id": dok_id, "dok_nama": pdf[0], "object": pdf[0]}]
            row.siasn_id = client.save_course(payload)
            row.pushed_at = timezone.now()
            row.save(update_fields=["siasn_id", "pushed_at"])
            sent += 1
    except (OSError, ValueError, KeyError, ServiceError) as error:
        logger.warning("SIASN push of batch %s stopped: %s", batch.pk, error)
        raise ServiceError(
            _("SIASN push stopped after %(sent)s rows: %(error)s") % {"sent": sent, "error": error}
        ) from error
    finally:
        audit_log_record(
            actor=actor,
            action="reports.siasn_push",
            target=batch,
            after={"sent": sent},
            request=request,
        )
    return sent
