from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from django.utils.translation import gettext as _

from mooc.catalog.models import Course
from mooc.exams.models import Question
from mooc.exams.services.banks import question_bank_export_gift


class Command(BaseCommand):
    help = (
        "Write a course's question bank to a GIFT file (UTF-8), each question titled "
        "with its stable id, so that importing the file gives back the same bank."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("course_slug", help="Slug of the course whose bank is exported.")
        parser.add_argument("path", type=Path, help="The GIFT file to write.")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        slug: str = options["course_slug"]
        path: Path = options["path"]
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(_("There is no course with the slug %(slug)s.") % {"slug": slug})
        text = question_bank_export_gift(course=course)
        try:
            path.write_text(text, encoding="utf-8", newline="\n")
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
            ) from error
        count = Question.objects.filter(course=course).count()
        self.stdout.write(
            _("Exported %(count)s questions of %(slug)s to %(path)s.")
            % {"count": count, "slug": slug, "path": path}
        )
