"""The editor's image uploads: checked, re-encoded, stored where their text is read,
and refused with a clear message otherwise."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from mooc.accounts.models import User
from mooc.accounts.tests.factories import InstructorFactory, UserFactory
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.catalog.tests.helpers import form_data
from mooc.core.files import private_storage
from mooc.learning.models import Material

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PERMISSIONS = ("catalog.view_course", "catalog.change_course", "learning.change_material")


def _png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _upload(client: Client, url: str, data: bytes, name: str = "gambar.png") -> Any:
    return client.post(
        url,
        {"image": SimpleUploadedFile(name, data, content_type="image/png")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


def _course_url(course: Course) -> str:
    return reverse("admin:catalog_course_editor_image", args=[course.pk])


@pytest.fixture
def course() -> Course:
    return CourseFactory.create(sections=1, materials=1)


@pytest.fixture
def own(course: Course) -> User:
    return InstructorFactory.create(courses=[course], permissions=PERMISSIONS)


def test_a_material_picture_is_reencoded_kept_private_and_shown_to_learners(
    client: Client, own: User, course: Course
) -> None:
    client.force_login(own)

    response = _upload(client, _course_url(course), _png())

    assert response.status_code == 200
    url = response.json()["url"]
    match = re.fullmatch(rf"/belajar/{course.slug}/gambar/([0-9a-f]{{32}})\.jpg", url)
    assert match, url
    stored = f"editor/{course.pk}/{match.group(1)}.jpg"
    assert private_storage().exists(stored)
    with private_storage().open(stored) as handle:
        assert Image.open(handle).format == "JPEG"  # a new file, not the upload's bytes

    # The sanitizer keeps it in a material's text, and an enrolled learner sees it.
    material = Material.objects.get(section__course=course)
    material.body = f'<p>Bagan</p><img src="{url}" alt="Bagan alur">'
    material.save()
    assert f'src="{url}"' in Material.objects.get(pk=material.pk).body
    learner = UserFactory.create()
    EnrollmentFactory.create(user=learner, course=course)
    client.force_login(learner)
    assert client.get(url).status_code == 200


def test_a_stranger_does_not_get_a_course_picture(
    client: Client, own: User, course: Course
) -> None:
    client.force_login(own)
    url = _upload(client, _course_url(course), _png()).json()["url"]
    client.force_login(UserFactory.create())

    response = client.get(url)

    assert response.status_code in (302, 404)
    assert response.status_code != 200


def test_an_instructor_cannot_upload_into_another_course(client: Client, own: User) -> None:
    other = CourseFactory.create()
    client.force_login(own)

    assert _upload(client, _course_url(other), _png()).status_code == 404
    assert not private_storage().exists(f"editor/{other.pk}")


def test_a_file_that_is_not_an_image_is_refused_clearly(
    client: Client, own: User, course: Course
) -> None:
    client.force_login(own)

    response = _upload(client, _course_url(course), b"<script>alert(1)</script>", "x.png")

    assert response.status_code == 400
    assert "JPEG, PNG, WebP" in response.json()["error"]


def test_a_20_mb_image_is_refused_before_it_is_read(
    client: Client, own: User, course: Course
) -> None:
    client.force_login(own)

    response = _upload(client, _course_url(course), b"\x89PNG" + b"\0" * (20 * 1024 * 1024))

    assert response.status_code == 400
    assert "10 MB" in response.json()["error"]


def test_an_image_with_too_many_pixels_is_refused_before_decoding(
    client: Client, own: User, course: Course
) -> None:
    client.force_login(own)
    # A tiny file that claims 6,000 × 6,000 pixels (36 megapixels).
    out = io.BytesIO()
    Image.new("1", (6000, 6000)).save(out, "PNG")

    response = _upload(client, _course_url(course), out.getvalue())

    assert response.status_code == 400
    assert "24" in response.json()["error"]  # megapixels, the limit named


def test_an_upload_without_a_file_says_so(client: Client, own: User, course: Course) -> None:
    client.force_login(own)

    response = client.post(_course_url(course), {})

    assert response.status_code == 400
    assert response.json()["error"]


def test_a_public_picture_goes_to_public_media(admin_client: Client) -> None:
    response = _upload(admin_client, reverse("admin:catalog_course_editor_public_image"), _png())

    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith("/media/editor/public/")
    assert default_storage.exists(url.removeprefix("/media/"))


def test_a_learner_cannot_upload_public_pictures(client: Client) -> None:
    client.force_login(UserFactory.create())

    response = _upload(client, reverse("admin:catalog_course_editor_public_image"), _png())

    assert response.status_code == 302  # the admin sends non-staff to the login page


def test_a_new_slug_takes_the_pictures_in_the_materials_along(
    admin_client: Client, course: Course
) -> None:
    url = _upload(admin_client, _course_url(course), _png()).json()["url"]
    material = Material.objects.get(section__course=course)
    material.body = f'<p>Bagan</p><img src="{url}" alt="Bagan alur">'
    material.save()
    # Another course whose slug starts the same way keeps its own addresses.
    other = CourseFactory.create(slug=f"{course.slug}-2", sections=1, materials=1)
    other_url = _upload(admin_client, _course_url(other), _png()).json()["url"]
    other_material = Material.objects.get(section__course=other)
    other_material.body = f'<img src="{other_url}" alt="Lain">'
    other_material.save()
    other_body = Material.objects.get(pk=other_material.pk).body
    assert other_url in other_body
    change = reverse("admin:catalog_course_change", args=[course.pk])
    data = form_data(admin_client.get(change))
    data["slug"] = "nama-baru"

    response = admin_client.post(change, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    body = Material.objects.get(pk=material.pk).body
    new_url = url.replace(f"/belajar/{course.slug}/", "/belajar/nama-baru/")
    assert f'src="{new_url}"' in body
    assert f"/belajar/{course.slug}/" not in body
    assert Material.objects.get(pk=other_material.pk).body == other_body
    learner = UserFactory.create()
    EnrollmentFactory.create(user=learner, course=course)
    admin_client.force_login(learner)
    assert admin_client.get(new_url).status_code == 200
