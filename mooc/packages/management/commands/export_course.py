from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mooc.catalog.models import Course
from mooc.core.errors import ServiceError
from mooc.packages.exporter import course_package_export


class Command(BaseCommand):
    help = (
        "Export a course as a package: a .zip when PATH ends in .zip, else a new or empty "
        "folder. Importing it gives back the same course. Format: docs/course-packages.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The course's slug.")
        parser.add_argument("path", type=Path, help="Destination folder or .zip file.")

    def handle(self, *args: Any, **options: Any) -> None:
        course = Course.objects.filter(slug=options["slug"]).select_related("category").first()
        if course is None:
            raise CommandError(f"No course with the slug {options['slug']!r}.")
        try:
            path = course_package_export(course=course, destination=options["path"])
        except ServiceError as error:
            raise CommandError(str(error.message)) from error
        except OSError as error:
            raise CommandError(f"Cannot write {options['path']}: {error.strerror}") from error
        self.stdout.write(self.style.SUCCESS(f"Exported {course.slug} to {path}."))
