"""Importing users from a spreadsheet: a dry run that names each problem by its
spreadsheet row, then all rows or none."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mooc.accounts.imports import MAX_ROWS, users_import
from mooc.accounts.models import EmployeeType, Unit, User
from mooc.accounts.tests.helpers import COLUMNS, internal, nip, xlsx_bytes
from mooc.core.errors import ServiceError
from mooc.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language; the site shows Indonesian."""
    with translation.override("en"):
        yield


IMPORT = "admin:accounts_user_import"


def external(username: str, **overrides: str) -> list[str]:
    row = {
        "employee_type": "Eksternal",
        "nip_username": username,
        "full_name": f"Tamu {username}",
        "email": f"{username}@example.com",
        "phone": "",
        "jabatan": "Dosen",
        "unit_code": "",
        "instansi": "Universitas Contoh",
    }
    row.update(overrides)
    return [row[column] for column in COLUMNS]


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", newline: str = "\n") -> bytes:
    lines = [delimiter.join(COLUMNS), *(delimiter.join(row) for row in rows)]
    return (newline.join(lines) + newline).encode()


def six_rows_with_a_bad_nip_on_row_7() -> list[list[str]]:
    rows = [internal(serial) for serial in range(1, 6)]
    rows.append(internal(6, nip_username="198609262015053006"))  # gender digit 3
    return rows


def upload(client: Client, name: str, data: bytes) -> Any:
    return client.post(reverse(IMPORT), {"file": SimpleUploadedFile(name, data)})


def problems(response: Any) -> list[tuple[int, str, str]]:
    report = response.context["report"]
    return [(error.row, error.field, str(error.message)) for error in report.errors]


def form_errors(response: Any) -> list[str]:
    return [str(message) for message in response.context["form"].errors["file"]]


def learners() -> Any:
    return User.objects.exclude(username="admin")


def test_a_bad_nip_on_row_7_is_reported_by_row_and_column_and_nothing_is_created(
    admin_client: Client, unit: Unit
) -> None:
    response = upload(admin_client, "pegawai.csv", csv_bytes(six_rows_with_a_bad_nip_on_row_7()))

    assert response.status_code == 200
    assert problems(response) == [
        (7, "nip_username", "Digit 15 of the NIP (gender) must be 1 or 2.")
    ]
    assert response.context["token"] == ""
    assert 'name="token"' not in response.content.decode()
    assert not learners().exists()


def test_the_fixed_file_imports_every_row_after_confirmation(
    admin_client: Client, admin_user: User, unit: Unit
) -> None:
    rows = [*(internal(serial) for serial in range(1, 7)), external("dosen.tamu")]

    checked = upload(admin_client, "pegawai.csv", csv_bytes(rows))
    assert checked.context["report"].ok
    assert not learners().exists()  # a dry run writes nothing
    assert "Lupa Password" in checked.content.decode()

    response = admin_client.post(reverse(IMPORT), {"token": checked.context["token"]})

    assert response.status_code == 302
    assert learners().count() == 7
    employee = User.objects.get(username=nip(6))
    assert employee.unit == unit
    assert employee.employee_type == EmployeeType.INTERNAL and employee.nip_kind == "PNS"
    assert employee.is_activated and employee.is_active
    assert not employee.has_usable_password()
    guest = User.objects.get(username="dosen.tamu")
    assert guest.instansi == "Universitas Contoh" and guest.unit is None
    entry = AuditLog.objects.get(action="users.imported")
    assert entry.actor == admin_user
    assert entry.after is not None
    assert entry.after["created"] == 7
    assert sorted(entry.after["usernames"]) == sorted(
        [nip(n) for n in range(1, 7)] + ["dosen.tamu"]
    )


def test_a_confirmation_without_the_uploaded_file_imports_nothing(
    admin_client: Client, unit: Unit
) -> None:
    response = admin_client.post(reverse(IMPORT), {"token": "made-up"})

    assert response.status_code == 302
    assert not learners().exists()


def test_an_excel_workbook_imports(unit: Unit) -> None:
    data = xlsx_bytes([internal(1), external("dosen.tamu")])

    report = users_import(actor=None, name="Pegawai.XLSX", data=data, commit=True)

    assert report.committed
    assert set(learners().values_list("username", flat=True)) == {nip(1), "dosen.tamu"}


def test_a_nip_excel_kept_as_a_number_is_reported_not_guessed(unit: Unit) -> None:
    row: list[Any] = internal(1)
    row[1] = float(nip(1))  # what Excel does to an 18-digit number

    report = users_import(actor=None, name="pegawai.xlsx", data=xlsx_bytes([row]), commit=True)

    assert [(error.row, error.field) for error in report.errors] == [(2, "nip_username")]
    assert "Text" in str(report.errors[0].message)
    assert not learners().exists()


def test_a_utf8_file_with_bom_crlf_and_semicolons_imports(unit: Unit) -> None:
    rows = [internal(1, full_name="Siti Nurhaliza, S.H."), internal(2, full_name="Dédé")]
    data = b"\xef\xbb\xbf" + csv_bytes(rows, delimiter=";", newline="\r\n")

    report = users_import(actor=None, name="pegawai.csv", data=data, commit=True)

    assert report.committed, report.errors
    assert User.objects.get(username=nip(1)).full_name == "Siti Nurhaliza, S.H."
    assert User.objects.get(username=nip(2)).full_name == "Dédé"


