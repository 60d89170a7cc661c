"""Instructors work on their own courses only: the courses listing their account as
staff. Another instructor's course, its sections, materials, attachments and
learners are absent from their lists and a 404 by URL. Admins and content admins
see everything; only they publish and choose a course's people."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin as django_admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mooc.accounts.roles import ROLE_INSTRUCTOR, ROLE_REPORT_VIEWER
from mooc.accounts.tests.factories import (
    AdminFactory,
    ContentAdminFactory,
    InstructorFactory,
    SuperuserFactory,
    UserFactory,
)
from mooc.accounts.tests.helpers import logged_in
from mooc.catalog.models import Course, Enrollment
from mooc.catalog.permissions import can_edit_course, courses_editable_by, is_course_manager
from mooc.catalog.tests.factories import INSTRUCTOR_PERMISSIONS, CourseFactory, EnrollmentFactory
from mooc.catalog.tests.helpers import form_data
from mooc.learning.models import Attachment, Material, Section
from mooc.learning.tests.factories import AttachmentFactory, MaterialFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


class World:
    """Two courses, each with its instructor, a section, a material, an attachment and
    a learner."""

    def __init__(self) -> None:
        self.course_a = CourseFactory.create(title="Orientasi ASN Baru", is_published=False)
        self.course_b = CourseFactory.create(title="Etika Pelayanan Publik", is_published=False)
        self.ani = InstructorFactory.create(
            username="ani.instruktur", courses=[self.course_a], permissions=INSTRUCTOR_PERMISSIONS
        )
        self.budi = InstructorFactory.create(
            username="budi.instruktur", courses=[self.course_b], permissions=INSTRUCTOR_PERMISSIONS
        )
        self.section_a = SectionFactory.create(course=self.course_a, title="Pengenalan Kementerian")
        self.section_b = SectionFactory.create(course=self.course_b, title="Kode Etik")
        self.material_a = MaterialFactory.create(
            section=self.section_a, title="Struktur Organisasi"
        )
        self.material_b = MaterialFactory.create(section=self.section_b, title="Nilai Dasar ASN")
        self.attachment_a = AttachmentFactory.create(
            material=self.material_a, title="Bagan Organisasi"
        )
        self.attachment_b = AttachmentFactory.create(
            material=self.material_b, title="Kode Etik PDF"
        )
        self.learner_a = UserFactory.create(username="198609262015051001", full_name="Rina Lestari")
        self.learner_b = UserFactory.create(
            username="199001012019032002", full_name="Sari Wulandari"
        )
        self.enrolment_a = EnrollmentFactory.create(user=self.learner_a, course=self.course_a)
        self.enrolment_b = EnrollmentFactory.create(user=self.learner_b, course=self.course_b)

    def rows(self, letter: str) -> dict[str, Any]:
        return {
            "course": getattr(self, f"course_{letter}"),
            "section": getattr(self, f"section_{letter}"),
            "material": getattr(self, f"material_{letter}"),
            "attachment": getattr(self, f"attachment_{letter}"),
            "enrollment": getattr(self, f"enrolment_{letter}"),
        }


@pytest.fixture
def world() -> World:
    return World()


ADMIN_NAMES = {
    "course": "catalog_course",
    "section": "learning_section",
    "material": "learning_material",
    "attachment": "learning_attachment",
    "enrollment": "catalog_enrollment",
}


def listed(client: Client, kind: str) -> set[int]:
    response = client.get(reverse(f"admin:{ADMIN_NAMES[kind]}_changelist"))
    assert response.status_code == 200
    return {row.pk for row in response.context["cl"].result_list}


# --- The rule ---------------------------------------------------------------------------------


def test_managers_are_superusers_admins_and_content_admins(world: World) -> None:
    assert is_course_manager(SuperuserFactory.create(username="root", full_name="Root"))
    assert is_course_manager(AdminFactory.create())
    assert is_course_manager(ContentAdminFactory.create())
    assert not is_course_manager(world.ani)
    assert not is_course_manager(UserFactory.create(staff=True, groups=[ROLE_REPORT_VIEWER]))


def test_an_inactive_manager_is_no_manager() -> None:
    admin = ContentAdminFactory.create()
    admin.is_active = False

    assert not is_course_manager(admin)
    assert not courses_editable_by(admin).exists()


def test_an_instructor_edits_the_courses_listing_them_as_staff(world: World) -> None:
    assert can_edit_course(world.ani, world.course_a)
    assert not can_edit_course(world.ani, world.course_b)
    assert list(courses_editable_by(world.ani)) == [world.course_a]


def test_a_course_permission_granted_directly_still_covers_own_courses_only(
    world: World,
) -> None:
    # The model permission says what, not where: only the manager roles reach every course.
    user = UserFactory.create(staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="catalog", codename="change_course")
    )
    world.course_a.staff.add(user)

    assert list(courses_editable_by(user)) == [world.course_a]


# --- Lists ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(ADMIN_NAMES))
def test_an_instructor_lists_only_their_own_courses_rows(
    client: Client, world: World, kind: str
) -> None:
    ani = logged_in(client, world.ani)

    assert listed(ani, kind) == {world.rows("a")[kind].pk}


@pytest.mark.parametrize("kind", list(ADMIN_NAMES))
def test_the_other_instructor_lists_only_theirs(client: Client, world: World, kind: str) -> None:
    budi = logged_in(client, world.budi)

    assert listed(budi, kind) == {world.rows("b")[kind].pk}


@pytest.mark.parametrize("make_manager", [ContentAdminFactory, AdminFactory, SuperuserFactory])
@pytest.mark.parametrize("kind", list(ADMIN_NAMES))
def test_managers_list_every_courses_rows(
    client: Client, world: World, kind: str, make_manager: Any
) -> None:
    manager = logged_in(client, make_manager())

    assert listed(manager, kind) == {world.rows("a")[kind].pk, world.rows("b")[kind].pk}


def test_an_instructor_does_not_see_the_other_courses_learners_or_title(
    client: Client, world: World
) -> None:
    ani = logged_in(client, world.ani)

    page = ani.get(reverse("admin:catalog_enrollment_changelist")).content.decode()
    searched = ani.get(reverse("admin:catalog_enrollment_changelist"), {"q": "Sari"})
    filtered = ani.get(
        reverse("admin:catalog_enrollment_changelist"), {"course": world.course_b.pk}
    )

    assert "Rina Lestari" in page
    assert "Sari Wulandari" not in page
    # Not even as a choice of the course filter.
    assert "Etika Pelayanan Publik" not in page
    assert list(searched.context["cl"].result_list) == []
    assert list(filtered.context["cl"].result_list) == []


def test_the_course_autocomplete_offers_an_instructor_their_courses_only(
    client: Client, world: World
) -> None:
    ani = logged_in(client, world.ani)

    response = ani.get(
        reverse("admin:autocomplete"),
        {"app_label": "learning", "model_name": "section", "field_name": "course", "term": ""},
    )

    assert [item["text"] for item in response.json()["results"]] == ["Orientasi ASN Baru"]


# --- Pages by URL -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(ADMIN_NAMES))
@pytest.mark.parametrize("page", ["change", "delete", "history"])
def test_another_instructors_rows_are_not_found_by_url(
    client: Client, world: World, kind: str, page: str
) -> None:
    ani = logged_in(client, world.ani)
    row = world.rows("b")[kind]

    response = ani.get(reverse(f"admin:{ADMIN_NAMES[kind]}_{page}", args=[row.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["course", "section", "material", "attachment", "enrollment"])
def test_an_instructor_opens_their_own_rows(client: Client, world: World, kind: str) -> None:
    ani = logged_in(client, world.ani)
    row = world.rows("a")[kind]

    response = ani.get(reverse(f"admin:{ADMIN_NAMES[kind]}_change", args=[row.pk]))

    assert response.status_code == 200


def test_posting_to_another_instructors_section_changes_nothing(
    client: Client, world: World
) -> None:
    ani = logged_in(client, world.ani)

    response = ani.post(
        reverse("admin:learning_section_change", args=[world.section_b.pk]),
        {"title": "Diambil alih", "order": 1, "materials-TOTAL_FORMS": 0},
    )

    assert response.status_code == 404
    assert Section.objects.get(pk=world.section_b.pk).title == "Kode Etik"


def test_an_instructor_cannot_add_a_section_to_another_course(client: Client, world: World) -> None:
    ani = logged_in(client, world.ani)
    form = {
        "title": "Sisipan",
        "order": 2,
        "materials-TOTAL_FORMS": 0,
        "materials-INITIAL_FORMS": 0,
    }

    refused = ani.post(reverse("admin:learning_section_add"), {**form, "course": world.course_b.pk})
    accepted = ani.post(
        reverse("admin:learning_section_add"), {**form, "course": world.course_a.pk}
    )

    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert accepted.status_code == 302
    assert list(Section.objects.filter(title="Sisipan").values_list("course", flat=True)) == [
        world.course_a.pk
    ]


def test_an_instructor_cannot_add_a_material_to_another_courses_section(
    client: Client, world: World
) -> None:
    ani = logged_in(client, world.ani)

    response = ani.post(
        reverse("admin:learning_material_add"),
        {
            "section": world.section_b.pk,
            "title": "Sisipan",
            "order": 1,
            "attachments-TOTAL_FORMS": 0,
            "attachments-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert not Material.objects.filter(title="Sisipan").exists()


def test_an_instructor_cannot_attach_to_another_courses_material(
    client: Client, world: World
) -> None:
    ani = logged_in(client, world.ani)

    response = ani.post(
        reverse("admin:learning_attachment_add"),
        {
            "material": world.material_b.pk,
            "title": "Sisipan",
            "order": 1,
            "file": SimpleUploadedFile("catatan.txt", b"catatan"),
        },
    )

    assert response.status_code == 200
    assert not Attachment.objects.filter(title="Sisipan").exists()


def test_an_instructor_cannot_export_another_courses_learners(client: Client, world: World) -> None:
    ani = logged_in(client, world.ani)

    other = ani.get(
        reverse("admin:catalog_course_enrolments_export", args=[world.course_b.pk, "csv"])
    )
    own = ani.get(
        reverse("admin:catalog_course_enrolments_export", args=[world.course_a.pk, "csv"])
    )

    assert other.status_code == 404
    assert own.status_code == 200
    assert "Rina Lestari" in own.content.decode("utf-8-sig")
    assert "Sari Wulandari" not in own.content.decode("utf-8-sig")


def test_an_instructor_cannot_bulk_enrol_into_another_course(client: Client, world: World) -> None:
    ani = logged_in(client, world.ani)

    response = ani.post(
        reverse("admin:catalog_course_enrol", args=[world.course_b.pk]),
        {"usernames": world.learner_a.username, "confirm": "1"},
    )

    assert response.status_code == 404
    assert not Enrollment.objects.filter(course=world.course_b, user=world.learner_a).exists()


def test_course_packages_stay_with_the_courses_one_may_edit(client: Client, world: World) -> None:
    ani = logged_in(client, world.ani)

    assert (
        ani.get(
            reverse("admin:catalog_course_export_package", args=[world.course_b.pk])
        ).status_code
        == 404
    )
    # Importing creates a course: a manager's job.
    assert ani.get(reverse("admin:catalog_course_import_package")).status_code == 403


# --- Publishing and people --------------------------------------------------------------------


def test_an_instructor_is_not_offered_publishing(client: Client, world: World) -> None:
    ani = logged_in(client, world.ani)

    response = ani.get(reverse("admin:catalog_course_changelist"))

    action_form = response.context["action_form"]  # None when no action is left
    choices = action_form.fields["action"].choices if action_form else []
    actions = {name for name, _ in choices}
    assert "publish_courses" not in actions
    assert "unpublish_courses" not in actions


def test_an_instructor_posting_the_publish_action_publishes_nothing(
    client: Client, world: World
) -> None:
    ani = logged_in(client, world.ani)

    ani.post(
        reverse("admin:catalog_course_changelist"),
        {"action": "publish_courses", "_selected_action": [world.course_a.pk]},
    )

    assert not Course.objects.get(pk=world.course_a.pk).is_published


def test_an_instructor_edits_their_course_but_not_its_publication_or_people(
    client: Client, world: World
) -> None:
    ani = logged_in(client, world.ani)
    url = reverse("admin:catalog_course_change", args=[world.course_a.pk])
    data = form_data(ani.get(url))

    response = ani.post(
        url,
        {
            **data,
            "summary": "Ringkasan baru",
            "is_published": "on",
            "staff": [world.ani.pk, world.budi.pk],
        },
    )

    assert response.status_code == 302
    course = Course.objects.get(pk=world.course_a.pk)
    assert course.summary == "Ringkasan baru"
    assert not course.is_published
    assert list(course.staff.all()) == [world.ani]


def test_a_content_admin_publishes_and_chooses_the_staff(client: Client, world: World) -> None:
    admin = logged_in(client, ContentAdminFactory.create())
    url = reverse("admin:catalog_course_change", args=[world.course_a.pk])
    data = form_data(admin.get(url))

    response = admin.post(
        url, {**data, "is_published": "on", "staff": [world.ani.pk, world.budi.pk]}
    )

    assert response.status_code == 302
    course = Course.objects.get(pk=world.course_a.pk)
    assert course.is_published
    assert set(course.staff.all()) == {world.ani, world.budi}


# --- Who gets in at all -----------------------------------------------------------------------


def test_a_course_staff_member_without_the_role_gets_no_course_pages(
    client: Client, world: World
) -> None:
    plain = UserFactory.create(staff=True)
    world.course_a.staff.add(plain)
    client = logged_in(client, plain)

    assert client.get(reverse("admin:catalog_course_changelist")).status_code == 403
    assert (
        client.get(reverse("admin:catalog_course_change", args=[world.course_a.pk])).status_code
        == 403
    )


def test_an_instructor_with_no_course_sees_empty_lists(client: Client, world: World) -> None:
    idle = logged_in(
        client,
        InstructorFactory.create(username="cici.instruktur", permissions=INSTRUCTOR_PERMISSIONS),
    )

    assert listed(idle, "course") == set()
    assert listed(idle, "enrollment") == set()


def test_the_instructor_role_is_named_as_the_project_names_it() -> None:
    # The tests build the group by this name; roles.py must keep it.
    assert ROLE_INSTRUCTOR == "Instruktur"


@pytest.mark.parametrize("kind", list(ADMIN_NAMES))
def test_the_object_permissions_refuse_another_courses_rows_on_their_own(
    rf: Any, world: World, kind: str
) -> None:
    # A second line behind the filtered lists: a row reached another way is still refused.
    model_admin = django_admin.site.get_model_admin(type(world.rows("a")[kind]))
    request = rf.get("/admin/")
    request.user = world.ani

    for check in ("has_view_permission", "has_change_permission", "has_delete_permission"):
        assert not getattr(model_admin, check)(request, world.rows("b")[kind]), check
    assert model_admin.has_view_permission(request, world.rows("a")[kind])
