"""Importing users and units from the spreadsheets BPSDM already keeps.

Two steps, always: a dry run validates every row and says what would happen;
the commit validates again (the database may have changed meanwhile) and
writes everything in one transaction, or nothing when any row is wrong.

Files are taken as people save them: CSV in UTF-8 with or without a byte order
mark, CRLF or LF, comma or semicolon (Excel in an Indonesian locale writes
semicolons), or an Excel .xlsx workbook (its first sheet). Row numbers are the
ones the spreadsheet shows: the header is row 1. Cells are plain text, never
evaluated, so "=cmd|…" is only a strange name.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from mooc.accounts.models import EmployeeType, Unit, User
from mooc.accounts.nip import NipError, parse_nip, validate_external_username
from mooc.core.errors import ServiceError
from mooc.core.services import audit_log_record

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000  # data rows, the header not counted
# Empty rows are skipped, but only so many: a sheet "formatted" down to row
# 1,048,576 would otherwise be read to the end.
MAX_RECORDS = 5 * MAX_ROWS
MAX_COLUMNS = 50
# An .xlsx is a zip: 807 KB unpacked to 20 million shared strings, which openpyxl
# keeps in a list (155 s and ~3 GB; issue 14, F6). The zip's directory is checked
# before openpyxl opens it: parts, unpacked sizes and the number of strings. Generous
# for MAX_ROWS rows of user data (a few MB unpacked).
MAX_XLSX_PARTS = 200
MAX_XLSX_PART_BYTES = 32 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_XLSX_STRINGS = 20 * MAX_ROWS
# A string item of the shared-strings part, `<si>` or with any namespace prefix (`<x:si>`).
_XLSX_STRING = re.compile(rb"[<:]si[\s/>]")
_QUERY_CHUNK = 500  # values per IN (...) query; SQLite limits the parameters of one query
_EXCEL_EXACT_DIGITS = 15  # Excel keeps 15 significant digits of a number

FileKind = Literal["csv", "xlsx"]

FILE_TOO_LARGE = _("The file is larger than %(limit)s MB. Split it into smaller files.")
FILE_TOO_MANY_ROWS = _("The file has more than %(limit)s rows. Split it into smaller files.")
FILE_WRONG_TYPE = _("Only CSV (.csv) and Excel (.xlsx) files can be imported.")
FILE_NOT_UTF8 = _(
    "The file is not saved as UTF-8 text. In Excel choose “Save As”, file type "
    "“CSV UTF-8 (Comma delimited)”, and upload the new file."
)
FILE_BAD_CSV = _("The file could not be read as CSV.")
FILE_BAD_XLSX = _(
    "The Excel file could not be read. Open it in Excel, save it as .xlsx and upload it again."
)
FILE_EMPTY = _("The file has no rows below the header row.")
FILE_XLSX_TOO_BIG = _(
    "The Excel file holds more than a user list needs (more than %(limit)s MB unpacked, "
    "or too many parts or texts). Copy the user list alone into a new workbook, or "
    "split it into smaller files."
)
FILE_MISSING_COLUMNS = _(
    "The first row must name the columns. Missing: %(columns)s. Expected: %(expected)s."
)

REQUIRED = _("This value is required.")
TOO_LONG = _("At most %(limit)s characters.")
EXCEL_NUMBER = _(
    "Excel stored this NIP as a number and dropped digits. Format the column as Text, "
    "type the NIPs again and save."
)


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it: the header is row 1
    field: str  # a column name, or "" for the row as a whole
    message: StrOrPromise


@dataclass(frozen=True)
class Table:
    """The rows of an uploaded file, every cell as stripped text."""

    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    # Cells Excel holds as numbers too long to be exact (an 18-digit NIP typed
    # into a number column): (row, column).
    inexact_numbers: frozenset[tuple[int, str]] = frozenset()


# --- Reading files -------------------------------------------------------------


def file_kind(name: str) -> FileKind:
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith(".xlsx"):
        return "xlsx"
    raise ServiceError(FILE_WRONG_TYPE, field="file", code="wrong_type")


def _column_key(header: object) -> str:
    """ "NIP/Username", "nip username" and "nip_username" all name the same column."""
    text = "".join(ch if ch.isalnum() else " " for ch in str(header or "").lower())
    return "_".join(text.split())


def _too_many_rows() -> ServiceError:
    return ServiceError(
        FILE_TOO_MANY_ROWS % {"limit": number_format(MAX_ROWS, force_grouping=True)},
        field="file",
        code="too_many_rows",
    )


def _csv_records(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")  # drops the byte order mark Excel writes
    except UnicodeDecodeError:
        raise ServiceError(FILE_NOT_UTF8, field="file", code="not_utf8") from None
    if "\x00" in text:
        raise ServiceError(FILE_BAD_CSV, field="file", code="bad_csv")
    header_line = text.split("\n", 1)[0]
    # The header names plain columns, so whichever separator it uses most is the one.
    delimiter = max(",;\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        raise ServiceError(FILE_BAD_CSV, field="file", code="bad_csv") from None


def _xlsx_text(value: Any) -> tuple[str, bool]:
    """A cell as text, and whether Excel lost digits of it."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, int):
        return str(value), False
    if isinstance(value, float):
        if value.is_integer():
            digits = str(int(value))
            return digits, len(digits.lstrip("-")) > _EXCEL_EXACT_DIGITS
        return repr(value), False
    if hasattr(value, "isoformat"):
        return value.isoformat(), False
    return str(value), False


