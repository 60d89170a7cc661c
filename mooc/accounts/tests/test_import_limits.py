"""Finding F6 of issue 14: an .xlsx is checked from its zip directory (parts, unpacked
sizes, number of strings) before openpyxl reads it; the commands check a file's size
before reading it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from mooc.accounts.imports import (
    MAX_UPLOAD_BYTES,
    MAX_XLSX_PART_BYTES,
    MAX_XLSX_STRINGS,
    users_import,
)
from mooc.accounts.models import Unit, User
from mooc.accounts.tests.helpers import internal, xlsx_bytes
from mooc.core.errors import ServiceError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def with_part(workbook: bytes, name: str, data: bytes) -> bytes:
    """The workbook with one part added or replaced."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        target.writestr(name, data)
    return out.getvalue()


def shared_strings(count: int, tag: str = "si") -> bytes:
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    if ":" in tag:
        ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    root = tag.replace("si", "sst")
    items = f"<{tag}><{tag.replace('si', 't')}/></{tag}>" * count
    return f'<?xml version="1.0"?><{root} {ns} count="{count}">{items}</{root}>'.encode()


def refused(data: bytes) -> ServiceError:
    with pytest.raises(ServiceError) as error:
        users_import(actor=None, name="pegawai.xlsx", data=data, commit=False)
    return error.value


@pytest.mark.parametrize("tag", ["si", "x:si", "a-very-long-namespace-prefix-indeed:si"])
def test_too_many_shared_strings_are_refused_before_openpyxl(unit: Unit, tag: str) -> None:
    bomb = with_part(
        xlsx_bytes([internal(1)]), "xl/sharedStrings.xml", shared_strings(MAX_XLSX_STRINGS + 1, tag)
    )
    assert len(bomb) < MAX_UPLOAD_BYTES  # small on the wire, like the probe's 807 KB

    error = refused(bomb)

    assert error.code == "xlsx_too_big"
    assert "64 MB" in str(error.message)


def test_a_part_unpacking_too_large_is_refused(unit: Unit) -> None:
    bomb = with_part(
        xlsx_bytes([internal(1)]), "xl/media/image1.png", b"\0" * (MAX_XLSX_PART_BYTES + 1)
    )

    assert refused(bomb).code == "xlsx_too_big"


def test_an_ordinary_workbook_still_imports(unit: Unit) -> None:
    data = xlsx_bytes([internal(serial) for serial in range(1, 200)])

    report = users_import(actor=None, name="pegawai.xlsx", data=data, commit=True)

    assert report.ok and User.objects.count() == 199


@pytest.mark.parametrize("command", ["import_users", "import_units"])
def test_the_commands_refuse_a_large_file_before_reading_it(
    tmp_path: Path, monkeypatch: Any, command: str
) -> None:
    path = tmp_path / "pegawai.csv"
    path.write_bytes(b"x" * (MAX_UPLOAD_BYTES + 1))

    def never(self: Path) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", never)
    with pytest.raises(CommandError, match="5 MB"):
        call_command(command, str(path))
