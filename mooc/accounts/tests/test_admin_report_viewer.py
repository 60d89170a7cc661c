"""A report viewer sees who is in which unit, not how to reach them (issue 14, F13)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.test import Client, override_settings

from mooc.accounts.models import User
from mooc.accounts.roles import ROLE_REPORT_VIEWER, roles_sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_client(client: Client, make_user: Callable[..., User]) -> Client:
    roles_sync()
    viewer = make_user("viewer", is_staff=True, employee_type="external", email="v@example.go.id")
    viewer.groups.add(Group.objects.get(name=ROLE_REPORT_VIEWER))
    client.force_login(viewer)
    return client


@pytest.fixture
def employee(make_user: Callable[..., User]) -> User:
    return make_user(
        "198609262015051001",
        email="rahasia.pribadi@example.go.id",
        phone="081299887766",
        jabatan="Analis Kepegawaian",
    )


def test_the_list_and_the_page_of_a_user_show_no_email_or_phone(
    viewer_client: Client, employee: User
) -> None:
    listing = viewer_client.get("/admin/accounts/user/").content.decode()
    page = viewer_client.get(f"/admin/accounts/user/{employee.pk}/change/").content.decode()

    assert "198609262015051001" in listing and "Analis Kepegawaian" in page
    for text in (listing, page):
        assert "rahasia.pribadi@example.go.id" not in text
        assert "081299887766" not in text


def test_searching_by_email_finds_nobody(viewer_client: Client, employee: User) -> None:
    response = viewer_client.get("/admin/accounts/user/", {"q": "rahasia.pribadi"})

    assert response.context["cl"].result_count == 0


@override_settings(REPORT_VIEWERS_SEE_CONTACT_DETAILS=True)
def test_the_institution_may_let_report_viewers_see_contact_details(
    viewer_client: Client, employee: User
) -> None:
    page = viewer_client.get(f"/admin/accounts/user/{employee.pk}/change/").content.decode()

    assert "rahasia.pribadi@example.go.id" in page and "081299887766" in page


def test_an_admin_still_sees_them(admin_client: Client, employee: User) -> None:
    listing = admin_client.get("/admin/accounts/user/").content.decode()

    assert "rahasia.pribadi@example.go.id" in listing