def _xlsx_too_big() -> ServiceError:
    return ServiceError(
        FILE_XLSX_TOO_BIG % {"limit": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)},
        field="file",
        code="xlsx_too_big",
    )


def _xlsx_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """How many string items a part holds, counted while it streams past."""
    count, tail = 0, b""
    with archive.open(info) as part:
        while chunk := part.read(1024 * 1024):
            window = tail + chunk
            # A match starting in the last few bytes may be cut off: it is counted with
            # the next chunk, which starts with those bytes.
            keep = max(len(window) - 8, 0)
            count += sum(1 for match in _XLSX_STRING.finditer(window) if match.start() < keep)
            tail = window[keep:]
    return count + len(_XLSX_STRING.findall(tail))


def _xlsx_check(data: bytes) -> None:
    """Refuse a workbook whose zip unpacks to more than a user list could need, from
    its directory and a streaming count, before openpyxl reads any of it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if (
                len(infos) > MAX_XLSX_PARTS
                or any(info.file_size > MAX_XLSX_PART_BYTES for info in infos)
                or sum(info.file_size for info in infos) > MAX_XLSX_UNPACKED_BYTES
            ):
                raise _xlsx_too_big()
            # Every part is counted, not only xl/sharedStrings.xml: the workbook's
            # content types may name the shared strings part anything.
            strings = 0
            for info in infos:
                strings += _xlsx_strings(archive, info)
                if strings > MAX_XLSX_STRINGS:
                    raise _xlsx_too_big()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise ServiceError(FILE_BAD_XLSX, field="file", code="bad_xlsx") from None


def _xlsx_records(data: bytes, inexact: set[tuple[int, int]]) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    _xlsx_check(data)

    try:
        # read_only streams the sheet; data_only reads what a formula showed, not the formula.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise ServiceError(FILE_BAD_XLSX, field="file", code="bad_xlsx") from None
    try:
        sheet = workbook.worksheets[0]
        for index, values in enumerate(
            sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
        ):
            record = []
            for column, value in enumerate(values):
                text, lost = _xlsx_text(value)
                if lost:
                    inexact.add((index, column))
                record.append(text)
            yield record
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError) as exc:
        raise ServiceError(FILE_BAD_XLSX, field="file", code="bad_xlsx") from exc
    finally:
        workbook.close()


def file_read(path: Path) -> bytes:
    """A file's bytes for the import commands; a file too large is refused before it is
    read, as the admin's upload form refuses it."""
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        raise _too_large()
    return path.read_bytes()


