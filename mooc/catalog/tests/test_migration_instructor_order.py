"""The migration to ordered instructors keeps every course's instructors, in the
alphabetical order the pages showed them in before."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mooc.catalog.models import Course

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("catalog", "0003_labels_package_code_instructor_position")]
AFTER = [("catalog", "0005_course_instructors_ordered")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_links_are_kept_in_alphabetical_order() -> None:
    old = _migrate(BEFORE)
    Category = old.get_model("catalog", "Category")
    OldCourse = old.get_model("catalog", "Course")
    Instructor = old.get_model("catalog", "Instructor")
    category = Category.objects.create(name="Umum", slug="umum")
    first = OldCourse.objects.create(slug="a", title="A", summary="A", category=category, jp=2)
    second = OldCourse.objects.create(slug="b", title="B", summary="B", category=category, jp=2)
    citra, ani, budi = (Instructor.objects.create(name=name) for name in ("Citra", "Ani", "Budi"))
    first.instructors.add(citra, ani, budi)
    second.instructors.add(budi)

    _migrate(AFTER)

    def names(slug: str) -> list[str]:
        return [row.name for row in Course.objects.get(slug=slug).ordered_instructors()]

    assert names("a") == ["Ani", "Budi", "Citra"]
    assert names("b") == ["Budi"]
