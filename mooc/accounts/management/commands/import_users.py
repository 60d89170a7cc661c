from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mooc.accounts.imports import file_read, users_import
from mooc.core.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Check a CSV or XLSX list of users and, with --commit, create the accounts "
        "(activated, without a password: people set one with Lupa Password). "
        "Exits non-zero when any row is wrong; then nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--commit", action="store_true", help="Write the accounts (default: dry run)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            report = users_import(
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
        for row in report.rows:
            where = row.unit.code if row.unit else row.instansi
            fields = [row.username, row.full_name, row.email, where]
            self.stdout.write(f"row {row.row}\t" + "\t".join(fields))
        if report.committed:
            self.stdout.write(self.style.SUCCESS(f"Created {len(report.rows)} account(s)."))
        else:
            self.stdout.write(
                f"Dry run: {len(report.rows)} account(s) would be created. "
                "Run again with --commit to import."
            )
