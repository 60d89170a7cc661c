"""Authoring courses in the admin: the course list, publishing (audited), the course
page with its sections, the section and material pages, and the package buttons."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from mooc.accounts.tests.factories import ContentAdminFactory, InstructorFactory, UserFactory
from mooc.accounts.tests.helpers import logged_in
from mooc.catalog.models import Course, Instructor
from mooc.catalog.services import course_instructors_set
from mooc.catalog.tests.factories import (
    INSTRUCTOR_PERMISSIONS,
    CategoryFactory,
    CourseFactory,
    EnrollmentFactory,
)
from mooc.catalog.tests.helpers import form_data
from mooc.core.models import AuditLog
from mooc.learning.models import Material, MaterialProgress, Section
from mooc.learning.tests.factories import MaterialFactory, SectionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:catalog_course_changelist"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def admin(client: Client) -> Client:
    return logged_in(client, ContentAdminFactory.create())


def listed(response: Any) -> list[str]:
    return [course.title for course in response.context["cl"].result_list]


def course_url(course: Course) -> str:
    return reverse("admin:catalog_course_change", args=[course.pk])


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_participants_ongoing_and_a_preview_link(admin: Client) -> None:
    now = timezone.now()
    running = CourseFactory.create(
        title="Orientasi ASN Baru", slug="orientasi-asn", jp=24, is_published=False
    )
    CourseFactory.create(
        title="Literasi Digital",
        starts_at=now - dt.timedelta(days=60),
        ends_at=now - dt.timedelta(days=1),
        is_published=False,
    )
    for _ in range(3):
        EnrollmentFactory.create(user=UserFactory.create(), course=running)

    response = admin.get(reverse(CHANGELIST))

    rows = {course.title: course for course in response.context["cl"].result_list}
    assert rows["Orientasi ASN Baru"].participant_count == 3
    assert rows["Literasi Digital"].participant_count == 0
    page = response.content.decode()
    assert 'href="/pelatihan/orientasi-asn/"' in page
    assert "Preview as learner" in page
    assert response.context["cl"].model_admin.ongoing(rows["Orientasi ASN Baru"]) is True
    assert response.context["cl"].model_admin.ongoing(rows["Literasi Digital"]) is False


def test_the_list_filters_ongoing_and_published_courses_and_searches_titles(
    admin: Client,
) -> None:
    now = timezone.now()
    CourseFactory.create(title="Orientasi ASN Baru", is_published=True)
    CourseFactory.create(
        title="Literasi Digital",
        starts_at=now - dt.timedelta(days=60),
        ends_at=now - dt.timedelta(days=1),
        is_published=False,
    )
    CourseFactory.create(
        title="Manajemen Risiko", starts_at=now + dt.timedelta(days=10), is_published=False
    )

    assert listed(admin.get(reverse(CHANGELIST), {"ongoing": "yes"})) == ["Orientasi ASN Baru"]
    assert set(listed(admin.get(reverse(CHANGELIST), {"ongoing": "no"}))) == {
        "Literasi Digital",
        "Manajemen Risiko",
    }
    assert listed(admin.get(reverse(CHANGELIST), {"is_published__exact": "1"})) == [
        "Orientasi ASN Baru"
    ]
    assert listed(admin.get(reverse(CHANGELIST), {"q": "literasi"})) == ["Literasi Digital"]


# --- Publishing -------------------------------------------------------------------------------


def test_publishing_from_the_list_is_audited_once_per_course_that_changes(
    admin: Client,
) -> None:
    draft = CourseFactory.create(title="Orientasi ASN Baru", is_published=False)
    live = CourseFactory.create(title="Literasi Digital", is_published=True)

    response = admin.post(
        reverse(CHANGELIST),
        {"action": "publish_courses", "_selected_action": [draft.pk, live.pk]},
        follow=True,
    )

    assert Course.objects.filter(is_published=True).count() == 2
    entries = AuditLog.objects.filter(action="course.published")
    assert [(e.target_id, e.before, e.after) for e in entries] == [
        (str(draft.pk), {"is_published": False}, {"is_published": True})
    ]
    assert "Courses published: 1." in response.content.decode()


def test_unpublishing_from_the_list_is_audited(admin: Client) -> None:
    live = CourseFactory.create(is_published=True)

    admin.post(reverse(CHANGELIST), {"action": "unpublish_courses", "_selected_action": [live.pk]})

    assert not Course.objects.get(pk=live.pk).is_published
    assert AuditLog.objects.filter(action="course.unpublished", target_id=str(live.pk)).exists()


def test_publishing_from_the_course_page_is_audited_and_so_is_a_staff_change(
    admin: Client,
) -> None:
    course = CourseFactory.create(is_published=False)
    instructor = InstructorFactory.create(
        username="ani.instruktur", permissions=INSTRUCTOR_PERMISSIONS
    )
    data = form_data(admin.get(course_url(course)))

    response = admin.post(
        course_url(course), {**data, "is_published": "on", "staff": [instructor.pk]}
    )

    assert response.status_code == 302
    assert AuditLog.objects.filter(action="course.published", target_id=str(course.pk)).exists()
    staff_entry = AuditLog.objects.get(action="course.staff_changed")
    assert (staff_entry.before, staff_entry.after) == (
        {"staff": []},
        {"staff": ["ani.instruktur"]},
    )


# --- The course page --------------------------------------------------------------------------


def test_the_course_page_has_the_learner_preview_enrolment_and_package_buttons(
    admin: Client,
) -> None:
    course = CourseFactory.create(slug="etika-pelayanan", is_published=False)

    page = admin.get(course_url(course)).content.decode()

    assert 'href="/pelatihan/etika-pelayanan/"' in page
    for url in [
        reverse("admin:catalog_course_enrol", args=[course.pk]),
        reverse("admin:catalog_enrollment_changelist") + f"?course={course.pk}",
        reverse("admin:catalog_course_enrolments_export", args=[course.pk, "csv"]),
        reverse("admin:catalog_course_enrolments_export", args=[course.pk, "xlsx"]),
        reverse("admin:catalog_course_export_package", args=[course.pk]),
    ]:
        assert f'href="{url}"' in page


def test_the_course_list_has_the_import_package_button(admin: Client) -> None:
    page = admin.get(reverse(CHANGELIST)).content.decode()

    assert reverse("admin:catalog_course_import_package") in page


def test_the_course_page_lists_its_sections_in_order_with_links_to_their_materials(
    admin: Client,
) -> None:
    course = CourseFactory.create(is_published=False)
    second = SectionFactory.create(course=course, title="Penutup", order=2)
    first = SectionFactory.create(course=course, title="Pembukaan", order=1)
    MaterialFactory.create(section=first)
    MaterialFactory.create(section=first, title="Materi 2", order=2)

    response = admin.get(course_url(course))

    _, inline = response.context["inline_admin_formsets"]  # instructors, then sections
    assert [form.instance for form in inline.formset.forms] == [first, second]
    page = response.content.decode()
    assert reverse("admin:learning_section_change", args=[first.pk]) in page
    assert "Edit materials (2)" in page


def test_new_sections_without_an_order_go_after_the_existing_ones(admin: Client) -> None:
    course = CourseFactory.create(is_published=False)
    SectionFactory.create(course=course, title="Pembukaan", order=5)
    data = form_data(admin.get(course_url(course)))
    data.update(
        {
            "sections-TOTAL_FORMS": "3",
            "sections-1-title": "Inti",
            "sections-1-order": "0",
            "sections-2-title": "Penutup",
            "sections-2-order": "0",
        }
    )

    response = admin.post(course_url(course), data)

    assert response.status_code == 302
    assert list(Section.objects.filter(course=course).values_list("title", "order")) == [
        ("Pembukaan", 5),
        ("Inti", 6),
        ("Penutup", 7),
    ]


def test_a_section_with_learners_progress_is_not_deleted_from_the_course_page(
    admin: Client,
) -> None:
    course = CourseFactory.create(is_published=False)
    section = SectionFactory.create(course=course)
    material = MaterialFactory.create(section=section)
    learner = UserFactory.create()
    EnrollmentFactory.create(user=learner, course=course)
    MaterialProgress.objects.create(user=learner, material=material, course=course)
    data = form_data(admin.get(course_url(course)))

    response = admin.post(course_url(course), {**data, "sections-0-DELETE": "on"})

    assert response.status_code == 200
    assert "Mark it as retired instead" in response.content.decode()
    assert Section.objects.filter(pk=section.pk).exists()


def test_a_material_with_learners_progress_cannot_be_deleted_from_its_page(
    admin: Client,
) -> None:
    course = CourseFactory.create(is_published=False)
    material = MaterialFactory.create(section=SectionFactory.create(course=course))
    learner = UserFactory.create()
    EnrollmentFactory.create(user=learner, course=course)
    MaterialProgress.objects.create(user=learner, material=material, course=course)
    url = reverse("admin:learning_material_delete", args=[material.pk])

    page = admin.get(url)
    admin.post(url, {"post": "yes"})

    assert "mark it as retired instead" in page.content.decode()
    assert Material.objects.filter(pk=material.pk).exists()


def test_a_material_without_progress_can_be_deleted(admin: Client) -> None:
    material = MaterialFactory.create(
        section=SectionFactory.create(course=CourseFactory.create(is_published=False))
    )

    admin.post(reverse("admin:learning_material_delete", args=[material.pk]), {"post": "yes"})

    assert not Material.objects.filter(pk=material.pk).exists()


def test_the_section_page_lists_materials_in_order_and_links_back_to_the_course(
    admin: Client,
) -> None:
    course = CourseFactory.create(is_published=False)
    section = SectionFactory.create(course=course)
    later = MaterialFactory.create(section=section, title="Studi Kasus", order=2)
    earlier = MaterialFactory.create(section=section, title="Pengantar", order=1)

    response = admin.get(reverse("admin:learning_section_change", args=[section.pk]))

    (inline,) = response.context["inline_admin_formsets"]
    assert [form.instance for form in inline.formset.forms] == [earlier, later]
    assert course_url(course) in response.content.decode()


def test_a_section_never_moves_to_another_course(admin: Client) -> None:
    section = SectionFactory.create(course=CourseFactory.create(is_published=False))
    other = CourseFactory.create(is_published=False)
    url = reverse("admin:learning_section_change", args=[section.pk])
    data = form_data(admin.get(url))

    admin.post(url, {**data, "course": other.pk, "title": "Diubah"})

    section.refresh_from_db()
    assert (section.title, section.course_id) == ("Diubah", section.course_id)
    assert section.course_id != other.pk


def test_a_material_moves_only_within_its_course(admin: Client) -> None:
    course = CourseFactory.create(is_published=False)
    material = MaterialFactory.create(section=SectionFactory.create(course=course, title="Satu"))
    sibling = SectionFactory.create(course=course, title="Dua", order=2)
    elsewhere = SectionFactory.create(course=CourseFactory.create(is_published=False), title="Lain")
    url = reverse("admin:learning_material_change", args=[material.pk])

    choices = {
        value for value, _ in admin.get(url).context["adminform"].form.fields["section"].choices
    }

    assert {str(v) for v in choices if v} == {str(material.section_id), str(sibling.pk)}
    assert str(elsewhere.pk) not in {str(v) for v in choices}


# --- Categories and instructors ---------------------------------------------------------------


def test_categories_list_their_course_counts(admin: Client) -> None:
    course = CourseFactory.create(is_published=False)
    CourseFactory.create(category=course.category, is_published=False)

    response = admin.get(reverse("admin:catalog_category_changelist"))

    (category,) = response.context["cl"].result_list
    assert category.course_count == 2


def test_instructor_profiles_link_only_staff_accounts(admin: Client) -> None:
    staff = InstructorFactory.create(username="ani.instruktur", permissions=INSTRUCTOR_PERMISSIONS)
    learner = UserFactory.create()

    response = admin.get(reverse("admin:catalog_instructor_add"))

    choices = {str(v) for v, _ in response.context["adminform"].form.fields["user"].choices}
    assert str(staff.pk) in choices
    assert str(learner.pk) not in choices


def test_a_content_admin_puts_the_lead_instructor_first_on_the_course_page(
    admin: Client,
) -> None:
    course = CourseFactory.create(is_published=False)
    ani = Instructor.objects.create(name="Ani Lestari")
    budi = Instructor.objects.create(name="Budi Hartono")
    course_instructors_set(course=course, instructors=[ani, budi])
    data = form_data(admin.get(course_url(course)))
    assert (data["instructor_links-0-instructor"], data["instructor_links-1-instructor"]) == (
        str(ani.pk),
        str(budi.pk),
    )
    # Budi becomes the lead instructor; a third one is added last.
    citra = Instructor.objects.create(name="Citra Dewi")
    data.update(
        {
            "instructor_links-0-position": "2",
            "instructor_links-1-position": "1",
            "instructor_links-TOTAL_FORMS": "3",
            "instructor_links-2-instructor": str(citra.pk),
            "instructor_links-2-position": "3",
        }
    )

    response = admin.post(course_url(course), data)

    assert response.status_code == 302
    assert Course.objects.get(pk=course.pk).ordered_instructors() == [budi, ani, citra]


def test_an_instructor_sees_the_course_instructors_but_cannot_change_them(
    client: Client,
) -> None:
    account = InstructorFactory.create(permissions=INSTRUCTOR_PERMISSIONS)
    course = CourseFactory.create(is_published=False)
    course.staff.add(account)
    ani = Instructor.objects.create(name="Ani Lestari")
    course_instructors_set(course=course, instructors=[ani])
    page = logged_in(client, account)

    response = page.get(course_url(course))

    assert response.status_code == 200
    (inline,) = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "instructor_links"
    ]
    assert not inline.has_add_permission and not inline.has_change_permission
    assert "Ani Lestari" in response.content.decode()


# --- Course packages (screens from mooc.packages.admin) ---------------------------------------


@pytest.fixture
def fake_packages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    calls: list[tuple[str, Any]] = []

    def import_view(request: HttpRequest) -> HttpResponse:
        calls.append(("import", None))
        return HttpResponse("import")

    def export_view(request: HttpRequest, course_id: int) -> HttpResponse:
        calls.append(("export", course_id))
        return HttpResponse("export")

    monkeypatch.setattr("mooc.packages.admin.course_package_import_view", import_view)
    monkeypatch.setattr("mooc.packages.admin.course_package_export_view", export_view)
    return calls


def test_the_package_buttons_lead_to_the_package_screens(
    admin: Client, fake_packages: list[tuple[str, Any]]
) -> None:
    course = CourseFactory.create(is_published=False)

    imported = admin.get(reverse("admin:catalog_course_import_package"))
    exported = admin.get(reverse("admin:catalog_course_export_package", args=[course.pk]))

    assert (imported.content, exported.content) == (b"import", b"export")
    assert fake_packages == [("import", None), ("export", course.pk)]


def test_the_package_screens_need_a_signed_in_staff_user(
    client: Client, fake_packages: list[tuple[str, Any]]
) -> None:
    response = client.get(reverse("admin:catalog_course_import_package"))

    assert response.status_code == 302
    assert fake_packages == []


def test_a_content_admin_adds_a_course_with_a_re_encoded_cover(admin: Client) -> None:
    picture = io.BytesIO()
    Image.new("RGB", (2400, 1200), (10, 90, 160)).save(picture, "PNG")
    category = CategoryFactory.create(name="Pelayanan Publik")
    assert admin.get(reverse("admin:catalog_course_add")).status_code == 200

    response = admin.post(
        reverse("admin:catalog_course_add"),
        {
            "title": "Literasi Digital",
            "slug": "literasi-digital",
            "summary": "Dasar literasi digital bagi ASN.",
            "category": category.pk,
            "level": "dasar",
            "jp": 12,
            "gives_certificate": "on",
            "cover_image": SimpleUploadedFile("sampul.png", picture.getvalue()),
            "instructor_links-TOTAL_FORMS": 0,
            "instructor_links-INITIAL_FORMS": 0,
            "sections-TOTAL_FORMS": 1,
            "sections-INITIAL_FORMS": 0,
            "sections-0-title": "Pengantar",
            "sections-0-order": 0,
        },
    )

    assert response.status_code == 302
    course = Course.objects.get(slug="literasi-digital")
    assert list(course.sections.values_list("title", "order")) == [("Pengantar", 1)]
    with course.cover_image.open("rb") as handle, Image.open(handle) as cover:
        assert (cover.format, cover.size) == ("JPEG", (1600, 800))


def test_a_cover_that_is_not_an_image_is_refused(admin: Client) -> None:
    response = admin.post(
        reverse("admin:catalog_course_add"),
        {
            "title": "Literasi Digital",
            "slug": "literasi-digital",
            "summary": "Dasar literasi digital bagi ASN.",
            "category": CategoryFactory.create(name="Pelayanan Publik").pk,
            "level": "dasar",
            "jp": 12,
            "cover_image": SimpleUploadedFile("sampul.jpg", b"<html><script></script></html>"),
            "sections-TOTAL_FORMS": 0,
            "sections-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert "cover_image" in response.context["adminform"].form.errors
    assert not Course.objects.exists()
