"""Videos and attachments on object storage (issue 18, item 5): the same permission
checks as on disk, then a presigned redirect, or the bytes streamed with Range."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.s3 import PrivateS3Storage
from mooc.core.tests.helpers import fetch, fetched
from mooc.learning.models import Attachment, Material
from mooc.learning.tests.helpers import materials_of

pytestmark = pytest.mark.django_db

VIDEO = bytes(range(256)) * 16  # 4,096 bytes
PDF = b"%PDF-1.4 modul pelatihan"


@pytest.fixture
def course(s3_private: PrivateS3Storage) -> Course:
    return CourseFactory.create(slug="orientasi-asn", sections=2, materials=2)


@pytest.fixture
def material(course: Course) -> Material:
    first = materials_of(course)[0]
    first.video_file.save("pembukaan-orientasi.webm", ContentFile(VIDEO))
    return first


@pytest.fixture
def attachment(material: Material) -> Attachment:
    found = Attachment(material=material, title="Modul")
    found.file.save("modul-orientasi.pdf", ContentFile(PDF))
    return found


@pytest.fixture
def learner(learner: User, client: Client, course: Course) -> User:
    EnrollmentFactory.create(user=learner, course=course)
    client.force_login(learner)
    return learner


def video_url(course: Course, material: Material) -> str:
    return reverse("learning:material_video", args=[course.slug, material.pk])


def attachment_url(course: Course, attachment: Attachment) -> str:
    return reverse("learning:attachment", args=[course.slug, attachment.pk])


def test_the_upload_is_an_object_in_the_bucket(
    s3_private: PrivateS3Storage, material: Material, attachment: Attachment
) -> None:
    client = s3_private.connection.meta.client
    for name in (material.video_file.name, attachment.file.name):
        assert client.head_object(Bucket=s3_private.bucket_name, Key=f"private/{name}")


def test_the_learner_is_redirected_to_a_presigned_video_that_seeks(
    client: Client, course: Course, material: Material, learner: User
) -> None:
    response = client.get(video_url(course, material))
    assert response.status_code == 302
    assert "private" in response["Cache-Control"]
    status, headers, content = fetch(response["Location"], "bytes=1000-1999")
    assert status == 206
    assert headers["content-type"] == "video/webm"
    assert content == VIDEO[1000:2000]


def test_the_attachment_downloads_from_the_store_with_its_file_name(
    client: Client, course: Course, attachment: Attachment, learner: User
) -> None:
    response = client.get(attachment_url(course, attachment))
    assert response.status_code == 302
    status, headers, content = fetch(response["Location"])
    assert (status, content) == (200, PDF)
    assert headers["content-disposition"] == 'attachment; filename="modul-orientasi.pdf"'


def test_streamed_when_presigning_is_off_with_range_requests(
    client: Client, settings: Any, course: Course, material: Material, learner: User
) -> None:
    settings.PRIVATE_MEDIA_PRESIGNED = False
    response = client.get(video_url(course, material), HTTP_RANGE="bytes=1000-1999")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-1999/{len(VIDEO)}"
    assert b"".join(response.streaming_content) == VIDEO[1000:2000]  # type: ignore[attr-defined]
    whole = client.get(video_url(course, material))
    assert whole.status_code == 200
    assert fetched(whole) == VIDEO


def test_files_of_another_course_are_404_and_hand_out_no_link(
    client: Client, material: Material, attachment: Attachment
) -> None:
    own_course = CourseFactory.create(sections=2, materials=2)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=own_course)
    client.force_login(user)
    for url in (video_url(own_course, material), attachment_url(own_course, attachment)):
        response = client.get(url)
        assert response.status_code == 404
        assert "Location" not in response


def test_a_learner_not_enrolled_gets_no_link(
    client: Client, course: Course, material: Material
) -> None:
    client.force_login(UserFactory.create())
    response = client.get(video_url(course, material))
    assert response["Location"] == f"/pelatihan/{course.slug}/"  # the course page, not the store
