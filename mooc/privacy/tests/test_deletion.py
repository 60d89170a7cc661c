"""Deletion at the learner's request: asked with the password, decided by an admin,
and on approval the account anonymised, with statistics and certificate verification kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db.models import Avg, Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mooc.accounts.models import AccountToken, TokenPurpose, User
from mooc.accounts.roles import ROLE_INSTRUCTOR
from mooc.accounts.services.tokens import token_issue
from mooc.catalog.models import Enrollment, Favorite
from mooc.certificates.models import Certificate, CertificateState
from mooc.certificates.services import certificate_reissue
from mooc.core.errors import ServiceError
from mooc.core.files import private_storage
from mooc.core.models import AuditLog
from mooc.exams.models import Attempt, AttemptAnswer
from mooc.learning.models import MaterialProgress
from mooc.privacy.models import DataExport, DeletionRequest, DeletionState
from mooc.privacy.services.deletion import deletion_request_approve
from mooc.privacy.tests.support import (
    NIP,
    OTHER_NIP,
    PASSWORD,
    History,
    admin_user,
    client_for,
    history,
)

pytestmark = pytest.mark.django_db

REQUEST_URL = reverse("privacy:deletion_request")


@pytest.fixture
def rina(django_capture_on_commit_callbacks: Any) -> History:
    with django_capture_on_commit_callbacks(execute=True):
        made = history()
    made.certificate.refresh_from_db()
    return made


def _ask(client: Client, capture: Any, password: str = PASSWORD) -> Any:
    with capture(execute=True):
        return client.post(REQUEST_URL, {"password": password}, follow=True)


def _decide(
    admin: Client, deletion: DeletionRequest, action: str, capture: Any, **data: str
) -> Any:
    url = reverse(f"admin:privacy_deletionrequest_{action}", args=[deletion.pk])
    with capture(execute=True):
        return admin.post(url, data, follow=True)


def _exam_statistics(history: History) -> dict[str, Any]:
    return dict(
        Attempt.objects.filter(exam=history.exam).aggregate(
            attempts=Count("pk"), average=Avg("score")
        ),
        answers=AttemptAnswer.objects.filter(attempt_question__attempt__exam=history.exam).count(),
        enrolments=Enrollment.objects.filter(course=history.course).count(),
        passed=Enrollment.objects.filter(course=history.course, result="passed").count(),
        progress=MaterialProgress.objects.filter(course=history.course).count(),
    )


def test_request_approve_anonymises_and_keeps_statistics_and_verification(
    rina: History, django_capture_on_commit_callbacks: Any
) -> None:
    user = rina.user
    learner = client_for(user)
    photo = str(user.photo.name)
    assert private_storage().exists(photo)
    token_issue(user=user, purpose=TokenPurpose.ACTIVATION, lifetime=dt.timedelta(days=1))
    TOTPDevice.objects.create(user=user, name="Telepon", confirmed=True)  # turned MFA on
    with django_capture_on_commit_callbacks(execute=True):
        learner.post(reverse("privacy:export_request"))
    export_file = str(DataExport.objects.get().file.name)
    statistics = _exam_statistics(rina)
    admin = admin_user()
    mail.outbox.clear()

    # The learner asks; the admins are told.
    page = _ask(learner, django_capture_on_commit_callbacks)
    assert "Permintaan penghapusan akun Anda telah dikirim" in page.content.decode()
    deletion = DeletionRequest.objects.get(user=user, state=DeletionState.PENDING)
    assert [m.to for m in mail.outbox] == [["admin@example.go.id"]]
    assert "/admin/privacy/deletionrequest/" in mail.outbox[0].body
    assert "Rina" not in mail.outbox[0].body  # the request's number, not the person
    mail.outbox.clear()

    # The admin sees the request, what stays, and approves with a reason.
    admin_client = client_for(admin)
    change = admin_client.get(reverse("admin:privacy_deletionrequest_change", args=[deletion.pk]))
    assert change.status_code == 200
    assert reverse("admin:privacy_deletionrequest_approve", args=[deletion.pk]) in (
        change.content.decode()
    )
    done = _decide(
        admin_client,
        deletion,
        "approve",
        django_capture_on_commit_callbacks,
        reason="Permintaan peserta, tiket #123",
    )
    assert "Akun telah dianonimkan" in done.content.decode()

    # Told at the address the account had.
    assert [m.to for m in mail.outbox] == [["rina.wulandari@example.go.id"]]
    assert "telah dihapus" in mail.outbox[0].subject

    user.refresh_from_db()
    assert user.username == f"dihapus:{user.pk}"
    assert (user.full_name, user.email, user.phone, user.jabatan, user.instansi) == ("",) * 5
    assert user.unit is None and not user.photo
    assert not user.is_active and not user.has_usable_password()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not private_storage().exists(photo)
    assert not private_storage().exists(export_file)
    assert not DataExport.objects.filter(user=user).exists()
    assert not AccountToken.objects.filter(user=user).exists()
    assert not Favorite.objects.filter(user=user).exists()
    # Every session ended.
    assert learner.get(reverse("accounts:profile")).status_code == 302

    # Exam statistics as they were.
    assert _exam_statistics(rina) == statistics
    assert Attempt.objects.filter(user=user).count() == 2

    # The certificate stays, valid, and its verification shows what it printed only.
    certificate = Certificate.objects.select_related("current_version").get(pk=rina.certificate.pk)
    assert certificate.state == CertificateState.VALID
    verification = Client().get(reverse("certificates:verify", args=[certificate.code]))
    assert verification.status_code == 200
    html = verification.content.decode()
    assert certificate.current_version is not None
    printed = certificate.current_version
    assert printed.holder_name == "Rina Wulandari" and printed.holder_id == NIP
    assert "Rina Wulandari" in html  # printed on the certificate itself
    assert NIP[-4:] in html and NIP not in html  # the NIP printed, masked as always
    for gone in (
        "rina.wulandari@example.go.id",
        "081234567890",
        "Analis Kepegawaian",
        "Kementerian",
        "dihapus",
    ):
        assert gone not in html

    # Audit: the request, the approval with its reason; no old values in the approval.
    entries = AuditLog.objects.filter(target_id=str(user.pk)).order_by("id")
    actions = [entry.action for entry in entries]
    assert "privacy.deletion_requested" in actions
    approval = entries.get(action="privacy.account_anonymised")
    assert approval.actor_id == admin.pk and approval.reason == "Permintaan peserta, tiket #123"
    assert approval.target_label == f"dihapus:{user.pk}"
    assert "Rina" not in str(approval.after) and NIP not in str(approval.after)
    assert approval.after is not None and "full_name" in approval.after["fields_cleared"]

    deletion.refresh_from_db()
    assert deletion.state == DeletionState.APPROVED and deletion.decided_by == admin

    # Approving twice: a clear message, nothing changes.
    again = _decide(
        admin_client, deletion, "approve", django_capture_on_commit_callbacks, reason="lagi"
    )
    assert "Permintaan ini sudah diputuskan" in again.content.decode()
    assert AuditLog.objects.filter(action="privacy.account_anonymised").count() == 1

    # And the certificate can no longer be reissued (it would print the placeholder).
    with pytest.raises(ServiceError, match=r"dihapus atas permintaannya|deleted at their"):
        certificate_reissue(certificate=certificate, actor=admin, reason="koreksi nama")


def test_a_wrong_password_is_refused_next_to_the_field(
    rina: History, django_capture_on_commit_callbacks: Any
) -> None:
    response = _ask(client_for(rina.user), django_capture_on_commit_callbacks, "salah-sekali")
    assert response.status_code == 400
    assert "Password tidak benar." in response.content.decode()
    assert response.context["form"].errors["password"] == ["Password tidak benar."]
    assert not DeletionRequest.objects.exists()


def test_asking_twice_says_a_request_is_already_waiting(
    rina: History, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(rina.user)
    _ask(client, django_capture_on_commit_callbacks)
    page = client.get(reverse("privacy:personal_data")).content.decode()
    assert 'data-testid="deletion-pending"' in page
    response = _ask(client, django_capture_on_commit_callbacks)
    assert "Anda sudah meminta penghapusan akun" in response.content.decode()
    assert DeletionRequest.objects.count() == 1


def test_the_learner_may_withdraw_a_waiting_request(
    rina: History, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(rina.user)
    _ask(client, django_capture_on_commit_callbacks)
    response = client.post(reverse("privacy:deletion_cancel"), follow=True)
    assert "telah dibatalkan" in response.content.decode()
    assert DeletionRequest.objects.get().state == DeletionState.CANCELLED
    assert AuditLog.objects.filter(action="privacy.deletion_cancelled").exists()
    # Withdrawn: an admin can no longer approve it.
    admin_client = client_for(admin_user())
    done = _decide(
        admin_client,
        DeletionRequest.objects.get(),
        "approve",
        django_capture_on_commit_callbacks,
        reason="x",
    )
    assert "Permintaan ini sudah diputuskan" in done.content.decode()
    assert User.objects.get(pk=rina.user.pk).username == NIP


def test_a_rejection_needs_a_reason_tells_the_learner_and_is_audited(
    rina: History, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(client_for(rina.user), django_capture_on_commit_callbacks)
    deletion = DeletionRequest.objects.get()
    admin_client = client_for(admin_user())
    mail.outbox.clear()

    empty = _decide(admin_client, deletion, "reject", django_capture_on_commit_callbacks, reason="")
    assert empty.status_code == 200 and "errorlist" in empty.content.decode()
    assert DeletionRequest.objects.get().state == DeletionState.PENDING

    _decide(
        admin_client,
        deletion,
        "reject",
        django_capture_on_commit_callbacks,
        reason="Masih ada tunggakan tugas belajar.",
    )
    deletion.refresh_from_db()
    assert deletion.state == DeletionState.REJECTED
    assert [m.to for m in mail.outbox] == [["rina.wulandari@example.go.id"]]
    assert "Masih ada tunggakan tugas belajar." in mail.outbox[0].body
    entry = AuditLog.objects.get(action="privacy.deletion_rejected")
    assert entry.reason == "Masih ada tunggakan tugas belajar."
    user = User.objects.get(pk=rina.user.pk)
    assert user.username == NIP and user.is_active
    # Once rejected, the learner may ask again.
    _ask(client_for(user), django_capture_on_commit_callbacks)
    assert DeletionRequest.objects.filter(state=DeletionState.PENDING).count() == 1


def test_staff_accounts_cannot_ask(django_capture_on_commit_callbacks: Any) -> None:
    staff = admin_user()
    client = client_for(staff)
    page = client.get(reverse("privacy:personal_data")).content.decode()
    assert "Akun staf tidak dapat dihapus di sini" in page
    assert REQUEST_URL not in page
    response = _ask(client, django_capture_on_commit_callbacks)
    assert "Akun staf tidak dapat dihapus di sini" in response.content.decode()
    assert not DeletionRequest.objects.exists()


def test_only_admins_decide(rina: History, django_capture_on_commit_callbacks: Any) -> None:
    _ask(client_for(rina.user), django_capture_on_commit_callbacks)
    deletion = DeletionRequest.objects.get()
    instructor = User.objects.create_user(
        username="instruktur",
        password=PASSWORD,
        is_staff=True,
        email="i@example.go.id",
        activated_at=timezone.now(),
    )
    instructor.groups.add(Group.objects.get(name=ROLE_INSTRUCTOR))
    url = reverse("admin:privacy_deletionrequest_approve", args=[deletion.pk])
    assert client_for(instructor).post(url, {"reason": "x"}).status_code == 403
    assert DeletionRequest.objects.get().state == DeletionState.PENDING


def test_approval_waits_for_a_running_exam(
    rina: History, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(client_for(rina.user), django_capture_on_commit_callbacks)
    Attempt.objects.filter(user=rina.user, number=2).update(state="in_progress")
    with pytest.raises(ServiceError, match=r"sedang mengerjakan ujian|exam in progress"):
        deletion_request_approve(
            deletion=DeletionRequest.objects.get(), actor=admin_user(), reason="ok"
        )
    assert User.objects.get(pk=rina.user.pk).username == NIP


def test_a_certificate_still_without_its_snapshot_gets_it_before_the_name_goes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Passed a moment ago: the background work (snapshot, number) has not run yet.
    made = history(username=OTHER_NIP, full_name="Joko Prasetyo", email="joko@example.go.id")
    certificate = Certificate.objects.get(user=made.user)
    assert certificate.current_version_id is None
    deletion = DeletionRequest.objects.create(user=made.user)
    with django_capture_on_commit_callbacks(execute=True):
        deletion_request_approve(deletion=deletion, actor=admin_user(), reason="ok")
    certificate.refresh_from_db()
    assert certificate.current_version is not None
    assert certificate.current_version.holder_name == "Joko Prasetyo"
    assert certificate.current_version.score == Decimal("100.00")


def test_the_admin_pages_list_and_explain_the_request(
    rina: History, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(client_for(rina.user), django_capture_on_commit_callbacks)
    deletion = DeletionRequest.objects.get()
    admin_client = client_for(admin_user())
    listing = admin_client.get(reverse("admin:privacy_deletionrequest_changelist"))
    assert listing.status_code == 200 and "Rina Wulandari" in listing.content.decode()
    change = admin_client.get(reverse("admin:privacy_deletionrequest_change", args=[deletion.pk]))
    # What stays: 1 enrolment, 2 attempts, 1 certificate.
    assert "1 pendaftaran dan 2 percobaan" in change.content.decode()
    approve = admin_client.get(reverse("admin:privacy_deletionrequest_approve", args=[deletion.pk]))
    assert approve.status_code == 200
    assert "tidak dapat dibatalkan" in approve.content.decode()
    # Requests are made by learners and never deleted.
    assert admin_client.get(reverse("admin:privacy_deletionrequest_add")).status_code == 403
