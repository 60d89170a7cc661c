"""Builders shared by the admin tests of the catalog (plain functions, no tests here).

The roles are made as the project makes them: managers through `roles_sync()`, and the
Instruktur group with the catalog/learning permissions it needs to use the admin
(`INSTRUCTOR_PERMISSIONS`), assigned here explicitly until `roles.py` grants them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from mooc.accounts.models import EmployeeType, Unit, User
from mooc.accounts.roles import ROLE_ADMIN, ROLE_CONTENT_ADMIN, ROLE_INSTRUCTOR, roles_sync
from mooc.catalog.models import Category, Course, Enrollment
from mooc.learning.models import Attachment, Material, Section

INSTRUCTOR_PERMISSIONS = (
    "catalog.view_course",
    "catalog.change_course",
    "catalog.view_enrollment",
    "catalog.add_enrollment",
    "learning.view_section",
    "learning.add_section",
    "learning.change_section",
    "learning.delete_section",
    "learning.view_material",
    "learning.add_material",
    "learning.change_material",
    "learning.delete_material",
    "learning.view_attachment",
    "learning.add_attachment",
    "learning.change_attachment",
    "learning.delete_attachment",
)

_serial = itertools.count(1)


def nip(serial: int) -> str:
    """A well-formed PNS NIP whose last three digits are `serial`."""
    return f"19860926201505{1 + serial // 1000}{serial % 1000:03d}"


def permissions(*names: str) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def make_user(
    username: str | None = None,
    *,
    staff: bool = False,
    groups: Iterable[str] = (),
    unit: Unit | None = None,
    **fields: Any,
) -> User:
    username = username or nip(next(_serial))
    fields.setdefault("full_name", f"Pegawai {username[-4:]}")
    fields.setdefault("email", f"{username.lower()}@example.go.id")
    fields.setdefault("employee_type", EmployeeType.INTERNAL)
    fields.setdefault("activated_at", timezone.now())
    user = User.objects.create_user(
        username=username, password="Rahasia123", is_staff=staff, unit=unit, **fields
    )
    for name in groups:
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)
    return user


def make_instructor(username: str, *courses: Course) -> User:
    """A staff account in the Instruktur group, on the staff of `courses`."""
    group, _ = Group.objects.get_or_create(name=ROLE_INSTRUCTOR)
    group.permissions.add(*permissions(*INSTRUCTOR_PERMISSIONS))
    user = make_user(username, staff=True, groups=[ROLE_INSTRUCTOR])
    for course in courses:
        course.staff.add(user)
    return user


def make_content_admin(username: str = "konten") -> User:
    roles_sync()
    return make_user(username, staff=True, groups=[ROLE_CONTENT_ADMIN])


def make_admin(username: str = "bpsdm") -> User:
    roles_sync()
    return make_user(username, staff=True, groups=[ROLE_ADMIN])


def make_superuser(username: str = "root") -> User:
    return User.objects.create_superuser(
        username=username, password="x", email=f"{username}@example.org", full_name="Root"
    )


def make_category(name: str = "Pelayanan Publik") -> Category:
    category, _ = Category.objects.get_or_create(
        name=name, defaults={"slug": name.lower().replace(" ", "-")}
    )
    return category


def make_course(title: str = "Etika Pelayanan Publik", **fields: Any) -> Course:
    serial = next(_serial)
    fields.setdefault("slug", f"kursus-{serial}")
    fields.setdefault("summary", f"Ringkasan {title}")
    fields.setdefault("jp", 10)
    fields.setdefault("category", make_category())
    return Course.objects.create(title=title, **fields)


def make_section(course: Course, title: str = "Pendahuluan", order: int = 1) -> Section:
    return Section.objects.create(course=course, title=title, order=order)


def make_material(section: Section, title: str = "Materi 1", order: int = 1) -> Material:
    return Material.objects.create(section=section, title=title, body="<p>Isi</p>", order=order)


def make_attachment(material: Material, title: str = "Modul") -> Attachment:
    from django.core.files.base import ContentFile

    attachment = Attachment(material=material, title=title)
    attachment.file.save("modul.txt", ContentFile(b"Modul pelatihan"), save=False)
    attachment.save()
    return attachment


def enrol(user: User, course: Course, **fields: Any) -> Enrollment:
    return Enrollment.objects.create(
        user=user, course=course, jp=course.jp, unit_id=user.unit_id, **fields
    )


def logged_in(client: Client, user: User) -> Client:
    """The client signed in as `user`, with the English interface (messages are
    asserted in the source language)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def make_units() -> tuple[Unit, Unit, Unit]:
    """Kementerian → Kanwil Jawa Barat → UPT Bandung."""
    root = Unit.objects.add_root({"code": "KEM", "name": "Kementerian Demo"})
    kanwil = Unit.objects.add_child(root, {"code": "KW-JABAR", "name": "Kantor Wilayah Jawa Barat"})
    upt = Unit.objects.add_child(kanwil, {"code": "UPT-BDG", "name": "UPT Bandung"})
    return root, kanwil, upt
