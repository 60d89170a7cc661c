from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from django.utils.translation import gettext as _

from mooc.catalog.models import Course
from mooc.core.errors import ServiceError
from mooc.exams.services.banks import question_file_parse, questions_import


class Command(BaseCommand):
    help = (
        "Import a GIFT or Aiken file into a course's question bank and print a report: "
        "the counts imported / skipped / failed, then one line per skipped or failed "
        "question with its line number and the reason. Questions already in the bank "
        "(same title, or same text when untitled) are updated, not duplicated. "
        "Exits non-zero when nothing could be imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("course_slug", help="Slug of the course whose bank receives them.")
        parser.add_argument("file", type=Path, help="GIFT (.gift, .txt) or Aiken (.txt) file.")
        parser.add_argument(
            "--format",
            choices=("gift", "aiken"),
            default=None,
            help="The file's format, when its name and content don't tell.",
        )

    # The report is for whoever runs the command, in the language of the other
    # commands (and of the SPEC's contract): English.
    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        slug: str = options["course_slug"]
        path: Path = options["file"]
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(_("There is no course with the slug %(slug)s.") % {"slug": slug})
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
            ) from error
        try:
            result = question_file_parse(data=data, filename=path.name, fmt=options["format"])
        except ServiceError as error:
            raise CommandError(f"{path.name}: {error.message}") from error
        report = questions_import(course=course, result=result)
        for line in report.lines():
            self.stdout.write(line)
        if not report.imported:
            raise CommandError(_("Nothing could be imported from %(path)s.") % {"path": path.name})
