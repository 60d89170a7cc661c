"""The two one-account helpdesk pages: correcting a mistyped e-mail address, and
releasing a NIP that somebody else registered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from mooc.accounts.models import AccountToken, EmployeeType, TokenPurpose, User
from mooc.accounts.services.helpdesk import (
    user_correct_email,
    user_reactivate,
    user_release_nip,
)
from mooc.core.errors import ServiceError
from mooc.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language (the admin client
    also sends the English language cookie); the language is restored afterwards."""
    with translation.override("en"):
        yield


NIP = "198609262015051001"


def correct_email_url(user: User) -> str:
    return reverse("admin:accounts_user_correct_email", args=[user.pk])


def release_url(user: User) -> str:
    return reverse("admin:accounts_user_release_nip", args=[user.pk])


def test_the_change_page_links_to_both_helpdesk_pages(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()

    page = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()

    assert correct_email_url(user) in page
    assert release_url(user) in page


def test_correcting_the_email_of_an_unactivated_account_mails_a_new_link_there(
    admin_client: Client,
    admin_user: User,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = make_user(activated=False, email="budi@gmial.com")
    old_link = AccountToken.objects.create(
        user=user,
        purpose=TokenPurpose.ACTIVATION,
        token_hash="b" * 64,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            correct_email_url(user),
            {"new_email": "budi@gmail.com", "resend_activation": "on", "reason": "Ticket #3"},
        )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "budi@gmail.com"
    old_link.refresh_from_db()
    assert old_link.used_at is not None
    assert [message.to for message in mail.outbox] == [["budi@gmail.com"]]
    entry = AuditLog.objects.get(action="user.email_corrected")
    assert entry.before == {"email": "budi@gmial.com"}
    assert entry.after == {"email": "budi@gmail.com", "activation_resent": True}
    assert entry.reason == "Ticket #3" and entry.actor == admin_user
    assert AuditLog.objects.count() == 1


def test_correcting_the_email_of_an_active_account_sends_no_activation(
    admin_client: Client, make_user: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    user = make_user(email="budi@gmial.com")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            correct_email_url(user),
            {"new_email": "budi@gmail.com", "resend_activation": "on", "reason": "Typo"},
        )

    user.refresh_from_db()
    assert user.email == "budi@gmail.com"
    assert mail.outbox == []
    assert AuditLog.objects.get(action="user.email_corrected").after == {"email": "budi@gmail.com"}


def test_an_email_registered_to_someone_else_in_another_case_is_refused(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    make_user("198609262015051003", email="siti@example.go.id")
    user = make_user(activated=False, email="siti@exmaple.go.id")

    response = admin_client.post(
        correct_email_url(user), {"new_email": "SITI@example.go.id", "reason": "Ticket"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_email"] == [
        "This e-mail address is already registered."
    ]
    user.refresh_from_db()
    assert user.email == "siti@exmaple.go.id"
    assert not AuditLog.objects.exists()


def test_correcting_the_email_needs_a_reason(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(email="budi@gmial.com")

    response = admin_client.post(correct_email_url(user), {"new_email": "budi@gmail.com"})

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    user.refresh_from_db()
    assert user.email == "budi@gmial.com"


def test_the_service_refuses_a_malformed_address(make_user: Callable[..., User]) -> None:
    user = make_user()

    with pytest.raises(ServiceError) as raised:
        user_correct_email(actor=None, user=user, new_email="budi@", reason="Ticket")

    assert raised.value.field == "new_email"


def test_releasing_a_nip_renames_deactivates_and_frees_the_email(
    admin_client: Client, admin_user: User, make_user: Callable[..., User]
) -> None:
    impostor = make_user(NIP, email="someone@example.com")

    response = admin_client.post(release_url(impostor), {"reason": "Registered by a colleague"})

    assert response.status_code == 302
    impostor.refresh_from_db()
    assert impostor.username == f"released-{impostor.pk}-{NIP}"
    assert impostor.email == ""
    assert impostor.is_active is False
    entry = AuditLog.objects.get(action="user.nip_released")
    assert entry.before == {"username": NIP, "email": "someone@example.com", "is_active": True}
    assert entry.after == {
        "username": f"released-{impostor.pk}-{NIP}",
        "email": "",
        "is_active": False,
    }
    assert entry.reason == "Registered by a colleague" and entry.actor == admin_user


def test_after_a_release_the_owner_can_register_the_same_nip_and_email(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    impostor = make_user(NIP, email="owner@example.go.id")
    admin_client.post(release_url(impostor), {"reason": "Wrong person"})

    owner = User.objects.create_user(
        username=NIP,
        email="owner@example.go.id",
        full_name="Pemilik NIP",
        employee_type=EmployeeType.INTERNAL,
    )

    assert User.objects.filter(username=NIP).get() == owner


def test_a_staff_accounts_nip_cannot_be_released(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    staff = make_user(NIP, is_staff=True)

    response = admin_client.post(release_url(staff), {"reason": "Try"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    staff.refresh_from_db()
    assert staff.username == NIP and staff.is_active
    assert not AuditLog.objects.filter(action="user.nip_released").exists()


def test_releasing_needs_a_reason(admin_client: Client, make_user: Callable[..., User]) -> None:
    user = make_user(NIP)

    response = admin_client.post(release_url(user), {"reason": ""})

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.username == NIP


@pytest.mark.parametrize("page", [correct_email_url, release_url])
def test_a_staff_user_without_rights_gets_403(
    client: Client, make_user: Callable[..., User], page: Callable[[User], str]
) -> None:
    clerk = make_user("clerk", is_staff=True, employee_type="external")
    learner = make_user(NIP, email="budi@example.go.id")
    client.force_login(clerk)

    response = client.post(page(learner), {"new_email": "x@example.org", "reason": "Try"})

    assert response.status_code == 403
    learner.refresh_from_db()
    assert learner.username == NIP and learner.email == "budi@example.go.id"


def test_a_released_account_cannot_be_reactivated(
    admin_user: User, make_user: Callable[..., User]
) -> None:
    user = user_release_nip(actor=admin_user, user=make_user(NIP), reason="Wrong person")

    with pytest.raises(ServiceError):
        user_reactivate(actor=admin_user, user=user, reason="Undo")

    user.refresh_from_db()
    assert user.is_active is False
