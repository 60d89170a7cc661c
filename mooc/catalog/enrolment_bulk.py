"""Enrolling many learners at once from the admin, and exporting a course's enrolments.

An admin enrols a whole unit (optionally with its sub-units) or a pasted list of NIPs
and usernames. The same lookup runs twice: once as a dry run whose report the admin
reads, and again inside the transaction that writes, so the enrolments match the
database at that moment rather than the page the admin looked at.

Admins may enrol learners whatever the course's enrolment window or run dates (a unit
sent to a course after its window closed is routine); who may take the course at all
still applies: deactivated accounts, and external accounts in an internal-only course,
are reported as not allowed.

Queries are set-based: however many names are pasted, users are looked up a thousand
names per query, each with an "already enrolled?" subquery, and the new rows are
inserted with `bulk_create(ignore_conflicts=True)`, so a learner who enrols on their
own at the same moment is neither duplicated nor an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from mooc.accounts.backends import normalize_username
from mooc.accounts.models import EmployeeType, Unit, User
from mooc.accounts.nip import NIP_LENGTH, looks_like_nip, normalize_nip
from mooc.catalog.models import Course, Enrollment
from mooc.core.emails import email_notice_to_many
from mooc.core.errors import ServiceError
from mooc.core.services import audit_log_record
from mooc.core.timezones import institution_tz

MAX_NAMES = 10_000
_LOOKUP_CHUNK = 1_000
_INSERT_BATCH = 1_000

NOT_ALLOWED_INACTIVE = _("account deactivated")
NOT_ALLOWED_INTERNAL_ONLY = _("external account; the course is for internal employees only")

# --- Parsing the pasted list ------------------------------------------------------------

# Lines, commas, semicolons and tabs always separate entries; spaces may also sit inside
# a NIP ("19860926 201505 1 001"), see `_split_words`.
_ENTRY_SEPARATORS = re.compile(r"[\r\n,;\t]+")
_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def _split_words(words: Sequence[str]) -> list[str]:
    """Space-separated words, with runs of digit groups that add up to 18 digits joined
    back into one NIP: `19860926 201505 1 001 budi` → the NIP and `budi`."""
    entries: list[str] = []
    run: list[str] = []
    digits = 0
    for word in words:
        number = normalize_nip(word)
        if _DIGITS.fullmatch(number) is None:
            entries.extend(run)
            run, digits = [], 0
            entries.append(word)
            continue
        if digits + len(number) > NIP_LENGTH:
            entries.extend(run)
            run, digits = [], 0
        run.append(number)
        digits += len(number)
        if digits == NIP_LENGTH:
            entries.append("".join(run))
            run, digits = [], 0
    entries.extend(run)
    return entries


def usernames_parse(text: str) -> list[str]:
    """The NIPs and usernames in pasted text, normalized, in order, without duplicates
    (usernames match case-insensitively, as at login)."""
    entries: list[str] = []
    for chunk in _ENTRY_SEPARATORS.split(text or ""):
        chunk = chunk.strip()
        if not chunk:
            continue
        if looks_like_nip(chunk):
            entries.append(normalize_nip(chunk))
        else:
            entries.extend(_split_words(chunk.split()))
    names: list[str] = []
    seen: set[str] = set()
    for entry in entries:
        name = normalize_username(entry)
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


# --- The report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Learner:
    id: int
    username: str
    full_name: str
    unit_id: int | None
    email: str = ""

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username


@dataclass(frozen=True)
class Refused:
    learner: Learner
    reason: StrOrPromise


@dataclass(frozen=True)
class BulkEnrolReport:
    """What a bulk enrolment does (dry run) or did (`applied`)."""

    to_enrol: list[Learner] = field(default_factory=list)
    already_enrolled: list[Learner] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    not_allowed: list[Refused] = field(default_factory=list)
    applied: bool = False
    # Rows actually inserted; lower than len(to_enrol) only if a learner enrolled
    # on their own between the check and the insert.
    enrolled: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "enrolled": self.enrolled if self.applied else len(self.to_enrol),
            "already_enrolled": len(self.already_enrolled),
            "not_found": len(self.not_found),
            "not_allowed": len(self.not_allowed),
        }


# --- Looking learners up ---------------------------------------------------------------------


def _with_enrolled_flag(users: QuerySet[User], course: Course) -> QuerySet[User]:
    return users.annotate(
        enrolled=Exists(Enrollment.objects.filter(course=course, user_id=OuterRef("pk")))
    )


_FIELDS = (
    "id",
    "username",
    "full_name",
    "unit_id",
    "email",
    "is_active",
    "employee_type",
    "enrolled",
)


def _users_by_names(names: Sequence[str], course: Course) -> dict[str, dict[str, Any]]:
    """Rows keyed by lower-cased username; one query per thousand names."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(names), _LOOKUP_CHUNK):
        keys = [name.lower() for name in names[start : start + _LOOKUP_CHUNK]]
        users = User.objects.annotate(username_lower=Lower("username")).filter(
            username_lower__in=keys
        )
        for row in _with_enrolled_flag(users, course).values(*_FIELDS, "username_lower"):
            found[row["username_lower"]] = row
    return found


