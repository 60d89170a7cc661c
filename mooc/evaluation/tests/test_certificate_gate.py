"""The "Selesai" path: pass → evaluation → certificate, the download unlocked when sent."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from mooc.accounts.tests.factories import UserFactory
from mooc.certificates.models import Certificate
from mooc.certificates.tests.support import client_for, course_with_exam, pass_course
from mooc.evaluation.models import CourseEvaluation, EvaluationResponse
from mooc.evaluation.tests.factories import answers_for, course_with_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def passed(django_capture_on_commit_callbacks: Any) -> tuple[CourseEvaluation, Certificate]:
    course, exam = course_with_exam()
    evaluation = course_with_evaluation(course)
    holder = UserFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        pass_course(holder, course, exam)
    return evaluation, Certificate.objects.select_related("course", "user").get()


def test_finish_leads_to_the_evaluation_and_sending_it_unlocks_the_download(
    passed: tuple[CourseEvaluation, Certificate],
) -> None:
    evaluation, certificate = passed
    client = client_for(certificate.user)
    form_url = reverse("evaluation:form", args=[certificate.course.slug])
    for url in (
        reverse("certificates:for_course", args=[certificate.course.slug]),
        reverse("certificates:detail", args=[certificate.pk]),
        reverse("certificates:download", args=[certificate.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == form_url

    page = client.get(form_url)
    assert page.status_code == 200
    sent = client.post(form_url, {**answers_for(evaluation), "send": "1"})
    assert sent.status_code == 302
    assert sent["Location"] == reverse("certificates:for_course", args=[certificate.course.slug])
    assert EvaluationResponse.objects.get().submitted_at is not None

    download = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


def test_a_draft_does_not_unlock_the_download(
    passed: tuple[CourseEvaluation, Certificate],
) -> None:
    evaluation, certificate = passed
    client = client_for(certificate.user)
    form_url = reverse("evaluation:form", args=[certificate.course.slug])
    assert client.post(form_url, {**answers_for(evaluation), "draft": "1"}).status_code == 302
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert response["Location"] == form_url


def test_an_optional_evaluation_does_not_hold_the_certificate(
    passed: tuple[CourseEvaluation, Certificate],
) -> None:
    evaluation, certificate = passed
    evaluation.required_for_certificate = False
    evaluation.save()
    client = client_for(certificate.user)
    assert client.get(reverse("certificates:download", args=[certificate.pk])).status_code == 200


def test_bad_answers_on_the_page_show_a_message_and_save_nothing(
    passed: tuple[CourseEvaluation, Certificate],
) -> None:
    evaluation, certificate = passed
    client = client_for(certificate.user)
    form_url = reverse("evaluation:form", args=[certificate.course.slug])
    data = {**answers_for(evaluation, text="y" * 50_000), "send": "1"}
    data[next(iter(data))] = "9"
    response = client.post(form_url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "invalid-feedback" in html
    assert not EvaluationResponse.objects.exists()


def test_the_page_for_a_course_not_passed_or_without_evaluation(
    passed: tuple[CourseEvaluation, Certificate],
) -> None:
    evaluation, _certificate = passed
    stranger = UserFactory.create()
    client = client_for(stranger)
    url = reverse("evaluation:form", args=[evaluation.course.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {**answers_for(evaluation), "send": "1"}).status_code == 403
    assert not EvaluationResponse.objects.exists()
    evaluation.delete()
    assert client.get(url).status_code == 404


def test_evaluation_page_query_count(
    passed: tuple[CourseEvaluation, Certificate], django_assert_num_queries: Any
) -> None:
    _evaluation, certificate = passed
    client = client_for(certificate.user)
    url = reverse("evaluation:form", args=[certificate.course.slug])
    client.get(url)
    with django_assert_num_queries(7):
        client.get(url)
