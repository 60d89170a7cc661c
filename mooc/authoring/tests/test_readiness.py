"""Each readiness rule of the course builder, and the publish step that asks it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mooc.accounts.models import User
from mooc.authoring.readiness import course_readiness
from mooc.catalog.models import Course
from mooc.catalog.services import course_publish_problems
from mooc.catalog.tests.factories import CourseFactory
from mooc.core.models import AuditLog
from mooc.exams.models import ExamCategoryQuota
from mooc.exams.tests.factories import ExamFactory, make_bank, make_question
from mooc.learning.tests.factories import MaterialFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Queries = Callable[[int], AbstractContextManager[object]]


@pytest.fixture
def ready_course() -> Course:
    """Everything in place: a section with a material, a final exam over a full bank."""
    course = CourseFactory.create(is_published=False, sections=1, materials=1, jp=4)
    make_bank(course, size=5)
    ExamFactory.create(course=course, question_count=5)
    return course


def test_a_complete_course_has_nothing_to_say(ready_course: Course) -> None:
    readiness = course_readiness(course=ready_course)

    assert readiness.errors == []
    assert readiness.warnings == []
    assert readiness.clean


def test_an_exam_drawing_more_than_its_bank_is_an_error_with_both_numbers(
    ready_course: Course,
) -> None:
    ready_course.exams.update(question_count=25)

    readiness = course_readiness(course=ready_course)

    assert readiness.blocked
    assert len(readiness.errors) == 1
    assert "25" in readiness.errors[0]
    assert "5" in readiness.errors[0]


def test_a_category_quota_above_its_category_is_an_error_with_both_numbers(
    ready_course: Course,
) -> None:
    make_question(ready_course, "n1", category="Nilai Dasar")
    exam = ready_course.exams.get()
    ExamCategoryQuota.objects.create(
        exam=exam, category=ready_course.question_categories.get(), count=3
    )

    readiness = course_readiness(course=ready_course)

    assert len(readiness.errors) == 1
    assert "Nilai Dasar" in readiness.errors[0]
    assert "3" in readiness.errors[0] and "1" in readiness.errors[0]


def test_a_certificate_without_a_final_exam_is_a_warning(ready_course: Course) -> None:
    ready_course.exams.all().delete()

    warnings = course_readiness(course=ready_course).warnings

    assert len(warnings) == 1
    assert "no final exam" in warnings[0]


def test_no_final_exam_is_fine_when_the_course_gives_no_certificate(
    ready_course: Course,
) -> None:
    ready_course.exams.all().delete()
    Course.objects.filter(pk=ready_course.pk).update(gives_certificate=False)
    ready_course.refresh_from_db()

    assert course_readiness(course=ready_course).clean


def test_an_exam_not_marked_final_is_a_warning_naming_it(ready_course: Course) -> None:
    ready_course.exams.update(is_final=False, title="Evaluasi")

    warnings = course_readiness(course=ready_course).warnings

    assert len(warnings) == 1
    assert "Evaluasi" in warnings[0]


def test_a_course_without_materials_is_a_warning(ready_course: Course) -> None:
    ready_course.sections.all().delete()

    warnings = course_readiness(course=ready_course).warnings

    assert len(warnings) == 1


def test_a_course_without_jp_is_a_warning(ready_course: Course) -> None:
    Course.objects.filter(pk=ready_course.pk).update(jp=0)
    ready_course.refresh_from_db()

    warnings = course_readiness(course=ready_course).warnings

    assert len(warnings) == 1
    assert "JP" in warnings[0]


def test_an_empty_section_is_a_warning_naming_it(ready_course: Course) -> None:
    SectionFactory.create(course=ready_course, title="Penutup", order=9)

    warnings = course_readiness(course=ready_course).warnings

    assert len(warnings) == 1
    assert "Penutup" in warnings[0]


def test_a_section_with_only_retired_materials_counts_as_empty(ready_course: Course) -> None:
    section = SectionFactory.create(course=ready_course, title="Lama", order=9)
    MaterialFactory.create(section=section, is_retired=True)

    assert any("Lama" in line for line in course_readiness(course=ready_course).warnings)


def test_readiness_takes_a_fixed_number_of_queries(
    ready_course: Course, django_assert_num_queries: Queries
) -> None:
    for n in range(3):
        ExamFactory.create(course=ready_course, is_final=False, title=f"Kuis {n}")
        SectionFactory.create(course=ready_course, title=f"Bagian {n}", order=10 + n)
    with django_assert_num_queries(6):
        course_readiness(course=ready_course)


# --- Publishing through the builder -----------------------------------------------------------


def _publish(client: Client, course: Course, **data: str) -> Any:
    return client.post(reverse("admin:catalog_course_builder_publish", args=[course.pk]), data)


def test_a_blocked_course_is_not_published_even_when_confirmed(
    client: Client, admin_user: User, ready_course: Course
) -> None:
    ready_course.exams.update(question_count=25)
    client.force_login(admin_user)

    response = _publish(client, ready_course, confirm="1")

    assert response.status_code == 200
    assert "25" in response.content.decode()
    ready_course.refresh_from_db()
    assert not ready_course.is_published


def test_warnings_need_the_confirmation(
    client: Client, admin_user: User, ready_course: Course
) -> None:
    Course.objects.filter(pk=ready_course.pk).update(jp=0)
    client.force_login(admin_user)

    unconfirmed = _publish(client, ready_course)
    ready_course.refresh_from_db()
    assert unconfirmed.status_code == 200
    assert not ready_course.is_published

    confirmed = _publish(client, ready_course, confirm="1")
    ready_course.refresh_from_db()
    assert confirmed.status_code == 302
    assert ready_course.is_published


def test_a_ready_course_is_published_and_audited(
    client: Client, admin_user: User, ready_course: Course
) -> None:
    client.force_login(admin_user)

    response = _publish(client, ready_course, confirm="1")

    assert response.status_code == 302
    ready_course.refresh_from_db()
    assert ready_course.is_published
    assert AuditLog.objects.filter(action="course.published").count() == 1


def test_unpublish_takes_the_course_back(
    client: Client, admin_user: User, ready_course: Course
) -> None:
    Course.objects.filter(pk=ready_course.pk).update(is_published=True)
    client.force_login(admin_user)

    client.post(reverse("admin:catalog_course_builder_unpublish", args=[ready_course.pk]))

    ready_course.refresh_from_db()
    assert not ready_course.is_published


# --- The course form and the admin's publish action refuse blocking errors too ----------------


def test_the_admin_publish_action_skips_a_blocked_course(
    client: Client, admin_user: User, ready_course: Course
) -> None:
    ready_course.exams.update(question_count=25)
    fine = CourseFactory.create(is_published=False)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:catalog_course_changelist"),
        {"action": "publish_courses", "_selected_action": [ready_course.pk, fine.pk]},
        follow=True,
    )

    ready_course.refresh_from_db()
    fine.refresh_from_db()
    assert not ready_course.is_published
    assert fine.is_published
    assert "25" in response.content.decode()


def test_catalog_asks_the_readiness_errors_before_publishing(ready_course: Course) -> None:
    assert course_publish_problems(course=ready_course) == []

    ready_course.exams.update(question_count=25)

    assert (
        course_publish_problems(course=ready_course) == course_readiness(course=ready_course).errors
    )
