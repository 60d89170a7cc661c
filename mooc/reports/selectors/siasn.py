"""SIASN course history ("riwayat kursus"): one row per passed course, in the shape of
BKN's web service `POST /apisiasn/1.0/kursus/save`.

The fixed fields (`instansiId`, `jenisKursus`, `jenisKursusSertipikat`, `jenisDiklatId`,
`lokasiId`, `institusiPenyelenggara`) come from the site settings. `pnsOrangId` is
SIASN's own id of the employee, which SIASN looks up from the NIP: it is left empty here
and the NIP has its own column. `jumlahJam` carries JP or clock hours, as the site
settings say (default JP, see docs/reports.md).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from mooc.accounts.models import EmployeeType, Unit, User
from mooc.catalog.models import Enrollment
from mooc.core.models import SiteSettings
from mooc.core.selectors import site_settings_get
from mooc.core.timezones import institution_tz
from mooc.reports.models import SiasnBatch, SiasnBatchRow
from mooc.reports.selectors.ledger import counting_in_period
from mooc.reports.selectors.scope import Scope

PAYLOAD_FIELDS = (
    "instansiId",
    "institusiPenyelenggara",
    "jenisDiklatId",
    "jenisKursus",
    "jenisKursusSertipikat",
    "jumlahJam",
    "lokasiId",
    "namaKursus",
    "nomorSertipikat",
    "pnsOrangId",
    "tahunKursus",
    "tanggalKursus",
    "tanggalSelesaiKursus",
)


def _with_details(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    return enrollments.order_by("completed_at", "pk")


def siasn_candidates(
    *,
    scope: Scope,
    date_from: dt.date,
    date_to: dt.date,
    unit: Unit | None = None,
    only_new: bool = True,
) -> QuerySet[Enrollment]:
    """Passed enrolments of employees with a NIP, passed in the period (local days,
    both included), whose JP count (no revoked certificate)."""
    tz = institution_tz()
    start = dt.datetime.combine(date_from, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    rows = counting_in_period(start, end).filter(
        scope.user_q("user__"), user__employee_type=EmployeeType.INTERNAL
    )
    if unit is not None:
        rows = rows.filter(user__unit__path__startswith=unit.path)
    if only_new:
        rows = rows.exclude(Exists(SiasnBatchRow.objects.filter(enrollment=OuterRef("pk"))))
    return _with_details(rows)


def siasn_batch_rows(batch: SiasnBatch) -> QuerySet[Enrollment]:
    return _with_details(
        Enrollment.objects.filter(
            Exists(SiasnBatchRow.objects.filter(batch=batch, enrollment=OuterRef("pk")))
        )
    )


def siasn_of_learner(user: User) -> QuerySet[Enrollment]:
    """The learner's own rows, every year (the learner fills MyASN with them)."""
    return _with_details(
        counting_in_period(
            dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2101, 1, 1, tzinfo=dt.UTC)
        ).filter(user=user)
    )


def siasn_batches(*, scope: Scope) -> QuerySet[SiasnBatch]:
    batches = SiasnBatch.objects.select_related("created_by", "unit")
    if scope.is_admin:
        return batches
    if scope.unit is None:
        return batches.none()
    return batches.filter(unit__path__startswith=scope.unit.path)


def _ddmmyyyy(moment: dt.datetime) -> str:
    return moment.astimezone(institution_tz()).strftime("%d-%m-%Y")


# The columns a row needs, read as plain values: building five model objects per row
# cost 0.35 ms a row, minutes for a big institution's year.
RECORD_FIELDS = (
    "pk",
    "jp",
    "created_at",
    "completed_at",
    "user__username",
    "user__full_name",
    "course__title",
    "course__duration_minutes",
    "certificate__number",
)


def siasn_records(enrollments: QuerySet[Enrollment]) -> Iterator[dict[str, Any]]:
    records: Iterator[dict[str, Any]] = enrollments.values(*RECORD_FIELDS).iterator(chunk_size=2000)
    return records


def record_of(enrollment: Enrollment) -> dict[str, Any]:
    """The same record from an enrolment already loaded (with course, user, certificate)."""
    certificate = getattr(enrollment, "certificate", None)
    return {
        "pk": enrollment.pk,
        "jp": enrollment.jp,
        "created_at": enrollment.created_at,
        "completed_at": enrollment.completed_at,
        "user__username": enrollment.user.username,
        "user__full_name": enrollment.user.full_name,
        "course__title": enrollment.course.title,
        "course__duration_minutes": enrollment.course.duration_minutes,
        "certificate__number": certificate.number if certificate else None,
    }


def jumlah_jam(record: dict[str, Any], site: SiteSettings) -> int:
    if site.siasn_hours_in_jp:
        return int(record["jp"])
    minutes: int = record["course__duration_minutes"] or record["jp"] * (site.minutes_per_jp or 45)
    return math.ceil(minutes / 60)


def siasn_payload(record: dict[str, Any], site: SiteSettings | None = None) -> dict[str, Any]:
    """One row in the shape of SIASN's `kursus/save` payload (`record`: see RECORD_FIELDS)."""
    site = site or site_settings_get()
    completed_at: dt.datetime = record["completed_at"]
    return {
        "instansiId": site.siasn_instansi_id,
        "institusiPenyelenggara": site.siasn_institusi_penyelenggara or site.name,
        "jenisDiklatId": site.siasn_jenis_diklat_id,
        "jenisKursus": site.siasn_jenis_kursus,
        "jenisKursusSertipikat": site.siasn_jenis_kursus_sertipikat,
        "jumlahJam": jumlah_jam(record, site),
        "lokasiId": site.siasn_lokasi_id,
        "namaKursus": record["course__title"],
        "nomorSertipikat": record["certificate__number"] or "",
        "pnsOrangId": "",
        "tahunKursus": completed_at.astimezone(institution_tz()).year,
        "tanggalKursus": _ddmmyyyy(record["created_at"]),
        "tanggalSelesaiKursus": _ddmmyyyy(completed_at),
    }


def certificate_file_name(number: str) -> str:
    """The certificate's PDF in the zip, named by its number (a / cannot be in a name)."""
    return number.replace("/", "-").replace("\\", "-") + ".pdf"


def siasn_table_rows(enrollments: QuerySet[Enrollment]) -> Iterator[list[Any]]:
    """Rows for XLSX/CSV: the NIP and name, the payload fields, the PDF's name in the zip."""
    site = site_settings_get()
    for record in siasn_records(enrollments):
        payload = siasn_payload(record, site)
        number = payload["nomorSertipikat"]
        yield [
            record["user__username"],
            record["user__full_name"],
            *(payload[name] for name in PAYLOAD_FIELDS),
            certificate_file_name(number) if number else "",
        ]


def siasn_headers() -> list[str]:
    from django.utils.translation import gettext as _

    return ["NIP", _("Full name"), *PAYLOAD_FIELDS, _("Certificate file")]