def _too_large() -> ServiceError:
    return ServiceError(
        FILE_TOO_LARGE % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
        field="file",
        code="too_large",
    )


def table_read(*, name: str, data: bytes, required: Sequence[str], known: Sequence[str]) -> Table:
    """Read an upload into a Table, or raise ServiceError for the file as a whole.

    Empty rows are skipped but still counted, as the spreadsheet counts them.
    """
    kind = file_kind(name)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large()
    inexact_cells: set[tuple[int, int]] = set()
    if kind == "csv":
        if data.startswith(b"PK\x03\x04"):  # a workbook renamed to .csv
            raise ServiceError(FILE_BAD_CSV, field="file", code="bad_csv")
        records: Iterator[list[str]] = _csv_records(data)
    else:
        records = _xlsx_records(data, inexact_cells)

    header = next(records, None)
    columns = tuple(_column_key(cell) for cell in (header or []))
    missing = [column for column in required if column not in columns]
    if missing:
        raise ServiceError(
            FILE_MISSING_COLUMNS % {"columns": ", ".join(missing), "expected": ", ".join(known)},
            field="file",
            code="missing_columns",
        )
    wanted = {index: column for index, column in enumerate(columns) if column in known}
    rows: list[tuple[int, dict[str, str]]] = []
    inexact: set[tuple[int, str]] = set()
    for number, record in enumerate(records, start=2):
        if number > MAX_RECORDS:
            raise _too_many_rows()
        cells = dict.fromkeys(known, "")
        for index, column in wanted.items():
            if index < len(record) and not cells[column]:
                cells[column] = str(record[index]).strip()
                if (number, index) in inexact_cells:
                    inexact.add((number, column))
        if not any(cells.values()):
            continue
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows()
        rows.append((number, cells))
    if not rows:
        raise ServiceError(FILE_EMPTY, field="file", code="empty")
    return Table(columns=columns, rows=tuple(rows), inexact_numbers=frozenset(inexact))


def _chunks(values: Collection[str]) -> Iterator[list[str]]:
    items = list(values)
    for start in range(0, len(items), _QUERY_CHUNK):
        yield items[start : start + _QUERY_CHUNK]


class _Errors:
    """Collects RowErrors; knows whether a given row has any."""

    def __init__(self) -> None:
        self.items: list[RowError] = []
        self._rows: set[int] = set()

    def add(self, row: int, column: str, message: StrOrPromise) -> None:
        self.items.append(RowError(row=row, field=column, message=message))
        self._rows.add(row)

    def has(self, row: int) -> bool:
        return row in self._rows

    def check_length(self, row: int, column: str, value: str, limit: int) -> bool:
        if len(value) > limit:
            self.add(row, column, TOO_LONG % {"limit": limit})
            return False
        return True


# --- Users ---------------------------------------------------------------------

USER_COLUMNS = (
    "employee_type",
    "nip_username",
    "full_name",
    "email",
    "phone",
    "jabatan",
    "unit_code",
    "instansi",
)
USER_REQUIRED_COLUMNS = ("employee_type", "nip_username", "full_name", "email")
# The downloadable template's example rows: one internal employee, one external user.
USER_TEMPLATE_ROWS = (
    {
        "employee_type": "internal",
        "nip_username": "198609262015051001",
        "full_name": "Rina Wulandari",
        "email": "rina.wulandari@example.go.id",
        "phone": "081234567890",
        "jabatan": "Analis SDM Aparatur",
        "unit_code": "KODE-UNIT",
        "instansi": "",
    },
    {
        "employee_type": "external",
        "nip_username": "budi.santoso",
        "full_name": "Budi Santoso",
        "email": "budi.santoso@example.com",
        "phone": "",
        "jabatan": "",
        "unit_code": "",
        "instansi": "Pemerintah Kota Contoh",
    },
)
_EMPLOYEE_TYPES = {
    "internal": EmployeeType.INTERNAL,
    "intern": EmployeeType.INTERNAL,
    "external": EmployeeType.EXTERNAL,
    "eksternal": EmployeeType.EXTERNAL,
}


