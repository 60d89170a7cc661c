"""Admins keep templates with their items and set each course's evaluation."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mooc.catalog.models import Course
from mooc.evaluation.defaults import DEFAULT_TEMPLATE_KEY
from mooc.evaluation.models import CourseEvaluation, EvaluationTemplate

pytestmark = pytest.mark.django_db


def test_an_admin_adds_a_template_with_items(admin_client: Client) -> None:
    url = reverse("admin:evaluation_evaluationtemplate_add")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "name": "Evaluasi Singkat",
            "key": "evaluasi-singkat",
            "description": "",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-position": "1",
            "items-0-group": "Materi",
            "items-0-text": "Materi jelas",
            "items-0-kind": "scale",
            "items-0-required": "on",
            "items-1-position": "2",
            "items-1-group": "Saran",
            "items-1-text": "Saran Anda",
            "items-1-kind": "text",
        },
    )
    assert response.status_code == 302
    template = EvaluationTemplate.objects.get(key="evaluasi-singkat")
    assert list(template.items.values_list("text", "required")) == [
        ("Materi jelas", True),
        ("Saran Anda", False),
    ]


def test_an_admin_gives_a_course_the_default_evaluation(
    admin_client: Client, course: Course
) -> None:
    url = reverse("admin:evaluation_courseevaluation_add")
    assert admin_client.get(url).status_code == 200
    default = EvaluationTemplate.objects.get(key=DEFAULT_TEMPLATE_KEY)
    response = admin_client.post(
        url,
        {"course": course.pk, "template": default.pk, "required_for_certificate": "on"},
    )
    assert response.status_code == 302
    evaluation = CourseEvaluation.objects.get(course=course)
    assert not evaluation.anonymous and evaluation.required_for_certificate
    listing = admin_client.get(reverse("admin:evaluation_courseevaluation_changelist"))
    assert course.title in listing.content.decode()
