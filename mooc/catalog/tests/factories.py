"""Factories for the catalog: categories, courses (with sections and materials if asked)
and enrolments."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone
from django.utils.text import slugify

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Category, Course, Enrollment, EnrollmentResult, EnrollmentStatus
from mooc.learning.models import Material, Section

# What an instructor needs to work on their courses in the admin
# (`InstructorFactory.create(permissions=INSTRUCTOR_PERMISSIONS)`).
INSTRUCTOR_PERMISSIONS = (
    "catalog.view_course",
    "catalog.change_course",
    "catalog.view_enrollment",
    "catalog.add_enrollment",
    "learning.view_section",
    "learning.add_section",
    "learning.change_section",
    "learning.delete_section",
    "learning.view_material",
    "learning.add_material",
    "learning.change_material",
    "learning.delete_material",
    "learning.view_attachment",
    "learning.add_attachment",
    "learning.change_attachment",
    "learning.delete_attachment",
)


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    """A category, shared by every course that names the same one."""

    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = "Umum"
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class CourseFactory(factory.django.DjangoModelFactory[Course]):
    """A published course; `sections` × `materials` titled "Materi <s>.<m>"."""

    class Meta:
        model = Course
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"kursus-{n}")
    title = factory.Sequence(lambda n: f"Kursus nomor {n}")
    summary = "Ringkasan singkat kursus."
    category = factory.SubFactory(CategoryFactory)
    jp = 2
    is_published = True

    @classmethod
    def _create(cls, model_class: type[Course], *args: Any, **kwargs: Any) -> Course:
        sections: int = kwargs.pop("sections", 0)
        materials: int = kwargs.pop("materials", 0)
        course = model_class.objects.create(*args, **kwargs)
        for s in range(1, sections + 1):
            section = Section.objects.create(course=course, title=f"Bagian {s}", order=s)
            Material.objects.bulk_create(
                Material(
                    section=section, title=f"Materi {s}.{m}", body=f"<p>Isi {s}.{m}</p>", order=m
                )
                for m in range(1, materials + 1)
            )
        return course


class EnrollmentFactory(factory.django.DjangoModelFactory[Enrollment]):
    """An enrolment at the course's JP, recorded under the learner's unit;
    `completed=True` (with `passed=False` for a fail) makes a finished one."""

    class Meta:
        model = Enrollment

    class Params:
        passed = True
        completed = factory.Trait(
            status=EnrollmentStatus.COMPLETED,
            result=factory.LazyAttribute(
                lambda o: EnrollmentResult.PASSED if o.passed else EnrollmentResult.FAILED
            ),
            final_score=factory.LazyAttribute(lambda o: 85 if o.passed else 40),
            completed_at=factory.LazyFunction(timezone.now),
        )

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    jp = factory.LazyAttribute(lambda o: o.course.jp)
    unit = factory.LazyAttribute(lambda o: o.user.unit)
