"""Builders shared by the catalogue, course page, enrolment, favourite, Beranda and
my-courses tests. No tests here: pytest collects this module and finds none."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import timezone

from mooc.accounts.models import EmployeeType, Unit, User
from mooc.catalog.models import Category, Course, Enrollment, EnrollmentResult, EnrollmentStatus
from mooc.learning.models import Material, Section

PASSWORD = "Rahasia123"
_serial = count(1)


def make_user(username: str = "", *, internal: bool = True, **fields: Any) -> User:
    username = username or f"peserta{next(_serial)}"
    fields.setdefault("full_name", f"Peserta {username}")
    fields.setdefault("email", f"{username}@example.go.id")
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        employee_type=EmployeeType.INTERNAL if internal else EmployeeType.EXTERNAL,
        activated_at=timezone.now(),
        **fields,
    )


def make_unit(name: str = "Kantor Wilayah Jawa Barat") -> Unit:
    root = Unit.objects.add_root({"code": f"KEM{next(_serial)}", "name": "Kementerian Demo"})
    return Unit.objects.add_child(root, {"code": f"KW{next(_serial)}", "name": name})  # type: ignore[no-any-return]


def make_category(name: str = "Umum", *, order: int = 0) -> Category:
    slug = name.lower().replace(" ", "-")
    category, _ = Category.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
    return category


def make_course(
    title: str = "",
    *,
    category: Category | None = None,
    sections: int = 0,
    materials: int = 0,
    **fields: Any,
) -> Course:
    """A published course; `sections` × `materials` titled "Materi <s>.<m>"."""
    number = next(_serial)
    title = title or f"Kursus nomor {number}"
    fields.setdefault("slug", f"kursus-{number}")
    fields.setdefault("summary", "Ringkasan singkat kursus.")
    fields.setdefault("jp", 2)
    fields.setdefault("is_published", True)
    course = Course.objects.create(title=title, category=category or make_category(), **fields)
    for s in range(1, sections + 1):
        section = Section.objects.create(course=course, title=f"Bagian {s}", order=s)
        Material.objects.bulk_create(
            Material(section=section, title=f"Materi {s}.{m}", order=m)
            for m in range(1, materials + 1)
        )
    return course


def make_enrollment(user: User, course: Course, **fields: Any) -> Enrollment:
    fields.setdefault("jp", course.jp)
    return Enrollment.objects.create(user=user, course=course, **fields)


def make_completed(
    user: User,
    course: Course,
    *,
    passed: bool = True,
    completed_at: dt.datetime | None = None,
) -> Enrollment:
    return make_enrollment(
        user,
        course,
        status=EnrollmentStatus.COMPLETED,
        result=EnrollmentResult.PASSED if passed else EnrollmentResult.FAILED,
        final_score=85 if passed else 40,
        completed_at=completed_at or timezone.now(),
    )


def signed_in(client: Client, user: User | None = None) -> User:
    user = user or make_user()
    client.force_login(user)
    return user


def in_english(client: Client) -> Client:
    """The site is Indonesian unless the language cookie says otherwise; English text
    lets tests read our own strings before their Indonesian entries exist."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
