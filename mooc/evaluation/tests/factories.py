"""Builders for the evaluation tests."""

from __future__ import annotations

import factory

from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory
from mooc.evaluation.defaults import DEFAULT_TEMPLATE_KEY
from mooc.evaluation.models import (
    CourseEvaluation,
    EvaluationItem,
    EvaluationTemplate,
    ItemKind,
)


class EvaluationTemplateFactory(factory.django.DjangoModelFactory[EvaluationTemplate]):
    class Meta:
        model = EvaluationTemplate

    name = factory.Sequence(lambda n: f"Templat {n}")
    key = factory.Sequence(lambda n: f"templat-{n}")


class EvaluationItemFactory(factory.django.DjangoModelFactory[EvaluationItem]):
    class Meta:
        model = EvaluationItem

    template = factory.SubFactory(EvaluationTemplateFactory)
    group = "Materi"
    text = factory.Sequence(lambda n: f"Pernyataan {n}")
    kind = ItemKind.SCALE
    low_label = "Sangat kurang"
    high_label = "Sangat baik"
    position = factory.Sequence(lambda n: n)


def small_template() -> EvaluationTemplate:
    """Three items: a required scale ("Materi"), a scale per instructor, optional text."""
    template = EvaluationTemplateFactory.create()
    EvaluationItemFactory.create(template=template, group="Materi", text="Materi jelas")
    EvaluationItemFactory.create(
        template=template, group="Instruktur", text="Penguasaan materi", per_instructor=True
    )
    EvaluationItemFactory.create(
        template=template, group="Saran", text="Saran", kind=ItemKind.TEXT, required=False
    )
    return template


def course_with_evaluation(
    course: Course | None = None, *, default: bool = False, **settings: object
) -> CourseEvaluation:
    template = (
        EvaluationTemplate.objects.get(key=DEFAULT_TEMPLATE_KEY) if default else small_template()
    )
    return CourseEvaluation.objects.create(
        course=course or CourseFactory.create(), template=template, **settings
    )


def answers_for(evaluation: CourseEvaluation, *, value: int = 4, text: str = "") -> dict[str, str]:
    """A complete set of answers: every scale `value`, every text `text`."""
    from mooc.evaluation.selectors import evaluation_questions

    return {
        q.key: (str(value) if q.item.kind == ItemKind.SCALE else text)
        for q in evaluation_questions(evaluation=evaluation)
    }
