"""The course builder page and its reorder views: what staff see, and who gets in."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mooc.accounts.models import User
from mooc.accounts.tests.factories import InstructorFactory
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory
from mooc.exams.tests.factories import ExamFactory
from mooc.learning.models import Material, Section
from mooc.learning.tests.factories import AttachmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Queries = Callable[[int], AbstractContextManager[object]]
INSTRUCTOR_PERMISSIONS = (
    "catalog.view_course",
    "catalog.change_course",
    "learning.change_material",
)


def _builder(course: Course) -> str:
    return reverse("admin:catalog_course_builder", args=[course.pk])


def _move(client: Client, course: Course, kind: str, item: int, direction: str) -> Any:
    return client.post(
        reverse("admin:catalog_course_builder_move", args=[course.pk]),
        {"kind": kind, "item": str(item), "direction": direction},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


def _reorder(client: Client, course: Course, kind: str, ids: list[int]) -> Any:
    return client.post(
        reverse("admin:catalog_course_builder_reorder", args=[course.pk]),
        json.dumps({"kind": kind, "ids": ids}),
        content_type="application/json",
    )


def _titles(section: Section) -> list[str]:
    return list(section.materials.order_by("order", "pk").values_list("title", flat=True))


@pytest.fixture
def course() -> Course:
    course = CourseFactory.create(is_published=False, sections=2, materials=3)
    ExamFactory.create(course=course, title="Ujian Nilai Dasar")
    return course


@pytest.fixture
def own(course: Course) -> User:
    return InstructorFactory.create(courses=[course], permissions=INSTRUCTOR_PERMISSIONS)


def test_the_builder_shows_the_outline_with_links_back_to_the_admin(
    admin_client: Client, course: Course
) -> None:
    material = Material.objects.filter(section__course=course).first()
    assert material is not None
    AttachmentFactory.create(material=material, title="Modul PDF")

    html = admin_client.get(_builder(course)).content.decode()

    for text in ("Bagian 1", "Bagian 2", "Materi 1.1", "Materi 2.3", "Modul PDF"):
        assert text in html
    assert "Ujian Nilai Dasar" in html
    assert reverse("admin:learning_material_change", args=[material.pk]) in html
    assert f"{reverse('admin:exams_exam_add')}?course={course.pk}" in html
    assert reverse("learning:course_start", args=[course.slug]) in html  # preview


def test_the_builder_page_has_a_fixed_query_budget(
    admin_client: Client, course: Course, django_assert_num_queries: Queries
) -> None:
    for material in Material.objects.filter(section__course=course):
        AttachmentFactory.create(material=material)
    # Session, user, MFA device, the course, the outline (4), readiness (6), site
    # settings and the admin's own reads; none per section, material or attachment.
    with django_assert_num_queries(22):
        response = admin_client.get(_builder(course))
    assert response.status_code == 200


def test_an_instructor_opens_the_builder_of_their_own_course(
    client: Client, own: User, course: Course
) -> None:
    client.force_login(own)

    assert client.get(_builder(course)).status_code == 200


def test_another_instructors_course_is_a_404(client: Client, own: User) -> None:
    other = CourseFactory.create(sections=1, materials=2)
    client.force_login(own)

    assert client.get(_builder(other)).status_code == 404
    section = other.sections.get()
    first = section.materials.order_by("order").first()
    assert first is not None
    assert _move(client, other, "material", first.pk, "down").status_code == 404
    ids = list(section.materials.order_by("-order").values_list("pk", flat=True))
    assert _reorder(client, other, "material", ids).status_code == 404
    assert _titles(section) == ["Materi 1.1", "Materi 1.2"]


def test_an_instructor_cannot_publish(client: Client, own: User, course: Course) -> None:
    client.force_login(own)

    response = client.post(
        reverse("admin:catalog_course_builder_publish", args=[course.pk]), {"confirm": "1"}
    )

    assert response.status_code == 403
    course.refresh_from_db()
    assert not course.is_published


def test_a_move_button_swaps_a_material_with_its_neighbour(
    client: Client, own: User, course: Course
) -> None:
    section = course.sections.order_by("order").first()
    assert section is not None
    second = section.materials.get(title="Materi 1.2")
    client.force_login(own)

    response = _move(client, course, "material", second.pk, "up")

    assert response.status_code == 200
    assert response.json()["position"] == 1
    assert _titles(section) == ["Materi 1.2", "Materi 1.1", "Materi 1.3"]


def test_moving_the_first_item_up_changes_nothing(admin_client: Client, course: Course) -> None:
    first = course.sections.order_by("order").first()
    assert first is not None

    response = _move(admin_client, course, "section", first.pk, "up")

    assert response.status_code == 200
    assert list(course.sections.order_by("order").values_list("title", flat=True)) == [
        "Bagian 1",
        "Bagian 2",
    ]


def test_a_move_without_javascript_goes_back_to_the_builder(
    admin_client: Client, course: Course
) -> None:
    section = course.sections.order_by("order").last()
    assert section is not None

    response = admin_client.post(
        reverse("admin:catalog_course_builder_move", args=[course.pk]),
        {"kind": "section", "item": str(section.pk), "direction": "up"},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(_builder(course))
    assert course.sections.order_by("order").first() == section


def test_drag_and_drop_saves_the_whole_order(admin_client: Client, course: Course) -> None:
    section = course.sections.order_by("order").first()
    assert section is not None
    ids = list(section.materials.order_by("-order").values_list("pk", flat=True))

    response = _reorder(admin_client, course, "material", ids)

    assert response.status_code == 200
    assert _titles(section) == ["Materi 1.3", "Materi 1.2", "Materi 1.1"]


@pytest.mark.parametrize(
    "change",
    [
        lambda ids: ids[:-1],  # one missing (a stale page)
        lambda ids: [*ids, ids[0]],  # one twice
        lambda ids: [],
    ],
)
def test_a_reorder_that_is_not_exactly_the_siblings_changes_nothing(
    admin_client: Client, course: Course, change: Callable[[list[int]], list[int]]
) -> None:
    section = course.sections.order_by("order").first()
    assert section is not None
    ids = list(section.materials.order_by("-order").values_list("pk", flat=True))

    response = _reorder(admin_client, course, "material", change(ids))

    assert response.status_code == 400
    assert response.json()["error"]
    assert _titles(section) == ["Materi 1.1", "Materi 1.2", "Materi 1.3"]


def test_a_reorder_mixing_in_another_sections_material_changes_nothing(
    admin_client: Client, course: Course
) -> None:
    first, second = course.sections.order_by("order")
    stranger = second.materials.order_by("order").values_list("pk", flat=True)[0]
    ids = [*first.materials.values_list("pk", flat=True), stranger]

    response = _reorder(admin_client, course, "material", ids)

    assert response.status_code == 400
    assert _titles(first) == ["Materi 1.1", "Materi 1.2", "Materi 1.3"]


@pytest.mark.parametrize(
    "body",
    [b"not json", b'{"kind": "material", "ids": ["x"]}', b'{"kind": "exam", "ids": [1]}', b"[]"],
)
def test_a_hostile_reorder_body_is_a_clear_400(
    admin_client: Client, course: Course, body: bytes
) -> None:
    response = admin_client.post(
        reverse("admin:catalog_course_builder_reorder", args=[course.pk]),
        body,
        content_type="application/json",
    )

    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert response.json()["error"]


def test_the_reorder_views_need_csrf(own: User, course: Course) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(own)
    section = course.sections.order_by("order").first()
    assert section is not None
    ids = list(section.materials.order_by("-order").values_list("pk", flat=True))

    assert _reorder(client, course, "material", ids).status_code == 403
    assert _titles(section) == ["Materi 1.1", "Materi 1.2", "Materi 1.3"]


def test_saving_a_section_goes_back_to_its_course_builder(
    admin_client: Client, course: Course
) -> None:
    response = admin_client.post(
        reverse("admin:learning_section_add"),
        {
            "course": course.pk,
            "title": "Penutup",
            "order": 9,
            "materials-TOTAL_FORMS": 0,
            "materials-INITIAL_FORMS": 0,
            "materials-MIN_NUM_FORMS": 0,
            "materials-MAX_NUM_FORMS": 1000,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == _builder(course)
    assert course.sections.filter(title="Penutup").exists()


def test_another_courses_items_sent_to_my_course_are_a_404(
    client: Client, own: User, course: Course
) -> None:
    other = CourseFactory.create(sections=1, materials=2)
    section = other.sections.get()
    ids = list(section.materials.order_by("-order").values_list("pk", flat=True))
    client.force_login(own)

    assert _reorder(client, course, "material", ids).status_code == 404
    assert _move(client, course, "material", ids[0], "down").status_code == 404
    assert _titles(section) == ["Materi 1.1", "Materi 1.2"]
