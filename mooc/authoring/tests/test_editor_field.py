"""The rich-text fields in the admin: the editor is offered, knows where pictures go,
and an oversized or emptied body is handled with a clear message."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from mooc.catalog.tests.factories import CourseFactory
from mooc.core.editor import RICH_TEXT_MAX_CHARS, RichTextFormField
from mooc.learning.models import Material

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_en(admin_client: Client) -> Client:
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return admin_client


def _material_data(material: Material, body: str) -> dict[str, object]:
    return {
        "section": material.section_id,
        "order": material.order,
        "title": material.title,
        "body": body,
        "video_url": "",
        "duration_minutes": "",
        "attachments-TOTAL_FORMS": 0,
        "attachments-INITIAL_FORMS": 0,
        "attachments-MIN_NUM_FORMS": 0,
        "attachments-MAX_NUM_FORMS": 1000,
    }


def test_the_material_form_offers_the_editor_with_the_courses_upload_url(
    client_en: Client,
) -> None:
    course = CourseFactory.create(sections=1, materials=1)
    material = Material.objects.get(section__course=course)

    html = client_en.get(reverse("admin:learning_material_change", args=[material.pk])).content
    page = html.decode()

    assert "data-rich-editor" in page
    assert reverse("admin:catalog_course_editor_image", args=[course.pk]) in page
    assert "js/rich-editor.js" in page
    assert "Scripts and styles are removed when saved" in page
    assert reverse("admin:catalog_course_builder", args=[course.pk]) in page  # back link


def test_a_new_material_under_a_section_knows_its_course(client_en: Client) -> None:
    course = CourseFactory.create(sections=1)
    section = course.sections.get()

    page = client_en.get(f"{reverse('admin:learning_material_add')}?section={section.pk}")

    assert reverse("admin:catalog_course_editor_image", args=[course.pk]) in page.content.decode()


def test_news_gets_the_public_upload_url(client_en: Client) -> None:
    page = client_en.get(reverse("admin:content_news_add")).content.decode()

    assert reverse("admin:catalog_course_editor_public_image") in page


def test_a_body_over_the_limit_is_refused_and_nothing_changes(client_en: Client) -> None:
    course = CourseFactory.create(sections=1, materials=1)
    material = Material.objects.get(section__course=course)
    body = "<p>" + "a" * RICH_TEXT_MAX_CHARS + "</p>"

    response = client_en.post(
        reverse("admin:learning_material_change", args=[material.pk]),
        _material_data(material, body),
    )

    assert response.status_code == 200
    assert "The text is too long" in response.content.decode()
    assert Material.objects.get(pk=material.pk).body == "<p>Isi 1.1</p>"


def test_a_script_is_removed_and_formatting_kept_on_save(client_en: Client) -> None:
    course = CourseFactory.create(sections=1, materials=1)
    material = Material.objects.get(section__course=course)
    body = "<p><strong>Tebal</strong></p><ul><li>satu</li></ul><script>alert(1)</script>"

    response = client_en.post(
        reverse("admin:learning_material_change", args=[material.pk]),
        _material_data(material, body),
    )

    assert response.status_code == 302
    assert Material.objects.get(pk=material.pk).body == (
        "<p><strong>Tebal</strong></p><ul><li>satu</li></ul>"
    )


@pytest.mark.parametrize("value", ["<p></p>", "<p> </p>", "<p><br></p>"])
def test_an_emptied_editor_is_no_text(value: str) -> None:
    assert RichTextFormField(required=False).clean(value) == ""


def test_a_picture_alone_is_text() -> None:
    html = '<p><img src="/media/editor/public/0123456789abcdef0123456789abcdef.jpg"></p>'
    assert RichTextFormField(required=False).clean(html) == html
