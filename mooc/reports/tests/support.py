"""Builders for the report tests (no tests here): plain ORM rows, nothing else run."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from mooc.accounts.models import EmployeeType, Unit, User
from mooc.accounts.roles import ROLE_ADMIN, ROLE_REPORT_VIEWER, roles_sync
from mooc.catalog.models import Category, Course, Enrollment, EnrollmentResult, EnrollmentStatus
from mooc.certificates.models import Certificate, CertificateState
from mooc.reports.models import ExternalTraining

_serial = itertools.count(1)
PASSWORD = "Rahasia123"


def make_unit(name: str = "", parent: Unit | None = None) -> Unit:
    n = next(_serial)
    data = {"code": f"U{n}", "name": name or f"Unit {n}"}
    if parent is None:
        return Unit.objects.add_root(data)  # type: ignore[no-any-return]
    return Unit.objects.add_child(parent, data)  # type: ignore[no-any-return]


def make_user(
    *, unit: Unit | None = None, internal: bool = True, name: str = "", **fields: Any
) -> User:
    n = next(_serial)
    username = fields.pop("username", f"{198600000000000000 + n}")
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        full_name=name or f"Peserta {n}",
        email=f"p{n}@example.go.id",
        employee_type=EmployeeType.INTERNAL if internal else EmployeeType.EXTERNAL,
        unit=unit,
        activated_at=timezone.now(),
        **fields,
    )


def make_course(*, jp: int = 2, title: str = "", **fields: Any) -> Course:
    n = next(_serial)
    category, _ = Category.objects.get_or_create(slug="umum", defaults={"name": "Umum"})
    return Course.objects.create(
        slug=f"kursus-{n}",
        title=title or f"Kursus {n}",
        summary="Ringkasan.",
        category=category,
        jp=jp,
        is_published=True,
        **fields,
    )


def enrol(user: User, course: Course, **fields: Any) -> Enrollment:
    fields.setdefault("jp", course.jp)
    fields.setdefault("unit", user.unit)
    return Enrollment.objects.create(user=user, course=course, **fields)


def make_passed(
    user: User,
    course: Course,
    *,
    at: dt.datetime | None = None,
    score: int = 85,
    certificate: bool = False,
    **fields: Any,
) -> Enrollment:
    enrollment = enrol(
        user,
        course,
        status=EnrollmentStatus.COMPLETED,
        result=EnrollmentResult.PASSED,
        final_score=score,
        completed_at=at or timezone.now(),
        **fields,
    )
    if certificate:
        make_certificate(enrollment)
    return enrollment


def make_failed(user: User, course: Course, *, at: dt.datetime | None = None) -> Enrollment:
    return enrol(
        user,
        course,
        status=EnrollmentStatus.COMPLETED,
        result=EnrollmentResult.FAILED,
        final_score=40,
        completed_at=at or timezone.now(),
    )


def make_certificate(enrollment: Enrollment, *, revoked: bool = False) -> Certificate:
    n = next(_serial)
    assert enrollment.completed_at is not None
    return Certificate.objects.create(
        enrollment=enrollment,
        user=enrollment.user,
        course=enrollment.course,
        number=f"BPSDM/2026/{n:06d}",
        series="BPSDM",
        year=2026,
        sequence=n,
        code=f"CODE{n:012d}",
        state=CertificateState.REVOKED if revoked else CertificateState.VALID,
        passed_at=enrollment.completed_at,
        issued_at=enrollment.completed_at,
        revoked_at=timezone.now() if revoked else None,
        revoked_reason="Plagiarisme terbukti." if revoked else "",
    )


def make_external(user: User, *, jp: int = 4, ends_on: dt.date | None = None) -> ExternalTraining:
    ends_on = ends_on or timezone.localdate()
    training = ExternalTraining(
        user=user,
        title="Pelatihan Kepemimpinan",
        organiser="LAN RI",
        starts_on=ends_on - dt.timedelta(days=2),
        ends_on=ends_on,
        jp=jp,
        certificate_number="LAN/1/2026",
        reason="Sertifikat diserahkan ke unit.",
    )
    training.evidence.save("bukti.pdf", ContentFile(b"%PDF-1.4 bukti"), save=False)
    training.save()
    return training


def make_admin() -> User:
    roles_sync()
    user = make_user(name="Admin Laporan", is_staff=True)
    user.groups.add(Group.objects.get(name=ROLE_ADMIN))
    return user


def make_viewer(unit: Unit) -> User:
    roles_sync()
    user = make_user(unit=unit, name="Pelihat Laporan", is_staff=True)
    user.groups.add(Group.objects.get(name=ROLE_REPORT_VIEWER))
    return user


def make_instructor(*courses: Course) -> User:
    user = make_user(name="Instruktur", is_staff=True)
    for course in courses:
        course.staff.add(user)
    return user


def signed_in(client: Client, user: User) -> User:
    client.force_login(user)
    return user
