"""The player's outline: current sections and materials in order, the learner's done set,
previous/next and the percentage, loaded in three queries whatever the course's size."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.learning.models import Material, MaterialProgress, Section
from mooc.learning.selectors import course_outline_get
from mooc.learning.tests.helpers import materials_of

pytestmark = pytest.mark.django_db

NumQueries = Callable[[int], AbstractContextManager[object]]


@pytest.mark.parametrize(("sections", "per_section"), [(1, 1), (20, 10)])
def test_the_outline_loads_in_three_queries_whatever_the_size(
    django_assert_num_queries: NumQueries, sections: int, per_section: int
) -> None:
    course = CourseFactory.create(sections=sections, materials=per_section)
    user = UserFactory.create()
    with django_assert_num_queries(3):
        outline = course_outline_get(course=course, user=user)
        titles = [m.title for part in outline.sections for m in part.materials]
        last = outline.materials[-1]
        assert outline.previous(last) == (outline.materials[-2] if len(titles) > 1 else None)
        assert outline.next(last) is None
        assert outline.progress.total == sections * per_section
    assert len(titles) == sections * per_section


def test_sections_and_materials_follow_their_order_not_their_creation() -> None:
    course = CourseFactory.create(sections=0, materials=2)
    later = Section.objects.create(course=course, title="Penutup", order=2)
    earlier = Section.objects.create(course=course, title="Pembuka", order=1)
    Material.objects.create(section=later, title="Rangkuman", order=1)
    Material.objects.create(section=earlier, title="Tujuan", order=2)
    Material.objects.create(section=earlier, title="Salam", order=1)

    outline = course_outline_get(course=course, user=UserFactory.create())
    assert [part.section.title for part in outline.sections] == ["Pembuka", "Penutup"]
    assert [m.title for m in outline.materials] == ["Salam", "Tujuan", "Rangkuman"]


def test_previous_and_next_cross_sections_and_skip_retired_materials() -> None:
    course = CourseFactory.create(sections=2, materials=2)
    a, b, c, d = materials_of(course)
    Material.objects.filter(pk=c.pk).update(is_retired=True)

    outline = course_outline_get(course=course, user=UserFactory.create())
    assert [m.pk for m in outline.materials] == [a.pk, b.pk, d.pk]
    assert outline.get(c.pk) is None
    assert outline.next(b) == d and outline.previous(d) == b
    assert outline.previous(a) is None and outline.next(d) is None


def test_retired_and_empty_sections_are_left_out() -> None:
    course = CourseFactory.create(sections=2, materials=1)
    Section.objects.create(course=course, title="Kosong", order=9)
    Section.objects.filter(course=course, order=1).update(is_retired=True)

    outline = course_outline_get(course=course, user=UserFactory.create())
    assert [part.section.title for part in outline.sections] == ["Bagian 2"]


def test_progress_counts_only_this_learners_current_materials() -> None:
    course = CourseFactory.create(sections=1, materials=4)
    a, b, c, _ = materials_of(course)
    learner, other = UserFactory.create(), UserFactory.create()
    EnrollmentFactory.create(user=learner, course=course)
    for material in (a, b):
        MaterialProgress.objects.create(user=learner, material=material, course=course)
    MaterialProgress.objects.create(user=other, material=c, course=course)
    Material.objects.filter(pk=b.pk).update(is_retired=True)  # done, then retired

    outline = course_outline_get(course=course, user=learner)
    assert (outline.progress.done, outline.progress.total, outline.progress.percent) == (1, 3, 33)
    assert not outline.all_done


def test_the_first_unfinished_material_is_where_the_learner_continues() -> None:
    course = CourseFactory.create(sections=2, materials=2)
    a, b, c, _ = materials_of(course)
    learner = UserFactory.create()
    for material in (a, c):
        MaterialProgress.objects.create(user=learner, material=material, course=course)
    assert course_outline_get(course=course, user=learner).first_unfinished() == b

    for material in materials_of(course):
        MaterialProgress.objects.get_or_create(user=learner, material=material, course=course)
    outline = course_outline_get(course=course, user=learner)
    assert outline.all_done
    assert outline.first_unfinished() == a
    assert outline.progress.percent == 100


def test_an_empty_course_has_an_empty_outline() -> None:
    outline = course_outline_get(
        course=CourseFactory.create(sections=0, materials=2), user=UserFactory.create()
    )
    assert outline.materials == []
    assert outline.first_unfinished() is None
    assert outline.progress.percent == 0
