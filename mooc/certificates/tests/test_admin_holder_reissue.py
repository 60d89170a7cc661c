"""A user's name changed in the admin: the next page lists their certificates that
still print the old name and reissues them in one step, with a required reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from mooc.accounts.models import User
from mooc.accounts.roles import ROLE_ADMIN
from mooc.accounts.tests.factories import SuperuserFactory, UserFactory
from mooc.certificates.models import Certificate, CertificateVersion
from mooc.certificates.services import certificate_revoke
from mooc.certificates.tests.support import client_for, course_with_exam, pass_course, staff_of
from mooc.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(django_capture_on_commit_callbacks: Any) -> User:
    user = UserFactory.create(full_name="Rina Wulandar", email="rina@example.go.id")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            course, exam = course_with_exam()
            pass_course(user, course, exam)
    mail.outbox.clear()
    return user


@pytest.fixture
def admin() -> Client:
    return client_for(SuperuserFactory.create())


def rename(admin: Client, user: User, name: str, **changes: Any) -> Any:
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = admin.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields and name != "password"
    }
    data.update(full_name=name, groups=[], user_permissions=[], audit_reason="SK", **changes)
    return admin.post(url, data)


def reissue_url(user: User) -> str:
    return reverse("admin:accounts_user_certificates_reissue", args=[user.pk])


def test_a_name_change_leads_to_the_certificates_and_reissues_them_in_one_step(
    admin: Client, holder: User, django_capture_on_commit_callbacks: Any
) -> None:
    saved = rename(admin, holder, "Rina Wulandari")
    assert saved.status_code == 302 and saved["Location"] == reissue_url(holder)

    page = admin.get(reissue_url(holder))
    html = page.content.decode()
    certificates = list(Certificate.objects.filter(user=holder))
    for certificate in certificates:
        assert str(certificate.number) in html
        assert f'value="{certificate.pk}" ' in html and "checked" in html
    assert "Rina Wulandar)" in html  # the printed name is shown

    # The reason is required; nothing is reissued without it.
    refused = admin.post(reissue_url(holder), {"certificates": [c.pk for c in certificates]})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    assert CertificateVersion.objects.filter(version=2).count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        done = admin.post(
            reissue_url(holder),
            {"certificates": [c.pk for c in certificates], "reason": "Nama sesuai SK"},
        )

    assert done.status_code == 302
    assert done["Location"] == reverse("admin:accounts_user_change", args=[holder.pk])
    for certificate in certificates:
        certificate.refresh_from_db()
        assert certificate.current_version is not None
        assert certificate.current_version.version == 2
        assert certificate.current_version.holder_name == "Rina Wulandari"
    reissues = AuditLog.objects.filter(action="certificate.reissue")
    assert reissues.count() == 2 and {e.reason for e in reissues} == {"Nama sesuai SK"}
    assert len(mail.outbox) == 2 and all(m.to == ["rina@example.go.id"] for m in mail.outbox)


def test_only_the_chosen_certificates_are_reissued_and_skipping_changes_nothing(
    admin: Client, holder: User
) -> None:
    first, second = Certificate.objects.filter(user=holder).order_by("pk")
    skip = admin.get(reissue_url(holder)).context["skip_url"]
    assert skip == reverse("admin:accounts_user_change", args=[holder.pk])

    admin.post(reissue_url(holder), {"certificates": [second.pk], "reason": "Nama sesuai SK"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.current_version is not None and first.current_version.version == 1
    assert second.current_version is not None and second.current_version.version == 2
    none_chosen = admin.post(reissue_url(holder), {"reason": "Nama sesuai SK"})
    assert none_chosen.context["form"].errors["certificates"]


def test_another_holders_or_a_revoked_certificate_cannot_be_slipped_in(
    admin: Client, holder: User
) -> None:
    mine, revoked = Certificate.objects.filter(user=holder).order_by("pk")
    certificate_revoke(
        certificate=revoked, actor=SuperuserFactory.create(username="root"), reason="Salah"
    )
    other_course, exam = course_with_exam()
    other = pass_course(UserFactory.create(), other_course, exam)
    theirs = Certificate.objects.get(enrollment=other)

    for pk in (theirs.pk, revoked.pk):
        response = admin.post(reissue_url(holder), {"certificates": [pk], "reason": "Coba"})
        assert response.status_code == 200 and response.context["form"].errors["certificates"]
    assert not CertificateVersion.objects.filter(version=2).exists()
    assert mine.pk in [
        c.pk for c in admin.get(reissue_url(holder)).context["form"].fields["certificates"].queryset
    ]


def test_a_change_that_touches_no_printed_field_goes_back_as_usual(
    admin: Client, holder: User
) -> None:
    saved = rename(admin, holder, holder.full_name, jabatan="Kepala Seksi")
    assert saved.status_code == 302 and saved["Location"] != reissue_url(holder)


def test_a_holder_without_certificates_is_sent_back_to_the_account(admin: Client) -> None:
    user = UserFactory.create()
    response = admin.get(reissue_url(user))
    assert response["Location"] == reverse("admin:accounts_user_change", args=[user.pk])


def test_staff_without_the_certificate_right_are_refused(holder: User) -> None:
    course = Certificate.objects.filter(user=holder).first().course  # type: ignore[union-attr]
    assert client_for(staff_of(course)).get(reissue_url(holder)).status_code in (403, 404)
    assert client_for(staff_of(course, ROLE_ADMIN)).get(reissue_url(holder)).status_code == 200
    assert client_for(holder).get(reissue_url(holder)).status_code == 302  # to the admin login
