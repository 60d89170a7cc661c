"""The user list and change form: finding people, filtering, and edits that are audited."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from mooc.accounts.models import Unit, User
from mooc.accounts.services.helpdesk import user_admin_update
from mooc.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language (the admin client
    also sends the English language cookie); the language is restored afterwards."""
    with translation.override("en"):
        yield


CHANGELIST = "admin:accounts_user_changelist"
NIP = "198609262015051001"


def listed(response: Any) -> set[str]:
    return {user.username for user in response.context["cl"].result_list}


def test_a_nip_typed_with_spaces_finds_the_employee(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    make_user(NIP)
    make_user("198609262015052002")
    # Holds every space-separated piece, so a word-by-word search would match it too.
    make_user("001198609262015051")

    response = admin_client.get(reverse(CHANGELIST), {"q": "19860926 201505 1 001"})

    assert listed(response) == {NIP}


def test_search_finds_by_name_and_email(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    make_user(NIP, full_name="Siti Rahma", email="siti@example.go.id")
    make_user("198609262015052002", full_name="Budi", email="budi@example.go.id")

    assert listed(admin_client.get(reverse(CHANGELIST), {"q": "rahma"})) == {NIP}
    assert listed(admin_client.get(reverse(CHANGELIST), {"q": "siti@example"})) == {NIP}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"activated": "yes"}, {"admin", NIP, "198609262015051003", "198609262015051004"}),
        ({"activated": "no"}, {"198609262015052002"}),
        ({"locked": "yes"}, {"198609262015051003"}),
        ({"is_active__exact": "0"}, {"198609262015051004"}),
        ({"employee_type__exact": "external"}, {"admin"}),
    ],
)
def test_the_list_filters_by_state(
    admin_client: Client,
    make_user: Callable[..., User],
    params: dict[str, str],
    expected: set[str],
) -> None:
    make_user(NIP)
    make_user("198609262015052002", activated=False)
    make_user("198609262015051003", locked_at=timezone.now())
    make_user("198609262015051004", is_active=False)

    assert listed(admin_client.get(reverse(CHANGELIST), params)) == expected


def test_the_list_filters_by_role(admin_client: Client, make_user: Callable[..., User]) -> None:
    instructor = make_user(NIP)
    make_user("198609262015052002")
    group = Group.objects.create(name="Instruktur Uji")
    instructor.groups.add(group)

    response = admin_client.get(reverse(CHANGELIST), {"groups__id__exact": group.pk})

    assert listed(response) == {NIP}
    assert "Instruktur Uji" in response.content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_runs_a_fixed_number_of_queries(
    admin_client: Client,
    make_user: Callable[..., User],
    unit: Unit,
    django_assert_max_num_queries: Any,
    count: int,
) -> None:
    group = Group.objects.create(name="Peserta Uji")
    for index in range(count):
        user = make_user(f"19860926201505{index + 1:04d}"[:18], unit=unit)
        user.groups.add(group)

    admin_client.get(reverse(CHANGELIST))  # warms the cached site settings

    # The request user, two filters (units, roles), two counts, the sidebar's
    # site-settings check, the page of users, their roles, and the session write (3).
    with django_assert_max_num_queries(11):
        response = admin_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == count + 1


def test_an_edit_in_the_change_form_is_audited_with_its_reason(
    admin_client: Client, admin_user: User, make_user: Callable[..., User], unit: Unit
) -> None:
    user = make_user(NIP, full_name="Budi", jabatan="Analis", unit=unit)
    group = Group.objects.create(name="Instruktur Uji")
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields and name != "password"
    }
    data.update(
        full_name="Budi Santoso",
        groups=[group.pk],
        user_permissions=[],
        unit=unit.pk,
        audit_reason="Name as on the SK",
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.full_name == "Budi Santoso"
    assert list(user.groups.all()) == [group]
    entry = AuditLog.objects.get(action="user.updated_by_admin")
    assert entry.before == {"full_name": "Budi", "groups": []}
    assert entry.after == {"full_name": "Budi Santoso", "groups": ["Instruktur Uji"]}
    assert entry.reason == "Name as on the SK" and entry.actor == admin_user


def test_a_nip_typed_with_spaces_in_the_add_form_is_stored_without_them(
    admin_client: Client, admin_user: User
) -> None:
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "employee_type": "internal",
            "username": "19860926 201505 1 001",
            "full_name": "Budi",
            "email": "budi@example.go.id",
            "usable_password": "false",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username=NIP)
    assert user.nip_kind == "PNS"
    entry = AuditLog.objects.get(action="user.created_by_admin")
    assert entry.target_id == str(user.pk) and entry.actor == admin_user


def test_the_add_form_names_the_wrong_part_of_a_nip(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "employee_type": "internal",
            "username": "198609262015053001",
            "full_name": "Budi",
            "email": "budi@example.go.id",
            "usable_password": "false",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["username"]
    assert errors == ["Digit 15 of the NIP (gender) must be 1 or 2."]


def test_setting_a_password_in_the_admin_is_audited_without_the_password(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(NIP)

    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "Baru12345678", "password2": "Baru12345678", "usable_password": "true"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Baru12345678")
    entry = AuditLog.objects.get(action="user.password_set_by_admin")
    assert "Baru12345678" not in str(entry.after)


def test_an_admin_who_is_not_a_superuser_cannot_make_anyone_superuser(
    client: Client, make_user: Callable[..., User]
) -> None:
    clerk = make_user("clerk", is_staff=True, employee_type="external")
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    client.force_login(clerk)

    response = client.get(reverse("admin:accounts_user_change", args=[clerk.pk]))

    form = response.context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    assert "groups" in form.fields


def test_the_list_is_closed_to_staff_without_rights(
    client: Client, make_user: Callable[..., User]
) -> None:
    clerk = make_user("clerk", is_staff=True, employee_type="external")
    client.force_login(clerk)

    assert client.get(reverse(CHANGELIST)).status_code == 403


def test_moving_a_user_to_a_unit_with_the_same_name_is_saved_and_audited(
    admin_user: User, make_user: Callable[..., User], unit: Unit
) -> None:
    twin = Unit.objects.add_child(unit, {"code": "UMUM-2", "name": unit.name})
    user = make_user(NIP, unit=unit)
    user.unit = twin

    user_admin_update(actor=admin_user, user=user, changed_fields=["unit"], reason="Mutasi")

    user.refresh_from_db()
    assert user.unit == twin
    assert AuditLog.objects.get(action="user.updated_by_admin").reason == "Mutasi"


def test_saving_without_changes_writes_no_audit_entry(
    admin_user: User, make_user: Callable[..., User]
) -> None:
    user = make_user(NIP)

    user_admin_update(actor=admin_user, user=user, changed_fields=["full_name"])

    assert not AuditLog.objects.filter(action="user.updated_by_admin").exists()
