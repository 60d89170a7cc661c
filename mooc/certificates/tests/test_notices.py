"""The holder is told when a certificate is reissued or revoked: one mail each, in
Indonesian, naming the course, the number and the reason, with the certificate's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from mooc.accounts.roles import ROLE_ADMIN
from mooc.accounts.tests.factories import UserFactory
from mooc.certificates.models import Certificate
from mooc.certificates.services import certificate_reissue, certificate_revoke
from mooc.certificates.tests.support import course_with_exam, pass_course, staff_of
from mooc.core.errors import ServiceError

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(django_capture_on_commit_callbacks: Any) -> Certificate:
    course, exam = course_with_exam()
    holder = UserFactory.create(full_name="Rina Wulandari", email="rina@example.go.id")
    with django_capture_on_commit_callbacks(execute=True):
        pass_course(holder, course, exam)
    mail.outbox.clear()  # the congratulation mail of issuing
    return Certificate.objects.select_related("course", "user").get()


def test_a_reissue_mails_the_holder_with_the_reason(
    issued: Certificate, django_capture_on_commit_callbacks: Any
) -> None:
    admin = staff_of(issued.course, ROLE_ADMIN)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        certificate_reissue(certificate=issued, actor=admin, reason="Nama salah ketik")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rina@example.go.id"]
    assert message.subject == f"Sertifikat Anda untuk {issued.course.title} diterbitkan ulang"
    assert f"nomor {issued.number}" in message.body and "versi 2" in message.body
    assert "Alasan: Nama salah ketik" in message.body
    assert reverse("certificates:detail", args=[issued.pk]) in message.body


def test_a_revocation_mails_the_holder_with_the_reason(
    issued: Certificate, django_capture_on_commit_callbacks: Any
) -> None:
    admin = staff_of(issued.course, ROLE_ADMIN)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=issued, actor=admin, reason="Peserta tidak berhak")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"Sertifikat Anda untuk {issued.course.title} dicabut"
    assert "tidak berlaku lagi" in message.body
    assert "Alasan: Peserta tidak berhak" in message.body
    html = message.alternatives[0][0]  # type: ignore[attr-defined]
    assert "Halo Rina Wulandari," in html and issued.course.title in html


def test_a_refused_second_revocation_mails_nothing(
    issued: Certificate, django_capture_on_commit_callbacks: Any
) -> None:
    admin = staff_of(issued.course, ROLE_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=issued, actor=admin, reason="Peserta tidak berhak")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ServiceError):
        certificate_revoke(certificate=issued, actor=admin, reason="Sekali lagi")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ServiceError):
        certificate_reissue(certificate=issued, actor=admin, reason="Tidak boleh")

    assert mail.outbox == []
