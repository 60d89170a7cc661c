from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mooc.accounts.imports import file_read, units_import
from mooc.core.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Check a CSV of units (code,name,parent_code) and, with --commit, create and "
        "update them. Exits non-zero when any row is wrong; then nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--commit", action="store_true", help="Write the units (default: dry run)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            report = units_import(
                actor=None, name=path.name, data=file_read(path), commit=options["commit"]
            )
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except ServiceError as error:
            raise CommandError(str(error.message)) from error

        for problem in report.errors:
            self.stdout.write(f"row {problem.row}\t{problem.field or '-'}\t{problem.message}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} problem(s) found; nothing was imported.")
        for change in report.changes:
            if change.action == "create":
                what = "create"
            elif change.action == "update":
                parts = []
                if change.renamed:
                    parts.append(f"rename from {change.old_name!r}")
                if change.moved:
                    parts.append(f"move from {change.old_parent_code or '(top)'}")
                what = "update: " + ", ".join(parts)
            else:
                continue
            parent = change.parent_code or "(top)"
            self.stdout.write(f"row {change.row}\t{change.code}\t{change.name}\t{parent}\t{what}")
        counts = (
            f"{len(report.creates)} to create, {len(report.updates)} to update, "
            f"{len(report.unchanged)} unchanged"
        )
        if report.committed:
            self.stdout.write(self.style.SUCCESS(f"Imported: {counts}."))
        else:
            self.stdout.write(f"Dry run: {counts}. Run again with --commit to import.")
