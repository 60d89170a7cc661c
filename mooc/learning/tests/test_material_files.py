"""Videos and attachments are private files: served only to those who may study the course,
videos with range requests so seeking works, attachments as downloads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.learning.models import Attachment, Material
from mooc.learning.tests.helpers import materials_of

pytestmark = pytest.mark.django_db

VIDEO = bytes(range(256)) * 16  # 4,096 bytes
PDF = b"%PDF-1.4 modul pelatihan"


@pytest.fixture(autouse=True)
def private_files(settings: Any) -> Iterator[None]:
    """Django sends the bytes itself, as in development (production hands over to nginx).
    The test settings' private folder lives for the whole run: clear our names so the
    files are stored under exactly the names saved."""
    settings.PRIVATE_MEDIA_USE_ACCEL = False
    storage = Material._meta.get_field("video_file").storage
    names = ["videos/pembukaan-orientasi.webm", "attachments/modul-orientasi.pdf"]
    for name in names:
        storage.delete(name)
    yield
    for name in names:
        storage.delete(name)


@pytest.fixture
def course() -> Course:
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
    """The shared learner, enrolled in the course and signed in."""
    EnrollmentFactory.create(user=learner, course=course)
    client.force_login(learner)
    return learner


def video_url(course: Course, material: Material) -> str:
    return reverse("learning:material_video", args=[course.slug, material.pk])


def attachment_url(course: Course, attachment: Attachment) -> str:
    return reverse("learning:attachment", args=[course.slug, attachment.pk])


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_video_is_served_whole_with_range_support_announced(
    client: Client, course: Course, material: Material, learner: User
) -> None:
    response = client.get(video_url(course, material))
    assert response.status_code == 200
    assert response["Content-Type"] == "video/webm"
    assert response["Accept-Ranges"] == "bytes"
    assert "private" in response["Cache-Control"]
    assert body(response) == VIDEO


def test_a_range_request_gets_exactly_those_bytes_so_seeking_works(
    client: Client, course: Course, material: Material, learner: User
) -> None:
    response = client.get(video_url(course, material), HTTP_RANGE="bytes=1000-1999")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-1999/{len(VIDEO)}"
    assert response["Content-Length"] == "1000"
    assert body(response) == VIDEO[1000:2000]


def test_the_video_is_inline_not_a_download(
    client: Client, course: Course, material: Material, learner: User
) -> None:
    response = client.get(video_url(course, material))
    assert not response.get("Content-Disposition", "").startswith("attachment")


def test_an_attachment_downloads_with_its_file_name(
    client: Client, course: Course, attachment: Attachment, learner: User
) -> None:
    response = client.get(attachment_url(course, attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="modul-orientasi.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == PDF


def test_in_production_nginx_sends_the_files(
    client: Client,
    settings: Any,
    course: Course,
    material: Material,
    attachment: Attachment,
    learner: User,
) -> None:
    settings.PRIVATE_MEDIA_USE_ACCEL = True
    video = client.get(video_url(course, material))
    assert (
        video["X-Accel-Redirect"]
        == f"{settings.PRIVATE_MEDIA_ACCEL_PREFIX}videos/pembukaan-orientasi.webm"
    )
    download = client.get(attachment_url(course, attachment))
    assert download["X-Accel-Redirect"].endswith("attachments/modul-orientasi.pdf")
    assert download["Content-Disposition"].startswith("attachment;")


def test_a_visitor_is_sent_to_login_for_files(
    client: Client, course: Course, material: Material, attachment: Attachment
) -> None:
    login = reverse("accounts:login")
    for url in (video_url(course, material), attachment_url(course, attachment)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{login}?next={url}"


def test_a_learner_not_enrolled_gets_no_file_by_url(
    client: Client, course: Course, material: Material, attachment: Attachment
) -> None:
    client.force_login(UserFactory.create())
    for url in (video_url(course, material), attachment_url(course, attachment)):
        response = client.get(url, HTTP_RANGE="bytes=0-99")
        assert response.status_code == 302
        assert response["Location"] == f"/pelatihan/{course.slug}/"
        assert not hasattr(response, "streaming_content")


def test_files_of_another_course_are_404_under_a_course_the_learner_is_in(
    client: Client, material: Material, attachment: Attachment
) -> None:
    own_course = CourseFactory.create(sections=2, materials=2)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=own_course)
    client.force_login(user)
    assert client.get(video_url(own_course, material)).status_code == 404
    assert client.get(attachment_url(own_course, attachment)).status_code == 404


def test_files_of_a_retired_material_are_404(
    client: Client, course: Course, material: Material, attachment: Attachment, learner: User
) -> None:
    Material.objects.filter(pk=material.pk).update(is_retired=True)
    assert client.get(video_url(course, material)).status_code == 404
    assert client.get(attachment_url(course, attachment)).status_code == 404


def test_a_material_without_an_uploaded_video_is_404(
    client: Client, course: Course, learner: User
) -> None:
    second = materials_of(course)[1]
    assert client.get(video_url(course, second)).status_code == 404


def test_the_course_staff_get_the_files_without_enrolling(
    client: Client, course: Course, material: Material, attachment: Attachment
) -> None:
    instructor = UserFactory.create()
    course.staff.add(instructor)
    client.force_login(instructor)
    assert client.get(video_url(course, material), HTTP_RANGE="bytes=0-9").status_code == 206
    assert client.get(attachment_url(course, attachment)).status_code == 200
