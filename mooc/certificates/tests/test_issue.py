"""Issuing: with the passing grade, numbered right after it, snapshot kept, mail sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from mooc.accounts.models import EmployeeType
from mooc.accounts.nip import EmployeeKind
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Enrollment, EnrollmentResult
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.certificates.models import Certificate, CertificateSequence
from mooc.certificates.services import (
    CODE_ALPHABET,
    CODE_LENGTH,
    certificate_issue,
    certificate_number_assign,
    certificates_finish_pending,
)
from mooc.certificates.tests.support import course_with_exam, pass_course, take
from mooc.core.errors import ServiceError
from mooc.core.models import SiteSettings, validate_certificate_number_format

pytestmark = pytest.mark.django_db


def test_passing_the_final_exam_issues_a_numbered_certificate_and_mails_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    course, exam = course_with_exam()
    user = UserFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = pass_course(user, course, exam)

    assert enrollment.result == EnrollmentResult.PASSED
    certificate = Certificate.objects.get(enrollment=enrollment)
    year = timezone.localdate().year
    assert certificate.number == f"BPSDM/{year}/000001"
    assert len(certificate.code) == CODE_LENGTH
    assert set(certificate.code) <= set(CODE_ALPHABET)
    version = certificate.current_version
    assert version is not None and version.version == 1
    assert version.holder_name == user.full_name
    assert version.course_title == course.title
    assert version.jp == enrollment.jp
    assert version.score == enrollment.final_score
    assert version.passed_on == timezone.localdate(enrollment.completed_at)
    # Rendered in the background right away (eager here), so the first download is instant.
    version.refresh_from_db()
    assert version.pdf.name.endswith(".pdf")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert certificate.number in message.body
    assert f"/sertifikat/{certificate.pk}/" in message.body


def test_failing_or_a_course_without_certificate_issues_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    course, exam = course_with_exam(max_attempts=1)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        take(user, exam, right=False)
    assert Enrollment.objects.get(user=user).result == EnrollmentResult.FAILED
    assert not Certificate.objects.exists()

    course2, exam2 = course_with_exam()
    course2.gives_certificate = False
    course2.save()
    with django_capture_on_commit_callbacks(execute=True):
        pass_course(user, course2, exam2)
    assert not Certificate.objects.exists()
    assert mail.outbox == []


def test_a_second_pass_keeps_the_one_certificate(django_capture_on_commit_callbacks: Any) -> None:
    course, exam = course_with_exam(allow_retake_after_pass=True)
    user = UserFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        pass_course(user, course, exam)
        take(user, exam, right=True)
    assert Certificate.objects.count() == 1
    assert Certificate.objects.get().number is not None


def test_issue_refuses_an_enrolment_that_has_not_passed() -> None:
    course, _exam = course_with_exam()
    enrollment = EnrollmentFactory.create(user=UserFactory.create(), course=course)
    with pytest.raises(ServiceError) as caught:
        certificate_issue(enrollment)
    assert caught.value.code == "not_passed"


def test_the_snapshot_survives_a_course_rename_and_a_profile_edit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    course, exam = course_with_exam()
    user = UserFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        pass_course(user, course, exam)
    old_title, old_name = course.title, user.full_name
    course.title = "Judul Baru"
    course.jp = 99
    course.save()
    user.full_name = "Nama Lain"
    user.save()

    version = Certificate.objects.get().current_version
    assert version is not None
    version.refresh_from_db()
    assert (version.course_title, version.holder_name) == (old_title, old_name)
    assert version.jp == 2


def test_identity_line_follows_the_employee_kind(django_capture_on_commit_callbacks: Any) -> None:
    course, exam = course_with_exam()
    pns = UserFactory.create(username="198609262015051001")
    pns.employee_type, pns.nip_kind = EmployeeType.INTERNAL, EmployeeKind.PNS
    pns.save()
    pppk = UserFactory.create(username="199001012023212001")
    pppk.employee_type, pppk.nip_kind = EmployeeType.INTERNAL, EmployeeKind.PPPK
    pppk.save()
    external = UserFactory.create(username="tamu.luar")
    external.employee_type, external.instansi = EmployeeType.EXTERNAL, "Pemerintah Kota Bandung"
    external.save()
    with django_capture_on_commit_callbacks(execute=True):
        for user in (pns, pppk, external):
            pass_course(user, course, exam)

    def version_of(user: Any) -> Any:
        return Certificate.objects.get(user=user).current_version

    assert (version_of(pns).holder_id_label, version_of(pns).holder_id) == (
        "NIP",
        "198609262015051001",
    )
    assert version_of(pppk).holder_id_label == "NI PPPK"
    assert (version_of(external).holder_id_label, version_of(external).holder_id) == ("", "")
    assert version_of(external).holder_instansi == "Pemerintah Kota Bandung"


def test_numbers_are_consecutive_per_year_and_restart_each_year() -> None:
    course, _exam = course_with_exam()
    numbers = []
    for passed_at in (
        dt.datetime(2026, 6, 1, 3, tzinfo=dt.UTC),
        dt.datetime(2026, 7, 1, 3, tzinfo=dt.UTC),
        # 17:30 UTC on 31 December is already 1 January in Jakarta: the institution's
        # time zone decides the year.
        dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC),
    ):
        user = UserFactory.create()
        enrollment = EnrollmentFactory.create(user=user, course=course)
        enrollment.result = EnrollmentResult.PASSED
        enrollment.completed_at = passed_at
        enrollment.save()
        certificate = certificate_issue(enrollment, now=passed_at)
        assert certificate is not None
        numbers.append(certificate_number_assign(certificate.pk))
    assert numbers == ["BPSDM/2026/000001", "BPSDM/2026/000002", "BPSDM/2027/000001"]
    assert CertificateSequence.objects.get(series="BPSDM", year=2026).last == 2


def test_the_number_format_is_configurable_and_validated() -> None:
    site = SiteSettings.objects.get_or_create(id=1)[0]
    site.short_name = "BPSDMI"
    site.certificate_number_format = "{seq:05d}/{short_name}/MOOC/{year}"
    site.save()
    course, _exam = course_with_exam()
    enrollment = EnrollmentFactory.create(user=UserFactory.create(), course=course)
    enrollment.result = EnrollmentResult.PASSED
    enrollment.completed_at = timezone.now()
    enrollment.save()
    certificate = certificate_issue(enrollment)
    assert certificate is not None
    assert certificate_number_assign(certificate.pk) == (
        f"00001/BPSDMI/MOOC/{timezone.localdate().year}"
    )

    validate_certificate_number_format("{short_name}/{year}/{seq:06d}")
    for bad in (
        "{short_name}/{seq}",
        "{year}/{seq}/{name}",
        "{year}/{seq",
        "{year}/{short_name:d}/{seq}",
        "{year}/{0}/{seq}",
    ):
        with pytest.raises(ValidationError):
            validate_certificate_number_format(bad)


def test_a_certificate_left_without_a_number_is_numbered_by_the_periodic_job(
    django_capture_on_commit_callbacks: Any,
) -> None:
    course, _exam = course_with_exam()
    enrollment = EnrollmentFactory.create(user=UserFactory.create(), course=course)
    enrollment.result = EnrollmentResult.PASSED
    enrollment.completed_at = timezone.now()
    enrollment.save()
    # Issued, but the process "died" before the after-commit numbering ran.
    certificate = certificate_issue(enrollment, now=timezone.now() - dt.timedelta(minutes=5))
    assert certificate is not None and certificate.number is None

    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_finish_pending() == 1
    certificate.refresh_from_db()
    assert certificate.number is not None
    assert len(mail.outbox) == 1
    assert certificates_finish_pending() == 0
