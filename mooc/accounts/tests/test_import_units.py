"""Importing the unit tree from a CSV: parents in any order, updates by code,
and nothing written while any row is wrong."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mooc.accounts.imports import units_import
from mooc.accounts.models import Unit, User
from mooc.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language; the site shows Indonesian."""
    with translation.override("en"):
        yield


IMPORT = "admin:accounts_unit_import"


def csv_bytes(*rows: str) -> bytes:
    return ("code,name,parent_code\n" + "\n".join(rows) + "\n").encode()


def tree() -> list[tuple[str, str, str]]:
    """(code, name, parent code) in tree order."""
    units = list(Unit.objects.order_by("path"))
    by_path = {unit.path: unit.code for unit in units}
    return [(u.code, u.name, by_path.get(u.path[: -Unit.steplen], "")) for u in units]


def problems(report: Any) -> list[tuple[int, str]]:
    return [(error.row, error.field) for error in report.errors]


def test_a_child_may_come_before_its_parent(admin_user: User) -> None:
    data = csv_bytes(
        "KW-JATIM,Kantor Wilayah Jawa Timur,KEM",
        "UPT-SBY,Balai Surabaya,KW-JATIM",
        "KEM,Kementerian,",
    )

    report = units_import(actor=admin_user, name="unit.csv", data=data, commit=True)

    assert report.committed
    assert tree() == [
        ("KEM", "Kementerian", ""),
        ("KW-JATIM", "Kantor Wilayah Jawa Timur", "KEM"),
        ("UPT-SBY", "Balai Surabaya", "KW-JATIM"),
    ]
    entry = AuditLog.objects.get(action="units.imported")
    assert entry.after is not None
    assert sorted(entry.after["created"]) == ["KEM", "KW-JATIM", "UPT-SBY"]


def test_existing_units_are_renamed_and_moved_by_code(unit: Unit) -> None:
    data = csv_bytes(
        "KW-JATIM,Kantor Wilayah Jawa Timur,KEM",
        "KW-JABAR,Kanwil Jawa Barat,KW-JATIM",  # renamed and moved under Jawa Timur
    )

    report = units_import(actor=None, name="unit.csv", data=data, commit=True)

    assert [(c.code, c.action, c.renamed, c.moved) for c in report.changes] == [
        ("KW-JATIM", "create", False, False),
        ("KW-JABAR", "update", True, True),
    ]
    assert tree() == [
        ("KEM", "Kementerian Demo", ""),
        ("KW-JATIM", "Kantor Wilayah Jawa Timur", "KEM"),
        ("KW-JABAR", "Kanwil Jawa Barat", "KW-JATIM"),
    ]


def test_a_unit_can_move_to_the_top(unit: Unit) -> None:
    units_import(actor=None, name="u.csv", data=csv_bytes("KW-JABAR,Jawa Barat,"), commit=True)

    assert tree() == [("KW-JABAR", "Jawa Barat", ""), ("KEM", "Kementerian Demo", "")]


def test_a_cycle_is_reported_on_every_row_in_it_and_nothing_is_written() -> None:
    data = csv_bytes("A,Satu,C", "B,Dua,A", "C,Tiga,B", "D,Empat,")

    report = units_import(actor=None, name="unit.csv", data=data, commit=True)

    assert problems(report) == [(2, "parent_code"), (3, "parent_code"), (4, "parent_code")]
    assert str(report.errors[0].message) == "The parents form a cycle: A → C → B → A."
    assert not report.committed
    assert not Unit.objects.exists()


def test_a_cycle_through_a_stored_unit_is_caught(unit: Unit) -> None:
    # KEM is KW-JABAR's parent in the database; the file puts KEM under KW-JABAR.
    report = units_import(
        actor=None, name="u.csv", data=csv_bytes("KEM,Kementerian,KW-JABAR"), commit=True
    )

    assert problems(report) == [(2, "parent_code")]
    assert tree() == [
        ("KEM", "Kementerian Demo", ""),
        ("KW-JABAR", "Kantor Wilayah Jawa Barat", "KEM"),
    ]


