"""How the exam forms' pickers name their entries."""

from __future__ import annotations

from mooc.exams.models import QuestionCategory
from mooc.learning.models import Section


def label_with_course(obj: Section | QuestionCategory) -> str:
    """An entry names its course: two courses often both have a "Pendahuluan"."""
    return f"{obj.course.title} — {obj}"
