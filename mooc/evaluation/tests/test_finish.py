""" "Selesai" after a passed final exam: the evaluation while it is not sent (whether
the certificate waits for it or not, with or without a certificate), then the
certificate or the course page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.certificates.tests.support import client_for, course_with_exam, pass_course, take
from mooc.evaluation.tests.factories import answers_for, course_with_evaluation

pytestmark = pytest.mark.django_db


def _finish(course: Course) -> str:
    return reverse("evaluation:finish", args=[course.slug])


@pytest.mark.parametrize("required", [True, False])
@pytest.mark.parametrize("certificate", [True, False])
def test_finish_leads_to_the_evaluation_until_it_is_sent(
    django_capture_on_commit_callbacks: Any, required: bool, certificate: bool
) -> None:
    course, exam = course_with_exam()
    course.gives_certificate = certificate
    course.save(update_fields=["gives_certificate"])
    evaluation = course_with_evaluation(course, required_for_certificate=required)
    learner = UserFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        pass_course(learner, course, exam)
    attempt = exam.attempts.get(user=learner)
    client = client_for(learner)
    result = client.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert f'href="{_finish(course)}" data-testid="finish"' in result
    form_url = reverse("evaluation:form", args=[course.slug])

    response = client.get(_finish(course))

    assert response.status_code == 302 and response["Location"] == form_url
    page = client.get(form_url).content.decode()
    # An optional evaluation of a course with a certificate can be left for later.
    assert ('data-testid="evaluation-later"' in page) == (certificate and not required)
    sent = client.post(form_url, {**answers_for(evaluation), "send": "1"})
    after = (
        reverse("certificates:for_course", args=[course.slug])
        if certificate
        else course.get_absolute_url()
    )
    assert sent["Location"] == after
    # Sent: "Selesai" goes straight on.
    assert client.get(_finish(course))["Location"] == after


def test_without_an_evaluation_finish_goes_to_the_certificate_or_the_course() -> None:
    course, exam = course_with_exam()
    learner = UserFactory.create()
    pass_course(learner, course, exam)
    client = client_for(learner)
    assert client.get(_finish(course))["Location"] == reverse(
        "certificates:for_course", args=[course.slug]
    )
    course.gives_certificate = False
    course.save(update_fields=["gives_certificate"])
    assert client.get(_finish(course))["Location"] == course.get_absolute_url()


def test_a_learner_who_has_not_passed_is_not_sent_to_the_evaluation() -> None:
    course, exam = course_with_exam()
    course_with_evaluation(course)
    learner = UserFactory.create()
    EnrollmentFactory.create(user=learner, course=course)
    take(learner, exam, right=False)

    response = client_for(learner).get(_finish(course))

    assert response["Location"] == reverse("certificates:for_course", args=[course.slug])


def test_finish_needs_a_login_and_a_real_course(client: Any) -> None:
    course, _exam = course_with_exam()
    assert "/login/" in client.get(_finish(course))["Location"]
    learner = UserFactory.create()
    response = client_for(learner).get(reverse("evaluation:finish", args=["tidak-ada"]))
    assert response.status_code == 404
    assert client_for(learner).post(_finish(course)).status_code == 405
