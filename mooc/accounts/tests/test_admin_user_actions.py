"""Bulk actions on the user list: each asks for a reason, changes what it can,
says how many, and leaves one audit entry per account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from mooc.accounts.models import AccountToken, TokenPurpose, User
from mooc.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language (the admin client
    also sends the English language cookie); the language is restored afterwards."""
    with translation.override("en"):
        yield


CHANGELIST = "admin:accounts_user_changelist"


def act(client: Client, action: str, users: list[User], reason: str | None = None) -> Any:
    data: dict[str, Any] = {"action": action, ACTION_CHECKBOX_NAME: [user.pk for user in users]}
    if reason is not None:
        data.update(confirm="yes", reason=reason)
    return client.post(reverse(CHANGELIST), data)


def texts(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def entries(action: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action).order_by("target_id"))


def test_an_action_first_shows_a_confirmation_page_asking_for_a_reason(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(activated=False)

    response = act(admin_client, "activate_accounts", [user])

    assert response.status_code == 200
    assert "admin/accounts/user/action_confirmation.html" in [t.name for t in response.templates]
    assert 'name="reason"' in response.content.decode()
    user.refresh_from_db()
    assert user.activated_at is None
    assert not AuditLog.objects.exists()


def test_an_action_without_a_reason_changes_nothing(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(activated=False)

    response = act(admin_client, "activate_accounts", [user], reason="   ")

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    user.refresh_from_db()
    assert user.activated_at is None
    assert not AuditLog.objects.exists()


def test_activating_sets_the_date_and_records_one_entry_per_account(
    admin_client: Client, admin_user: User, make_user: Callable[..., User]
) -> None:
    first = make_user("198609262015051001", activated=False)
    second = make_user("198609262015052002", activated=False)
    already = make_user("198609262015051003")

    response = act(admin_client, "activate_accounts", [first, second, already], "Ticket #7")

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.activated_at is not None and second.activated_at is not None
    logged = entries("user.activated_by_admin")
    assert [entry.target_id for entry in logged] == [str(first.pk), str(second.pk)]
    assert all(entry.reason == "Ticket #7" and entry.actor == admin_user for entry in logged)
    assert logged[0].before == {"activated_at": None}
    assert logged[0].after is not None and logged[0].after["activated_at"]
    assert logged[0].ip == "127.0.0.1"
    assert "Accounts activated: 2." in texts(response)
    assert any("Skipped 1" in text and already.username in text for text in texts(response))


def test_activating_retires_the_mailed_activation_links(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(activated=False)
    AccountToken.objects.create(
        user=user,
        purpose=TokenPurpose.ACTIVATION,
        token_hash="a" * 64,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )

    act(admin_client, "activate_accounts", [user], "Mail never arrived")

    assert not AccountToken.objects.filter(user=user, used_at__isnull=True).exists()


def test_deactivating_turns_the_account_off(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()

    response = act(admin_client, "deactivate_accounts", [user], "Retired")

    user.refresh_from_db()
    assert user.is_active is False
    (entry,) = entries("user.deactivated")
    assert (entry.before, entry.after, entry.reason) == (
        {"is_active": True},
        {"is_active": False},
        "Retired",
    )
    assert "Accounts deactivated: 1." in texts(response)


def test_an_admin_cannot_deactivate_their_own_account(
    admin_client: Client, admin_user: User
) -> None:
    act(admin_client, "deactivate_accounts", [admin_user], "Oops")

    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert not entries("user.deactivated")


def test_reactivating_turns_the_account_back_on(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(is_active=False)

    response = act(admin_client, "reactivate_accounts", [user], "Back from leave")

    user.refresh_from_db()
    assert user.is_active is True
    (entry,) = entries("user.reactivated")
    assert entry.after == {"is_active": True}
    assert "Accounts reactivated: 1." in texts(response)


def test_unlocking_clears_the_lock_and_keeps_its_reason_in_the_log(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(locked_at=timezone.now(), lock_reason="Bukan saya")

    response = act(admin_client, "unlock_accounts", [user], "Owner called, new password set")

    user.refresh_from_db()
    assert user.locked_at is None and user.lock_reason == ""
    (entry,) = entries("user.unlocked")
    assert entry.before is not None and entry.before["lock_reason"] == "Bukan saya"
    assert entry.after == {"locked_at": None, "lock_reason": ""}
    assert "Accounts unlocked: 1." in texts(response)


def test_resending_activation_mails_a_new_link_to_each_unactivated_account(
    admin_client: Client,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    waiting = make_user(activated=False, email="budi@example.go.id")
    active = make_user("198609262015051003")

    with django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client, "resend_activation", [waiting, active], "Ticket #9")

    assert [message.to for message in mail.outbox] == [["budi@example.go.id"]]
    assert AccountToken.objects.filter(
        user=waiting, purpose=TokenPurpose.ACTIVATION, used_at__isnull=True
    ).exists()
    (entry,) = entries("user.activation_resent")
    assert entry.target_id == str(waiting.pk) and entry.reason == "Ticket #9"
    assert "Activation links sent: 1." in texts(response)


def test_a_staff_user_without_rights_gets_403(
    client: Client, make_user: Callable[..., User]
) -> None:
    clerk = make_user("clerk", is_staff=True, employee_type="external")
    learner = make_user(activated=False)
    client.force_login(clerk)

    response = act(client, "activate_accounts", [learner], "Trying")

    assert response.status_code == 403
    learner.refresh_from_db()
    assert learner.activated_at is None


def test_an_admin_who_is_not_a_superuser_cannot_touch_a_superuser(
    client: Client, admin_user: User, make_user: Callable[..., User]
) -> None:
    clerk = make_user("clerk", is_staff=True, employee_type="external")
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    client.force_login(clerk)

    act(client, "deactivate_accounts", [admin_user], "Take over")

    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert not entries("user.deactivated")
