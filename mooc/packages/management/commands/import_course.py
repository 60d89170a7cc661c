from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from mooc.packages.importer import course_package_import
from mooc.packages.report import PackageReport


class Command(BaseCommand):
    help = (
        "Import a course package (a folder or a .zip with a course.yaml manifest). "
        "Re-importing a course updates it in place. All or nothing: on any error nothing "
        "is written and the command exits non-zero. Format: docs/course-packages.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Package folder, .zip, or course.yaml.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = course_package_import(source=options["path"])
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                gettext(
                    "%(count)s problem(s) in %(source)s; nothing was imported. Correct each "
                    "line above (file:line field: problem) and import again; the section "
                    "“Errors” of the course package guide explains them."
                )
                % {"count": len(report.errors), "source": report.source}
            )
        if not report.committed:
            raise CommandError(
                gettext("Nothing was imported from %(source)s.") % {"source": report.source}
            )
        self.stdout.write(_summary(report))
        message = f"Imported {report.course_slug} from {report.source}."
        if not report.changed:
            message = f"{report.course_slug} is up to date with {report.source}; nothing changed."
        self.stdout.write(self.style.SUCCESS(message))


def _summary(report: PackageReport) -> str:
    lines = ["kind        created  updated  unchanged  retired  deleted"]
    for kind, created, updated, unchanged, retired, deleted in report.rows():
        lines.append(
            f"{kind:<11} {created:>7}  {updated:>7}  {unchanged:>9}  {retired:>7}  {deleted:>7}"
        )
    return "\n".join(lines)
