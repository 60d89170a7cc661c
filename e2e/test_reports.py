"""Reports (issue 16): an admin opens "Laporan" → Ringkasan, drills from a unit to a
learner and downloads "Di bawah target"; a report viewer cannot leave their unit.
axe-core checks every page, at 360 px and on the desktop."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.pages import check_page, login, open_main_menu, pass_second_step, staff_device
from mooc.accounts.models import Unit, User
from mooc.accounts.roles import ROLE_REPORT_VIEWER
from mooc.reports.models import ReportScope

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_opens_ringkasan_drills_unit_to_learner_and_exports_below_target(
    page: Page, viewport: str, demo_content: None
) -> None:
    base = page.base_url  # type: ignore[attr-defined]
    login(page, "admin", "AdminDemo2026", "/")
    pass_second_step(page, "admin")
    open_main_menu(page)
    page.get_by_role("link", name="Laporan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ringkasan")
    expect(page.locator("svg[role=img]")).to_be_visible()
    check_page(page, "reports-ringkasan", viewport)

    page.get_by_role("link", name="Per unit", exact=True).click()
    page.locator("tbody").get_by_role("link", name="Kantor Wilayah Jawa Barat", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kantor Wilayah Jawa Barat")
    check_page(page, "reports-unit", viewport)

    page.get_by_role("link", name="pegawai di Lapas Kelas IIA Bandung").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Per peserta")
    check_page(page, "reports-unit-learners", viewport)
    page.locator("tbody a").first.click()
    expect(page.get_by_role("heading", name="JP per tahun")).to_be_visible()
    check_page(page, "reports-learner", viewport)

    page.goto(base + "/laporan/di-bawah-target/")
    check_page(page, "reports-below-target", viewport)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("di-bawah-target-")
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows[0][0] == "NIP/Username" and len(rows) > 1


def test_a_report_viewer_cannot_leave_their_unit(
    page: Page, viewport: str, demo_content: None
) -> None:
    base = page.base_url  # type: ignore[attr-defined]
    jabar = Unit.objects.get(code="KW-JABAR")
    viewer = User.objects.create_user(
        username="pelihat.e2e",
        password="Rahasia123",
        full_name="Pelihat Jawa Barat",
        is_staff=True,
        activated_at=timezone.now(),
    )
    viewer.groups.add(Group.objects.get(name=ROLE_REPORT_VIEWER))
    ReportScope.objects.create(user=viewer, unit=jabar)
    jatim = Unit.objects.get(code="KW-JATIM")

    staff_device("pelihat.e2e")
    login(page, "pelihat.e2e", "Rahasia123", "/laporan/unit/")
    pass_second_step(page, "pelihat.e2e")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kantor Wilayah Jawa Barat")
    expect(page.locator("main")).not_to_contain_text("Kantor Wilayah Jawa Timur")
    expect(page.get_by_label("Unit (beserta sub-unit)")).not_to_contain_text("Jawa Timur")
    check_page(page, "reports-viewer-unit", viewport)

    for path in (
        f"/laporan/unit/?unit={jatim.pk}",
        f"/laporan/di-bawah-target/?unit={jatim.pk}",
        f"/laporan/ekspor/below_target.csv?unit={jatim.pk}",
    ):
        response = page.goto(base + path)
        assert response is not None and response.status == 404, path