@dataclass(frozen=True)
class UserRow:
    row: int
    employee_type: str
    username: str  # a normalized NIP for internal employees
    nip_kind: str
    full_name: str
    email: str
    phone: str
    jabatan: str
    unit: Unit | None
    instansi: str


@dataclass
class UserImportReport:
    rows: list[UserRow] = field(default_factory=list)  # the valid rows: what would be created
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _user_field_limit(name: str) -> int:
    limit: int | None = getattr(User._meta.get_field(name), "max_length", None)
    return limit or 255


def _user_row_clean(
    number: int, cells: dict[str, str], table: Table, errors: _Errors, units: _UnitLookup
) -> UserRow | None:
    employee_type = _EMPLOYEE_TYPES.get(cells["employee_type"].lower())
    if not cells["employee_type"]:
        errors.add(number, "employee_type", REQUIRED)
    elif employee_type is None:
        errors.add(number, "employee_type", _("Write internal or external."))

    username = cells["nip_username"]
    nip_kind = ""
    if not username:
        errors.add(number, "nip_username", REQUIRED)
    elif (number, "nip_username") in table.inexact_numbers:
        errors.add(number, "nip_username", EXCEL_NUMBER)
    elif employee_type == EmployeeType.INTERNAL:
        try:
            info = parse_nip(username)
        except NipError as error:
            errors.add(number, "nip_username", error.message)
        else:
            username, nip_kind = info.nip, info.kind
    elif employee_type == EmployeeType.EXTERNAL:
        try:
            validate_external_username(username)
        except ValidationError as error:
            errors.add(number, "nip_username", error.messages[0])

    full_name = cells["full_name"]
    if not full_name:
        errors.add(number, "full_name", REQUIRED)
    errors.check_length(number, "full_name", full_name, _user_field_limit("full_name"))

    email = User.objects.normalize_email(cells["email"])
    if not email:
        errors.add(number, "email", REQUIRED)
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.add(number, "email", _("Enter a valid e-mail address."))
    errors.check_length(number, "phone", cells["phone"], _user_field_limit("phone"))
    errors.check_length(number, "jabatan", cells["jabatan"], _user_field_limit("jabatan"))

    unit = None
    instansi = ""
    if employee_type == EmployeeType.INTERNAL:
        code = cells["unit_code"]
        if not code:
            errors.add(number, "unit_code", _("Internal employees need the code of their unit."))
        else:
            unit = units.get(code)
            if unit is None:
                errors.add(number, "unit_code", _("No unit has this code."))
            elif not unit.is_active:
                errors.add(number, "unit_code", _("This unit is inactive."))
    elif employee_type == EmployeeType.EXTERNAL:
        instansi = cells["instansi"]
        if not instansi:
            errors.add(number, "instansi", _("External users need the name of their institution."))
        errors.check_length(number, "instansi", instansi, _user_field_limit("instansi"))

    if errors.has(number) or employee_type is None:
        return None
    return UserRow(
        row=number,
        employee_type=employee_type,
        username=username,
        nip_kind=nip_kind,
        full_name=full_name,
        email=email,
        phone=cells["phone"],
        jabatan=cells["jabatan"],
        unit=unit,
        instansi=instansi,
    )


class _UnitLookup:
    """Units by code, fetched in a few queries for the whole file."""

    def __init__(self, codes: Iterable[str]) -> None:
        wanted = {code.lower() for code in codes if code}
        self._exact: dict[str, Unit] = {}
        self._folded: dict[str, Unit] = {}
        for chunk in _chunks(wanted):
            for unit in Unit.objects.annotate(code_lower=Lower("code")).filter(
                code_lower__in=chunk
            ):
                self._exact[unit.code] = unit
                self._folded.setdefault(unit.code.lower(), unit)

    def get(self, code: str) -> Unit | None:
        return self._exact.get(code) or self._folded.get(code.lower())


