"""Is a course ready to publish? The course builder shows the answer, publishing asks it.

Two kinds of finding:

* **errors** block publishing: an exam that would draw more questions than its bank (or
  a category quota more than its category) holds could not be started by anyone;
* **warnings** need a confirmation: the course can be published, but probably should
  not be yet (a certificate with no final exam to earn it, an exam not ticked final, no
  materials, no JP, an empty section).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext

from mooc.catalog.models import Course
from mooc.exams.models import Exam
from mooc.exams.selectors.banks import exam_draw_problems
from mooc.learning.models import Section


@dataclass(frozen=True)
class Readiness:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return bool(self.errors)

    @property
    def clean(self) -> bool:
        return not self.errors and not self.warnings


def course_readiness(*, course: Course) -> Readiness:
    """What stands between `course` and its learners. A fixed number of queries."""
    warnings: list[str] = []
    exams = list(Exam.objects.filter(course=course).order_by("-is_final", "title", "pk"))
    has_final = any(exam.is_final for exam in exams)
    if course.gives_certificate and not has_final:
        if exams:
            warnings.extend(
                gettext(
                    "The exam “%(exam)s” is not marked as the final exam: the course gives "
                    "a certificate, and only passing a final exam issues it."
                )
                % {"exam": exam}
                for exam in exams
            )
        else:
            warnings.append(
                gettext(
                    "The course gives a certificate but has no final exam: no learner "
                    "could ever receive the certificate."
                )
            )
    sections = list(
        Section.objects.current()
        .filter(course=course)
        .annotate(material_count=Count("materials", filter=Q(materials__is_retired=False)))
        .order_by("order", "pk")
    )
    if not any(getattr(section, "material_count", 0) for section in sections):
        warnings.append(gettext("The course has no materials."))
    if not course.jp:
        warnings.append(
            gettext("The course has no JP (lesson hours): its certificate would state 0 JP.")
        )
    warnings.extend(
        gettext("The section “%(section)s” has no materials.") % {"section": section.title}
        for section in sections
        if not getattr(section, "material_count", 0)
    )
    return Readiness(errors=exam_draw_problems(course=course), warnings=warnings)


def readiness_errors(course: Course) -> list[str]:
    """Only what blocks publishing (for the course form and the admin's publish action,
    which have no confirm step for warnings)."""
    return exam_draw_problems(course=course)
