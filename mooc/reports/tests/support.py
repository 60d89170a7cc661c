"""Builders for the report tests (no tests here): plain ORM rows, nothing else run."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from mooc.accounts.models import Unit, User
from mooc.accounts.roles import ROLE_ADMIN, ROLE_REPORT_VIEWER, roles_sync
from mooc.accounts.tests.factories import UnitFactory, UserFactory
from mooc.catalog.models import Category, Course, Enrollment
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.certificates.models import Certificate, CertificateState
from mooc.reports.models import ExternalTraining

_serial = itertools.count(1)


def report_unit(name: str = "", parent: Unit | None = None) -> Unit:
    fields = {"name": name} if name else {}
    return UnitFactory.create(parent=parent, **fields)


def report_learner(
    *, unit: Unit | None = None, internal: bool = True, name: str = "", **fields: Any
) -> User:
    if name:
        fields["full_name"] = name
    return UserFactory.create(unit=unit, internal=internal, **fields)


def report_course(*, jp: int = 2, title: str = "", **fields: Any) -> Course:
    """A published course, all in one category ("Umum") unless told otherwise."""
    if title:
        fields["title"] = title
    if "category" not in fields:
        fields["category"], _ = Category.objects.get_or_create(
            slug="umum", defaults={"name": "Umum"}
        )
    return CourseFactory.create(jp=jp, **fields)


def enrol(user: User, course: Course, **fields: Any) -> Enrollment:
    return EnrollmentFactory.create(user=user, course=course, **fields)


def enrol_passed(
    user: User,
    course: Course,
    *,
    at: dt.datetime | None = None,
    score: int = 85,
    certificate: bool = False,
    **fields: Any,
) -> Enrollment:
    enrollment = enrol(
        user, course, completed=True, final_score=score, completed_at=at or timezone.now(), **fields
    )
    if certificate:
        certificate_for(enrollment)
    return enrollment


def enrol_failed(user: User, course: Course, *, at: dt.datetime | None = None) -> Enrollment:
    return enrol(user, course, completed=True, passed=False, completed_at=at or timezone.now())


def certificate_for(enrollment: Enrollment, *, revoked: bool = False) -> Certificate:
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


def external_training_for(
    user: User, *, jp: int = 4, ends_on: dt.date | None = None
) -> ExternalTraining:
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


def report_admin() -> User:
    roles_sync()
    return UserFactory.create(full_name="Admin Laporan", staff=True, groups=[ROLE_ADMIN])


def report_viewer(unit: Unit) -> User:
    roles_sync()
    return UserFactory.create(
        unit=unit, full_name="Pelihat Laporan", staff=True, groups=[ROLE_REPORT_VIEWER]
    )


def report_instructor(*courses: Course) -> User:
    user = UserFactory.create(full_name="Instruktur", staff=True)
    for course in courses:
        course.staff.add(user)
    return user


def streamed(response: Any) -> bytes:
    """The body of a streamed download (exports are streamed, not built in memory)."""
    return b"".join(response.streaming_content)