def _existing(field_name: str, values: Collection[str]) -> set[str]:
    """Which of `values` (lower case) are already taken, compared case-insensitively."""
    taken: set[str] = set()
    for chunk in _chunks(values):
        taken.update(
            User.objects.annotate(folded=Lower(field_name))
            .filter(folded__in=chunk)
            .values_list("folded", flat=True)
        )
    return taken


def _duplicates_flag(
    rows: list[UserRow],
    errors: _Errors,
    key: Callable[[UserRow], str],
    column: str,
    taken_message: StrOrPromise,
    field_name: str,
) -> None:
    first_row: dict[str, int] = {}
    for user_row in rows:
        value = key(user_row).lower()
        if value in first_row:
            errors.add(
                user_row.row,
                column,
                _("Also on row %(row)s of this file.") % {"row": first_row[value]},
            )
        else:
            first_row[value] = user_row.row
    taken = _existing(field_name, first_row)
    for user_row in rows:
        if key(user_row).lower() in taken:
            errors.add(user_row.row, column, taken_message)


def users_import_check(*, table: Table) -> UserImportReport:
    """Validate every row; nothing is written."""
    errors = _Errors()
    units = _UnitLookup(cells["unit_code"] for _number, cells in table.rows)
    candidates = [
        row
        for number, cells in table.rows
        if (row := _user_row_clean(number, cells, table, errors, units)) is not None
    ]
    _duplicates_flag(
        candidates,
        errors,
        lambda row: row.username,
        "nip_username",
        _("This NIP/Username is already registered."),
        "username",
    )
    _duplicates_flag(
        candidates,
        errors,
        lambda row: row.email,
        "email",
        _("This e-mail address is already registered."),
        "email",
    )
    errors.items.sort(key=lambda error: error.row)
    return UserImportReport(
        rows=[row for row in candidates if not errors.has(row.row)], errors=errors.items
    )


def user_import_template(kind: FileKind) -> bytes:
    """The user list's template: the header row and two example rows, as CSV (UTF-8 with
    a byte order mark, which Excel needs to read it as UTF-8) or as an .xlsx whose cells
    are all text, so Excel keeps an 18-digit NIP whole instead of rounding it."""
    rows = [list(USER_COLUMNS)] + [[row[c] for c in USER_COLUMNS] for row in USER_TEMPLATE_ROWS]
    if kind == "csv":
        out = io.StringIO()
        out.write("\ufeff")
        csv.writer(out).writerows(rows)
        return out.getvalue().encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "users"
    for row in rows:
        sheet.append(row)
    for column in sheet.iter_cols(min_row=1, max_row=len(rows) + 500):
        for cell in column:
            cell.number_format = "@"
        sheet.column_dimensions[column[0].column_letter].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _users_create(rows: Sequence[UserRow]) -> list[User]:
    now = timezone.now()
    users = [
        User(
            username=row.username,
            employee_type=row.employee_type,
            nip_kind=row.nip_kind,
            unit=row.unit,
            instansi=row.instansi,
            full_name=row.full_name,
            email=row.email,
            phone=row.phone,
            jabatan=row.jabatan,
            # No password to leak or to mail: the owner sets one through
            # "Lupa Password", which asks for the NIP and this e-mail address.
            password=make_password(None),
            activated_at=now,
            date_joined=now,
        )
        for row in rows
    ]
    return User.objects.bulk_create(users, batch_size=_QUERY_CHUNK)


