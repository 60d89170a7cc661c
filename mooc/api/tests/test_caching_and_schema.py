"""ETag / If-None-Match on the catalogue, the course and the outline; the OpenAPI
schema and its docs page, served from the repository (no CDN)."""

from __future__ import annotations

import pytest
from django.test import Client

from mooc.accounts.models import User
from mooc.api.tests.support import API, Api
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.learning.tests.factories import MaterialFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_the_catalogue_answers_304_until_it_changes(db: None) -> None:
    CourseFactory.create(title="Etika ASN")
    client = Client()
    first = client.get(f"{API}/courses/")
    etag = first["ETag"]
    again = client.get(f"{API}/courses/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    CourseFactory.create(title="Manajemen ASN")
    changed = client.get(f"{API}/courses/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_course_detail_and_outline_carry_etags(learner: User) -> None:
    course = CourseFactory.create()
    material = MaterialFactory.create(section=SectionFactory.create(course=course))
    EnrollmentFactory.create(user=learner, course=course)
    api = Api(learner)
    detail = api.get(f"/courses/{course.slug}/")
    assert detail.json()["is_enrolled"] is True
    assert (
        api.get(f"/courses/{course.slug}/", headers={"If-None-Match": detail["ETag"]})
    ).status_code == 304
    outline = api.get(f"/courses/{course.slug}/outline/")
    etag = outline["ETag"]
    assert (
        api.get(f"/courses/{course.slug}/outline/", headers={"If-None-Match": etag}).status_code
        == 304
    )
    api.post(f"/courses/{course.slug}/materials/{material.pk}/done/")
    # My progress changed: the outline is new.
    assert (
        api.get(f"/courses/{course.slug}/outline/", headers={"If-None-Match": etag}).status_code
        == 200
    )


def test_the_schema_is_openapi_3_and_lists_the_journey(db: None) -> None:
    schema = Client().get(f"{API}/schema/").json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for expected in (
        "/api/v1/auth/login/",
        "/api/v1/auth/refresh/",
        "/api/v1/courses/",
        "/api/v1/courses/{slug}/outline/",
        "/api/v1/attempts/{attempt_id}/answers/",
        "/api/v1/me/certificates/{certificate_id}/pdf/",
        "/api/v1/verify/{code}/",
        "/api/v1/faq/",
    ):
        assert expected in paths, expected


def test_the_docs_page_loads_its_assets_from_this_site(db: None) -> None:
    page = Client().get(f"{API}/docs/").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page


def test_news_and_faq_are_public(db: None) -> None:
    client = Client()
    assert client.get(f"{API}/news/").json()["page"]["count"] == 0
    assert client.get(f"{API}/faq/").json() == []
    assert client.get(f"{API}/news/tidak-ada/").status_code == 404