def test_unknown_parent_duplicate_code_and_empty_name_are_reported() -> None:
    data = csv_bytes("A,Satu,", "B,Dua,ZZZ", "A,Satu lagi,", "C,,A", "D,Empat,D")

    report = units_import(actor=None, name="unit.csv", data=data, commit=True)

    assert problems(report) == [
        (3, "parent_code"),
        (4, "code"),
        (5, "name"),
        (6, "parent_code"),
    ]
    assert not Unit.objects.exists()


def test_the_admin_shows_the_dry_run_then_imports_on_confirmation(admin_client: Client) -> None:
    data = csv_bytes("UPT-SBY,Balai Surabaya,KW-JATIM", "KW-JATIM,Kanwil Jawa Timur,")

    checked = admin_client.post(reverse(IMPORT), {"file": SimpleUploadedFile("unit.csv", data)})

    assert checked.status_code == 200
    assert [change.code for change in checked.context["report"].creates] == [
        "UPT-SBY",
        "KW-JATIM",
    ]
    assert not Unit.objects.exists()

    response = admin_client.post(reverse(IMPORT), {"token": checked.context["token"]})

    assert response.status_code == 302
    assert tree() == [
        ("KW-JATIM", "Kanwil Jawa Timur", ""),
        ("UPT-SBY", "Balai Surabaya", "KW-JATIM"),
    ]


def test_the_admin_lists_the_errors_by_row(admin_client: Client) -> None:
    response = admin_client.post(
        reverse(IMPORT), {"file": SimpleUploadedFile("unit.csv", csv_bytes("A,Satu,A"))}
    )

    assert problems(response.context["report"]) == [(2, "parent_code")]
    assert "A unit cannot be its own parent." in response.content.decode()
    assert not Unit.objects.exists()


def test_the_unit_list_links_to_the_import(admin_client: Client, unit: Unit) -> None:
    response = admin_client.get(reverse("admin:accounts_unit_changelist"))

    assert reverse(IMPORT) in response.content.decode()


def test_units_are_found_by_code_for_autocomplete(admin_client: Client, unit: Unit) -> None:
    response = admin_client.get(reverse("admin:accounts_unit_changelist"), {"q": "KW-JAB"})

    assert [u.code for u in response.context["cl"].result_list] == ["KW-JABAR"]


def test_a_staff_user_without_rights_gets_403(
    client: Client, make_user: Callable[..., User]
) -> None:
    clerk = make_user("clerk", is_staff=True, employee_type="external")
    client.force_login(clerk)

    response = client.post(
        reverse(IMPORT), {"file": SimpleUploadedFile("unit.csv", csv_bytes("A,Satu,"))}
    )

    assert response.status_code == 403
    assert not Unit.objects.exists()


def test_the_command_reports_and_exits_non_zero_on_errors(tmp_path: Any, capsys: Any) -> None:
    path = tmp_path / "unit.csv"
    path.write_bytes(csv_bytes("A,Satu,B", "B,Dua,A"))

    with pytest.raises(CommandError):
        call_command("import_units", str(path), "--commit")

    assert "row 2\tparent_code\t" in capsys.readouterr().out
    assert not Unit.objects.exists()


def test_the_command_dry_runs_unless_told_to_commit(tmp_path: Any, capsys: Any) -> None:
    path = tmp_path / "unit.csv"
    path.write_bytes(csv_bytes("B,Dua,A", "A,Satu,"))

    call_command("import_units", str(path))
    assert "Dry run: 2 to create" in capsys.readouterr().out
    assert not Unit.objects.exists()

    call_command("import_units", str(path), "--commit")
    assert tree() == [("A", "Satu", ""), ("B", "Dua", "A")]


@pytest.mark.parametrize(
    "page",
    ["admin:accounts_unit_import", "admin:accounts_user_import", "admin:accounts_unit_add"],
)
def test_the_page_loads_for_a_superuser(admin_client: Client, page: str) -> None:
    assert admin_client.get(reverse(page)).status_code == 200
