"""The four roles as groups: created by roles_sync, with the permissions each role needs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from mooc.accounts.roles import (
    ROLE_ADMIN,
    ROLE_CONTENT_ADMIN,
    ROLE_INSTRUCTOR,
    ROLE_REPORT_VIEWER,
    ROLES,
    roles_sync,
)

pytestmark = pytest.mark.django_db


def perms(role: str) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_it_creates_the_four_roles() -> None:
    roles_sync()

    assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(ROLES)


def test_running_it_twice_changes_nothing() -> None:
    roles_sync()
    first = {role: perms(role) for role in ROLES}
    groups = Group.objects.count()

    roles_sync()

    assert Group.objects.count() == groups
    assert {role: perms(role) for role in ROLES} == first


def test_the_admin_gets_every_permission_of_the_project_apps_but_not_role_editing() -> None:
    roles_sync()

    granted = perms(ROLE_ADMIN)
    project = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(
            content_type__app_label__in=["core", "accounts", "content"]
        ).values_list("content_type__app_label", "codename")
    }
    assert project <= granted
    assert {"accounts.change_user", "accounts.add_unit", "core.view_auditlog"} <= granted
    assert "auth.view_group" in granted
    assert "auth.change_group" not in granted
    assert "auth.change_permission" not in granted


def test_the_content_admin_edits_content_and_nothing_about_accounts() -> None:
    roles_sync()

    granted = perms(ROLE_CONTENT_ADMIN)
    assert {"content.add_news", "content.change_faq", "content.delete_videotutorial"} <= granted
    assert {"content.view_news"} <= granted
    assert not any(perm.startswith(("accounts.", "core.", "auth.")) for perm in granted)


def test_the_instructor_views_content_and_edits_course_material_only() -> None:
    roles_sync()

    granted = perms(ROLE_INSTRUCTOR)
    assert "content.view_news" in granted
    assert {"catalog.view_course", "catalog.change_course", "learning.change_material"} <= granted
    # Never: creating or deleting courses, or editing news, categories or people.
    for forbidden in [
        "catalog.add_course",
        "catalog.delete_course",
        "catalog.change_category",
        "catalog.change_enrollment",
        "content.change_news",
        "accounts.view_user",
    ]:
        assert forbidden not in granted
    # Their courses' certificates: view and zip them, never correct or revoke them.
    assert {"certificates.view_certificate", "certificates.add_certificateexport"} <= granted
    assert "certificates.change_certificate" not in granted
    non_course = {
        p for p in granted if not p.startswith(("catalog.", "learning.", "exams.", "certificates."))
    }
    assert all(perm.startswith("content.view_") for perm in non_course)


def test_the_report_viewer_sees_users_units_and_the_reports_only() -> None:
    roles_sync()

    assert perms(ROLE_REPORT_VIEWER) == {
        "accounts.view_unit",
        "accounts.view_user",
        "reports.view_externaltraining",
        "reports.view_reportexport",
        "reports.view_reportscope",
        "reports.view_siasnbatch",
        "reports.view_siasnbatchrow",
    }


def test_a_permission_added_by_hand_survives_the_next_sync() -> None:
    roles_sync()
    group = Group.objects.get(name=ROLE_INSTRUCTOR)
    group.permissions.add(Permission.objects.get(codename="view_unit"))

    roles_sync()

    assert "accounts.view_unit" in perms(ROLE_INSTRUCTOR)