def users_import(
    *,
    actor: User | None,
    name: str,
    data: bytes,
    commit: bool,
    request: HttpRequest | None = None,
) -> UserImportReport:
    """Check an uploaded user list and, with `commit` and no errors, create every account.

    Accounts are created activated and without a usable password. One audit
    entry names them all.
    """
    table = table_read(name=name, data=data, required=USER_REQUIRED_COLUMNS, known=USER_COLUMNS)
    report = users_import_check(table=table)
    if not commit or not report.ok:
        return report
    try:
        with transaction.atomic():
            created = _users_create(report.rows)
            audit_log_record(
                actor=actor,
                action="users.imported",
                after={
                    "file": name,
                    "created": len(created),
                    "usernames": [u.username for u in created],
                },
                request=request,
            )
    except IntegrityError as exc:
        raise ServiceError(
            _(
                "Somebody registered one of these NIPs or e-mail addresses a moment ago. "
                "Check the file again."
            ),
            code="race",
        ) from exc
    _imported_accounts_notify([user.pk for user in created])
    report.committed = True
    return report


def _imported_accounts_notify(user_ids: list[int]) -> None:
    """One background task mails every new account its set-password link, after the
    import has committed (an import that rolled back mails nobody)."""
    from mooc.accounts.tasks import imported_accounts_notify

    if user_ids:
        transaction.on_commit(
            lambda: imported_accounts_notify.delay(user_ids=user_ids), robust=True
        )


# --- Units ---------------------------------------------------------------------

UNIT_COLUMNS = ("code", "name", "parent_code")
UNIT_REQUIRED_COLUMNS = ("code", "name")

UnitAction = Literal["create", "update", "unchanged"]


@dataclass(frozen=True)
class UnitChange:
    row: int
    code: str
    name: str
    parent_code: str  # "" for a top-level unit
    action: UnitAction
    old_name: str = ""
    old_parent_code: str = ""

    @property
    def renamed(self) -> bool:
        return self.action == "update" and self.old_name != self.name

    @property
    def moved(self) -> bool:
        return self.action == "update" and self.old_parent_code != self.parent_code


