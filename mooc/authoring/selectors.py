"""The course builder's one read: a course as an outline."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q

from mooc.catalog.models import Course
from mooc.exams.models import Exam
from mooc.learning.models import Attachment, Material, Section


@dataclass(frozen=True)
class BuilderOutline:
    course: Course
    sections: list[Section]  # each with `materials.all()`, each with `attachments.all()`
    exams: list[Exam]  # with their section


def course_builder_outline(*, course: Course) -> BuilderOutline:
    """Sections, materials and attachments in order, and the exams: four queries."""
    # The outline says whether a material has text, without loading the text.
    materials = (
        Material.objects.filter(is_retired=False)
        .defer("body")
        .annotate(has_text=ExpressionWrapper(~Q(body=""), output_field=BooleanField()))
        .order_by("order", "pk")
    )
    sections = list(
        Section.objects.current()
        .filter(course=course)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch(
                "materials",
                queryset=materials.prefetch_related(
                    Prefetch("attachments", queryset=Attachment.objects.order_by("order", "pk"))
                ),
            )
        )
    )
    exams = list(
        Exam.objects.filter(course=course)
        .select_related("section")
        .order_by("-is_final", "title", "pk")
    )
    return BuilderOutline(course=course, sections=sections, exams=exams)
