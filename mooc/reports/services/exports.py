"""Report exports: CSV and XLSX, streamed, with a Celery job for the big ones.

- Text cells are formula-safe: one starting with = + - @ (or a tab or carriage return,
  which spreadsheets strip first) gets a leading apostrophe, so it is shown, not run.
- CSV is written row by row into the response; XLSX by openpyxl's write-only mode into
  a temporary file, then sent from disk: memory stays flat however many rows.
- An export with no rows is a file with the headers and a note, not an error.
- More rows than settings.REPORTS_EXPORT_SYNC_ROWS: a `ReportExport` job, built by a
  task that reports its progress; the page polls it and offers the file when ready.
"""

from __future__ import annotations

import csv
import logging
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from mooc.accounts.models import User
from mooc.core.services import audit_log_record
from mooc.reports.forms import ReportFilterForm
from mooc.reports.models import ExportState, ReportExport
from mooc.reports.selectors.scope import scope_for
from mooc.reports.tables import (
    REPORTS_WITHOUT_OBJECT,
    Table,
    course_table,
    evaluation_table,
    gain_table,
    learner_table,
)

logger = logging.getLogger(__name__)

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
REPORT_NAMES = (*REPORTS_WITHOUT_OBJECT, "course", "learner", "evaluation", "gain")


def spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return f"'{value}"
    return value


def _cells(row: Iterable[Any]) -> list[Any]:
    return [spreadsheet_safe("" if value is None else value) for value in row]


def table_rows(table: Table) -> Iterator[list[Any]]:
    """The header, the rows (formula-safe), or a note when there are none."""
    yield list(table.headers)
    empty = True
    for row in table.rows():
        empty = False
        yield _cells(row)
    if empty:
        yield [_("No rows match these filters.")]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[list[Any]]) -> Iterator[str]:
    # The BOM makes Excel read UTF-8 (names with é, ñ) instead of the ANSI code page.
    yield "\ufeff"
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)


def xlsx_write(rows: Iterable[list[Any]], handle: IO[bytes], *, title: str = "Laporan") -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append(row)
    workbook.save(handle)


def csv_write(rows: Iterable[list[Any]], handle: IO[bytes]) -> None:
    for chunk in csv_stream(rows):
        handle.write(chunk.encode())


def table_for(*, report: str, params: QueryDict | dict[str, Any], user: User) -> Table:
    """The report's table for `user`, with the filters of `params`, checked against
    the user's scope (Http404 / PermissionDenied as on the pages)."""
    from django.http import Http404

    scope = scope_for(user)
    query = params if isinstance(params, QueryDict) else _query(params)
    form = ReportFilterForm(query, scope=scope)
    filters = form.report_filter()
    if report in REPORTS_WITHOUT_OBJECT:
        if report != "courses":
            scope.require_units()
        elif not scope.sees_anything:
            raise Http404
        return REPORTS_WITHOUT_OBJECT[report](filters)
    try:
        object_id = int(query.get("id", ""))
    except ValueError:
        raise Http404 from None
    if report == "course":
        return course_table(filters, scope.course_or_404(object_id))
    if report == "learner":
        return learner_table(filters, scope.learner_or_404(object_id))
    if report == "evaluation":
        return evaluation_table(filters, scope.course_or_404(object_id))
    if report == "gain":
        return gain_table(filters, scope.course_or_404(object_id))
    raise Http404


def _query(params: dict[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query[key] = str(value)
    return query


def export_start(
    *, report: str, fmt: str, params: dict[str, str], user: User, request: Any = None
) -> ReportExport:
    from mooc.reports.tasks import report_export_task

    with transaction.atomic():
        export = ReportExport.objects.create(
            requested_by=user, report=report, fmt=fmt, params=params
        )
        audit_log_record(
            actor=user,
            action="reports.export",
            target=export,
            after={"report": report, "format": fmt, "filters": params, "background": True},
            request=request,
        )
    export_id = export.pk
    transaction.on_commit(lambda: report_export_task.delay(export_id), robust=True)
    return export


def export_build(export_id: int) -> None:
    export = ReportExport.objects.select_related("requested_by").get(pk=export_id)
    if export.state not in (ExportState.PENDING, ExportState.FAILED):
        return
    ReportExport.objects.filter(pk=export_id).update(state=ExportState.RUNNING, done=0)
    try:
        table = table_for(report=export.report, params=export.params, user=export.requested_by)
        ReportExport.objects.filter(pk=export_id).update(total=table.count)

        def counted() -> Iterator[list[Any]]:
            for done, row in enumerate(table_rows(table)):
                if done and done % 5000 == 0:
                    ReportExport.objects.filter(pk=export_id).update(done=done)
                yield row

        with tempfile.TemporaryFile() as spool:
            if export.fmt == "xlsx":
                xlsx_write(counted(), spool)
            else:
                csv_write(counted(), spool)
            spool.seek(0)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            export.file.save(f"{table.name}-{stamp}.{export.fmt}", File(spool), save=False)
        ReportExport.objects.filter(pk=export_id).update(
            state=ExportState.DONE,
            done=table.count,
            file=export.file.name,
            finished_at=timezone.now(),
        )
    except Exception as error:
        logger.exception("report export %s failed", export_id)
        ReportExport.objects.filter(pk=export_id).update(
            state=ExportState.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise


def is_big(table: Table) -> bool:
    return table.count > settings.REPORTS_EXPORT_SYNC_ROWS