def test_a_windows_1252_file_is_refused_with_advice_to_save_as_utf8(
    admin_client: Client, unit: Unit
) -> None:
    data = csv_bytes([internal(1, full_name="Dédé")]).decode().encode("cp1252")

    response = upload(admin_client, "pegawai.csv", data)

    assert response.status_code == 200
    assert any("UTF-8" in message for message in form_errors(response))
    assert not learners().exists()


def test_the_same_email_in_another_case_is_a_duplicate_in_the_file_and_in_the_database(
    make_user: Callable[..., User], unit: Unit
) -> None:
    make_user(nip(9), email="Siti@Example.go.id")
    rows = [
        internal(1, email="budi@example.go.id"),
        internal(2, email="BUDI@example.go.id"),
        internal(3, email="siti@example.go.id"),
    ]

    report = users_import(actor=None, name="pegawai.csv", data=csv_bytes(rows), commit=True)

    assert [(error.row, error.field, str(error.message)) for error in report.errors] == [
        (3, "email", "Also on row 2 of this file."),
        (4, "email", "This e-mail address is already registered."),
    ]
    assert not report.committed
    assert learners().count() == 1


def test_a_nip_already_registered_is_reported(make_user: Callable[..., User], unit: Unit) -> None:
    make_user(nip(1))

    report = users_import(
        actor=None,
        name="p.csv",
        data=csv_bytes([internal(1, email="x@example.go.id")]),
        commit=False,
    )

    assert [(error.row, error.field) for error in report.errors] == [(2, "nip_username")]


def test_an_unknown_unit_code_is_reported(unit: Unit) -> None:
    rows = [internal(1), internal(2, unit_code="KW-ENTAH")]

    report = users_import(actor=None, name="pegawai.csv", data=csv_bytes(rows), commit=True)

    assert [(error.row, error.field, str(error.message)) for error in report.errors] == [
        (3, "unit_code", "No unit has this code.")
    ]
    assert not learners().exists()


def test_missing_values_are_reported_per_column(unit: Unit) -> None:
    rows = [
        internal(1, full_name="", unit_code=""),
        external("tamu", instansi="", email="not-an-address"),
        internal(3, employee_type="kontrak"),
    ]

    report = users_import(actor=None, name="pegawai.csv", data=csv_bytes(rows), commit=False)

    assert [(error.row, error.field) for error in report.errors] == [
        (2, "full_name"),
        (2, "unit_code"),
        (3, "email"),
        (3, "instansi"),
        (4, "employee_type"),
    ]


def test_a_formula_looking_cell_is_kept_as_plain_text(unit: Unit) -> None:
    rows = [internal(1, full_name="=cmd|' /C calc'!A0")]

    users_import(actor=None, name="pegawai.csv", data=csv_bytes(rows), commit=True)

    assert User.objects.get(username=nip(1)).full_name == "=cmd|' /C calc'!A0"


def test_a_file_over_5_mb_is_refused(admin_client: Client, unit: Unit) -> None:
    data = csv_bytes([internal(1)]) + b"#" * (5 * 1024 * 1024)

    response = upload(admin_client, "pegawai.csv", data)

    assert any("5 MB" in message for message in form_errors(response))
    with pytest.raises(ServiceError, match="5 MB"):
        users_import(actor=None, name="pegawai.csv", data=data, commit=False)


def test_more_than_20000_rows_is_refused(unit: Unit) -> None:
    rows = [internal(1)] * (MAX_ROWS + 1)

    with pytest.raises(ServiceError, match="20,000 rows"):
        users_import(actor=None, name="pegawai.csv", data=csv_bytes(rows), commit=False)


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(admin_client: Client) -> None:
    response = upload(admin_client, "pegawai.pdf", b"%PDF-1.7")

    assert form_errors(response) == ["Only CSV (.csv) and Excel (.xlsx) files can be imported."]


def test_a_file_without_the_required_columns_is_refused(unit: Unit) -> None:
    with pytest.raises(ServiceError, match="full_name, email"):
        users_import(
            actor=None, name="p.csv", data=b"employee_type,nip_username\ninternal,1\n", commit=False
        )


def test_the_command_prints_the_report_and_fails_on_errors(
    unit: Unit, tmp_path: Any, capsys: Any
) -> None:
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_bytes(six_rows_with_a_bad_nip_on_row_7()))

    with pytest.raises(CommandError):
        call_command("import_users", str(path), "--commit")

    assert "row 7\tnip_username\tDigit 15" in capsys.readouterr().out
    assert not learners().exists()


def test_the_command_dry_runs_unless_told_to_commit(unit: Unit, tmp_path: Any, capsys: Any) -> None:
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_bytes([internal(1), internal(2)]))

    call_command("import_users", str(path))
    assert "Dry run" in capsys.readouterr().out
    assert not learners().exists()

    call_command("import_users", str(path), "--commit")
    assert learners().count() == 2
    assert AuditLog.objects.get(action="users.imported").actor_label == "system"


def test_a_staff_user_without_rights_gets_403(
    client: Client, make_user: Callable[..., User], unit: Unit
) -> None:
    clerk = make_user("clerk", is_staff=True, employee_type="external")
    client.force_login(clerk)

    response = upload(client, "pegawai.csv", csv_bytes([internal(1)]))

    assert response.status_code == 403
    assert not User.objects.filter(username=nip(1)).exists()
