"""The demo courses are course packages, imported like any other."""

from __future__ import annotations

from pathlib import Path

import pytest

from mooc.catalog.models import Category, Course
from mooc.learning.models import Material
from mooc.packages import demo
from mooc.packages.importer import course_package_import

pytestmark = pytest.mark.django_db

DEMO_SLUGS = [folder.name for folder in demo.demo_packages()]


def test_there_are_at_least_three_demo_courses_in_different_categories() -> None:
    assert len(DEMO_SLUGS) >= 3
    demo.load()
    assert Category.objects.filter(courses__isnull=False).distinct().count() >= 3


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_each_demo_package_imports_as_a_published_open_ongoing_course(slug: str) -> None:
    report = course_package_import(source=demo.DEMO_COURSES_DIR / slug)

    assert report.errors == []
    assert report.committed
    course = Course.objects.get(slug=slug)
    assert course.is_published
    assert course.enrolment_open() and course.is_ongoing()
    assert course.jp > 0 and course.instructors.exists() and course.cover_image
    sections = list(course.sections.current())
    assert 3 <= len(sections) <= 4
    for section in sections:
        assert 2 <= section.materials.current().count() <= 4
    # Real reading text: paragraphs with headings and lists, not a line of filler
    # (video materials carry a short introduction only).
    bodies = list(
        Material.objects.filter(section__course=course, video_file="", video_url="")
        .exclude(body="")
        .values_list("body", flat=True)
    )
    assert len(bodies) >= 7
    for body in bodies:
        assert "<p>" in body and ("<h2>" in body or "<li>" in body) and len(body) > 900


def test_the_demo_ships_one_real_video_file_one_pdf_and_one_internal_course() -> None:
    demo.load()

    video = Material.objects.exclude(video_file="").get()
    assert video.video_file.name.endswith(".webm")
    assert Material.objects.exclude(video_url="").count() >= 2
    assert Material.objects.filter(attachments__file__endswith=".pdf").count() == 1
    assert Course.objects.filter(internal_only=True).count() == 1


def test_loading_the_demo_twice_changes_nothing() -> None:
    demo.load()
    reports = [course_package_import(source=folder) for folder in demo.demo_packages()]
    assert [report.changed for report in reports] == [False] * len(reports)


def test_load_demo_command_loads_the_demo_courses() -> None:
    from django.core.management import call_command

    call_command("load_demo", allow_production=True, verbosity=0)
    demo.load()  # whether or not the loader is listed yet, it is safe to run again
    assert Course.objects.filter(slug__in=DEMO_SLUGS).count() == len(DEMO_SLUGS)


def test_the_demo_packages_stay_small() -> None:
    files = [path for path in Path(demo.DEMO_COURSES_DIR).rglob("*") if path.is_file()]
    assert sum(path.stat().st_size for path in files) < 1024 * 1024
