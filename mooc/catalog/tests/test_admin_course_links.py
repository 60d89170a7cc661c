from __future__ import annotations

import pytest
from django.test import Client

from mooc.accounts.tests.factories import ContentAdminFactory
from mooc.catalog.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_the_course_page_links_to_its_question_bank(client: Client) -> None:
    course = CourseFactory.create(is_published=False)
    client.force_login(ContentAdminFactory.create())
    page = client.get(f"/admin/catalog/course/{course.pk}/change/").content.decode()
    assert f"/admin/exams/question/?course={course.pk}" in page
    listing = client.get(f"/admin/exams/question/?course={course.pk}")
    assert listing.status_code == 200