@dataclass
class UnitImportReport:
    changes: list[UnitChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def creates(self) -> list[UnitChange]:
        return [change for change in self.changes if change.action == "create"]

    @property
    def updates(self) -> list[UnitChange]:
        return [change for change in self.changes if change.action == "update"]

    @property
    def unchanged(self) -> list[UnitChange]:
        return [change for change in self.changes if change.action == "unchanged"]


@dataclass(frozen=True)
class _StoredUnit:
    name: str
    parent_code: str


def _stored_units() -> dict[str, _StoredUnit]:
    """Every unit by code with its parent's code: the tree as it is now."""
    rows = list(Unit.objects.values_list("code", "name", "path"))
    code_by_path = {path: code for code, _name, path in rows}
    step = Unit.steplen
    return {
        code: _StoredUnit(name=name, parent_code=code_by_path.get(path[:-step], ""))
        for code, name, path in rows
    }


def _cycle_from(code: str, parent_of: dict[str, str]) -> list[str]:
    """The cycle met when walking up from `code`, or [] if the walk reaches the top."""
    seen: list[str] = []
    current = code
    while current and current not in seen:
        seen.append(current)
        current = parent_of.get(current, "")
    return seen[seen.index(current) :] if current else []


def units_import_check(*, table: Table) -> UnitImportReport:
    """Validate every row and work out what each would create or change."""
    errors = _Errors()
    stored = _stored_units()
    rows: dict[str, tuple[int, str, str]] = {}  # code -> (row, name, parent code)
    for number, cells in table.rows:
        code, name, parent_code = cells["code"], cells["name"], cells["parent_code"]
        if not code:
            errors.add(number, "code", REQUIRED)
        errors.check_length(number, "code", code, Unit._meta.get_field("code").max_length or 50)
        if not name:
            errors.add(number, "name", REQUIRED)
        errors.check_length(number, "name", name, Unit._meta.get_field("name").max_length or 255)
        if code and code in rows:
            errors.add(
                number, "code", _("Also on row %(row)s of this file.") % {"row": rows[code][0]}
            )
            continue
        if code and parent_code == code:
            errors.add(number, "parent_code", _("A unit cannot be its own parent."))
        if code:
            rows[code] = (number, name, parent_code)

    for number, _name, parent_code in rows.values():
        if parent_code and parent_code not in rows and parent_code not in stored:
            errors.add(
                number, "parent_code", _("No unit has this code, in this file or in the database.")
            )

    # The tree after the import: the file's parents over the stored ones.
    parent_of = {code: unit.parent_code for code, unit in stored.items()}
    parent_of.update({code: row[2] for code, row in rows.items()})
    reported: set[str] = set()
    for code, (_number, _name, parent_code) in rows.items():
        if code in reported or parent_code == code:
            continue
        cycle = _cycle_from(code, parent_of)
        if not cycle:
            continue
        path = " → ".join([*cycle, cycle[0]])
        for member in cycle:
            if member in rows and member not in reported:
                errors.add(
                    rows[member][0],
                    "parent_code",
                    _("The parents form a cycle: %(path)s.") % {"path": path},
                )
                reported.add(member)

    changes = []
    for code, (number, name, parent_code) in rows.items():
        if errors.has(number):
            continue
        existing = stored.get(code)
        if existing is None:
            action: UnitAction = "create"
        elif existing.name != name or existing.parent_code != parent_code:
            action = "update"
        else:
            action = "unchanged"
        changes.append(
            UnitChange(
                row=number,
                code=code,
                name=name,
                parent_code=parent_code,
                action=action,
                old_name=existing.name if existing else "",
                old_parent_code=existing.parent_code if existing else "",
            )
        )
    errors.items.sort(key=lambda error: error.row)
    return UnitImportReport(changes=changes, errors=errors.items)


def _depth(code: str, parent_of: dict[str, str]) -> int:
    depth = 0
    while parent_of.get(code):
        code = parent_of[code]
        depth += 1
    return depth


def _units_apply(changes: Sequence[UnitChange]) -> None:
    """Create and move units parents first, so every parent is in place when needed.

    Nodes are fetched fresh for each step: a move rewrites the paths of many rows.
    """
    parent_of = {code: unit.parent_code for code, unit in _stored_units().items()}
    parent_of.update({change.code: change.parent_code for change in changes})
    for change in sorted(changes, key=lambda change: _depth(change.code, parent_of)):
        if change.action == "unchanged":
            continue
        parent = Unit.objects.get(code=change.parent_code) if change.parent_code else None
        fields = {"code": change.code, "name": change.name}
        if change.action == "create":
            if parent is None:
                Unit.objects.add_root(fields)
            else:
                Unit.objects.add_child(parent, fields)
            continue
        node = Unit.objects.get(code=change.code)
        if change.renamed:
            node.name = change.name
            node.save(update_fields=["name"])
        # Moving also re-sorts a renamed unit among its siblings (node_order_by).
        if parent is None:
            Unit.objects.move(node, Unit.objects.get_first_root_node(), pos="sorted-sibling")
        else:
            Unit.objects.move(node, parent, pos="sorted-child")


def units_import(
    *,
    actor: User | None,
    name: str,
    data: bytes,
    commit: bool,
    request: HttpRequest | None = None,
) -> UnitImportReport:
    """Check a unit list and, with `commit` and no errors, create and update the units."""
    table = table_read(name=name, data=data, required=UNIT_REQUIRED_COLUMNS, known=UNIT_COLUMNS)
    report = units_import_check(table=table)
    if not commit or not report.ok:
        return report
    with transaction.atomic():
        _units_apply(report.changes)
        audit_log_record(
            actor=actor,
            action="units.imported",
            after={
                "file": name,
                "created": [change.code for change in report.creates],
                "updated": [change.code for change in report.updates],
            },
            request=request,
        )
    report.committed = True
    return report