def _users_of_unit(unit: Unit, *, include_subunits: bool) -> QuerySet[User]:
    if include_subunits:
        # A materialised path: the unit and everything under it share its prefix.
        return User.objects.filter(unit__path__startswith=unit.path)
    return User.objects.filter(unit=unit)


def _sort(
    rows: Iterable[dict[str, Any]], course: Course, report: BulkEnrolReport
) -> BulkEnrolReport:
    to_enrol: list[Learner] = []
    already: list[Learner] = []
    refused: list[Refused] = []
    for row in rows:
        learner = Learner(
            row["id"], row["username"], row["full_name"], row["unit_id"], row["email"]
        )
        if row["enrolled"]:
            already.append(learner)
        elif not row["is_active"]:
            refused.append(Refused(learner, NOT_ALLOWED_INACTIVE))
        elif course.internal_only and row["employee_type"] != EmployeeType.INTERNAL:
            refused.append(Refused(learner, NOT_ALLOWED_INTERNAL_ONLY))
        else:
            to_enrol.append(learner)
    return replace(report, to_enrol=to_enrol, already_enrolled=already, not_allowed=refused)


def enrolment_bulk_preview(
    *,
    course: Course,
    usernames: Sequence[str] | None = None,
    unit: Unit | None = None,
    include_subunits: bool = False,
) -> BulkEnrolReport:
    """The dry run: who would be enrolled, who already is, who was not found or is not
    allowed. Give either `usernames` (already parsed, see `usernames_parse`) or `unit`."""
    if (usernames is None) == (unit is None):
        raise ServiceError(
            _("Choose a unit or paste a list of NIPs/usernames, not both."), code="source"
        )
    if unit is not None:
        users = _with_enrolled_flag(_users_of_unit(unit, include_subunits=include_subunits), course)
        return _sort(users.order_by("username").values(*_FIELDS), course, BulkEnrolReport())
    names = list(usernames or [])
    if len(names) > MAX_NAMES:
        raise ServiceError(
            _("At most %(max)s NIPs/usernames at a time; split the list.") % {"max": MAX_NAMES},
            field="usernames",
            code="too_many",
        )
    found = _users_by_names(names, course)
    missing = [name for name in names if name.lower() not in found]
    rows = [found[name.lower()] for name in names if name.lower() in found]
    return _sort(rows, course, BulkEnrolReport(not_found=missing))


@transaction.atomic
def enrolment_bulk_apply(
    *,
    actor: User,
    course: Course,
    usernames: Sequence[str] | None = None,
    unit: Unit | None = None,
    include_subunits: bool = False,
    notify: bool = True,
    request: HttpRequest | None = None,
) -> BulkEnrolReport:
    """Enrol everyone the dry run would enrol, in one transaction with one audit entry.
    Running it again enrols nobody twice. With `notify` (the default) each learner it
    enrolled gets one notice naming the course; without it, nobody is mailed."""
    report = enrolment_bulk_preview(
        course=course, usernames=usernames, unit=unit, include_subunits=include_subunits
    )
    before = Enrollment.objects.filter(course=course).count()
    Enrollment.objects.bulk_create(
        [
            Enrollment(user_id=learner.id, course=course, jp=course.jp, unit_id=learner.unit_id)
            for learner in report.to_enrol
        ],
        batch_size=_INSERT_BATCH,
        ignore_conflicts=True,
    )
    enrolled = Enrollment.objects.filter(course=course).count() - before
    report = replace(report, applied=True, enrolled=max(0, min(enrolled, len(report.to_enrol))))
    source: dict[str, Any] = (
        {"source": "unit", "unit": unit.code, "include_subunits": include_subunits}
        if unit is not None
        else {"source": "list", "names": len(usernames or [])}
    )
    messages = (
        _enrolled_notice(course, [learner.email for learner in report.to_enrol]) if notify else 0
    )
    audit_log_record(
        actor=actor,
        action="course.learners_enrolled_in_bulk",
        target=course,
        after={**report.counts(), **source, "notify": notify, "notice_messages": messages},
        request=request,
    )
    return report


def _enrolled_notice(course: Course, addresses: Sequence[str]) -> int:
    """One notice for the batch, naming the course, to every learner it enrolled (in
    blind-copy groups); sent once the enrolments commit. Returns the messages queued."""
    return email_notice_to_many(
        to=addresses,
        template="enrolled-in-bulk",
        context={"course": course, "course_url": settings.SITE_URL + course.get_absolute_url()},
    )


# --- Export -------------------------------------------------------------------------------

EXPORT_FORMATS = ("csv", "xlsx")
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """Text that a spreadsheet shows, never runs: a cell starting with = + - @ (or a tab
    or carriage return, which Excel strips before looking) is prefixed with '."""
    return f"'{value}" if value.startswith(_FORMULA_TRIGGERS) else value


