"""A question's picture on object storage (issue 18, item 5): stored in the bucket,
handed to the attempt's learner as a presigned link, to nobody else."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.s3 import PrivateS3Storage
from mooc.core.tests.helpers import fetch
from mooc.exams.services.attempts import attempt_start
from mooc.exams.tests.factories import ExamFactory, make_bank

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_picture_comes_from_the_bucket_for_the_attempts_learner_only(
    s3_private: PrivateS3Storage, learner: User
) -> None:
    course = CourseFactory.create()
    (question,) = make_bank(course, size=1)
    question.image.save("peta.png", ContentFile(_png()), save=True)
    head = s3_private.connection.meta.client.head_object(
        Bucket=s3_private.bucket_name, Key=f"private/{question.image.name}"
    )
    assert head["ContentType"] == "image/png"
    exam = ExamFactory.create(course=course, question_count=1, shuffle_questions=False)
    EnrollmentFactory.create(user=learner, course=course)
    attempt = attempt_start(exam=exam, user=learner)
    url = reverse("exams:question_image", args=[attempt.pk, 1])

    response = _client(learner).get(url)
    assert response.status_code == 302
    # The browser keeps the redirect for a while, but never longer than the link works.
    expires = int(parse_qs(urlsplit(response["Location"]).query)["X-Amz-Expires"][0])
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age < expires
    assert "private" in response["Cache-Control"]
    status, headers, content = fetch(response["Location"])
    assert (status, content, headers["content-type"]) == (200, _png(), "image/png")

    other = UserFactory.create()
    EnrollmentFactory.create(user=other, course=course)
    assert _client(other).get(url).status_code == 404