def _export_header() -> list[str]:
    return [
        gettext("NIP/Username"),
        gettext("Full name"),
        gettext("E-mail"),
        gettext("Position"),
        gettext("Unit at enrolment"),
        gettext("Course"),
        gettext("Status"),
        gettext("Result"),
        gettext("Final score"),
        gettext("Progress (%)"),
        gettext("Final exam attempts used"),
        gettext("Certificate number"),
        gettext("JP"),
        gettext("Enrolled at"),
        gettext("Completed at"),
    ]


def _reverse_model(accessor: str) -> Any:
    """The model behind one of User's reverse relations. Learning, exams and certificates
    sit above catalog, so it reads their rows through the relations they declare on the
    user rather than importing them."""
    return User._meta.get_field(accessor).related_model


def _count(queryset: QuerySet[Any], group: str) -> Coalesce:
    """A correlated count, zero when there is no row: one subquery per column, so the
    export stays one query per chunk however many attempts or materials there are."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_export_columns(queryset: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    progress = _reverse_model("material_progress")
    attempts = _reverse_model("exam_attempts")
    material = progress._meta.get_field("material").related_model
    return queryset.annotate(
        materials_done=_count(
            progress.objects.filter(
                user=OuterRef("user_id"),
                course=OuterRef("course_id"),
                material__is_retired=False,
                material__section__is_retired=False,
            ),
            "user",
        ),
        materials_total=_count(
            material.objects.filter(
                section__course=OuterRef("course_id"),
                is_retired=False,
                section__is_retired=False,
            ),
            "section__course",
        ),
        final_attempts=_count(
            attempts.objects.filter(
                user=OuterRef("user_id"), exam__course=OuterRef("course_id"), exam__is_final=True
            ),
            "user",
        ),
        certificate_number=F("certificate__number"),
    )


def _percent(done: int, total: int) -> int:
    # As the learner's progress bar (learning.selectors.Progress.percent).
    return round(100 * done / total) if total else 0


def _local(moment: dt.datetime | None) -> str:
    return moment.astimezone(institution_tz()).strftime("%Y-%m-%d %H:%M") if moment else ""


def enrolment_export_rows(queryset: QuerySet[Enrollment]) -> Iterator[list[Any]]:
    """The header, then one row per enrolment; text cells are formula-safe."""
    yield _export_header()
    rows = _with_export_columns(
        queryset.select_related("user", "unit", "course").order_by("course_id", "created_at")
    )
    for enrolment in rows.iterator(chunk_size=2000):
        score: Decimal | None = enrolment.final_score
        text = [
            enrolment.user.username,
            enrolment.user.full_name,
            enrolment.user.email,
            enrolment.user.jabatan,
            enrolment.unit.name if enrolment.unit else "",
            enrolment.course.title,
            str(enrolment.get_status_display()),
            str(enrolment.get_result_display()) if enrolment.result else "",
        ]
        extra: Any = enrolment
        yield [
            *(spreadsheet_safe(value) for value in text),
            score,
            _percent(extra.materials_done, extra.materials_total),
            extra.final_attempts,
            extra.certificate_number or "",
            enrolment.jp,
            _local(enrolment.created_at),
            _local(enrolment.completed_at),
        ]


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    extension: str
    rows: int


def _csv(rows: Iterator[list[Any]]) -> tuple[bytes, int]:
    out = io.StringIO()
    # The BOM makes Excel read UTF-8 (names with é, ñ) instead of the ANSI code page.
    out.write("\ufeff")
    writer = csv.writer(out)
    count = -1
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
        count += 1
    return out.getvalue().encode("utf-8"), count


def _xlsx(rows: Iterator[list[Any]], title: str) -> tuple[bytes, int]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Sheet")
    count = -1
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Decimal) else value)
            if isinstance(value, str):
                # Stored as text, so Excel shows a NIP in full and never evaluates a cell.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), count


def enrolments_export(
    *,
    actor: User,
    queryset: QuerySet[Enrollment],
    fmt: str,
    course: Course | None = None,
    request: HttpRequest | None = None,
) -> ExportFile:
    """The enrolments as CSV (UTF-8 with BOM) or XLSX. Learners' personal data leaves the
    system here, so each export is kept in the audit log."""
    if fmt not in EXPORT_FORMATS:
        raise ServiceError(_("Unknown export format."), code="format")
    rows = enrolment_export_rows(queryset)
    if fmt == "csv":
        content, count = _csv(rows)
        content_type = "text/csv; charset=utf-8"
    else:
        content, count = _xlsx(rows, gettext("Enrolments"))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit_log_record(
        actor=actor,
        action="course.enrolments_exported",
        target=course,
        after={"format": fmt, "rows": count},
        request=request,
    )
    return ExportFile(content=content, content_type=content_type, extension=fmt, rows=count)
