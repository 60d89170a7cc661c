"""The report pages: their figures, their filters, and their SQL budgets (each budget
includes the one read of the device that verified a staff session, mooc.accounts.services.mfa)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mooc.accounts.tests.helpers import signed_in
from mooc.reports.tests.support import (
    certificate_for,
    enrol,
    enrol_failed,
    enrol_passed,
    external_training_for,
    report_admin,
    report_course,
    report_learner,
    report_unit,
    report_viewer,
)

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
YEAR = 2026


def at(month: int, day: int = 10) -> dt.datetime:
    return dt.datetime(YEAR, month, day, 10, tzinfo=WIB)


@pytest.fixture
def world() -> dict[str, Any]:
    root = report_unit("Kementerian")
    jabar = report_unit("Kanwil Jawa Barat", root)
    bandung = report_unit("Lapas Bandung", jabar)
    jatim = report_unit("Kanwil Jawa Timur", root)
    course = report_course(jp=12, title="Etika ASN")
    short = report_course(jp=4, title="Anti Korupsi")
    rina = report_learner(unit=bandung, name="Rina Lulus")  # 12 + 4 + 6 elsewhere = 22
    enrol_passed(rina, course, at=at(2), score=90, certificate=True)
    enrol_passed(rina, short, at=at(3), score=80)
    external_training_for(rina, jp=6, ends_on=dt.date(YEAR, 5, 1))
    budi = report_learner(unit=jabar, name="Budi Kurang")  # 4
    enrol_passed(budi, short, at=at(3), score=70)
    enrol(budi, course)
    sari = report_learner(unit=jatim, name="Sari Gagal")  # 0
    enrol_failed(sari, course, at=at(4))
    report_learner(unit=jatim, internal=False, name="Eko Eksternal")  # no target
    return {
        "root": root,
        "jabar": jabar,
        "bandung": bandung,
        "jatim": jatim,
        "course": course,
        "rina": rina,
        "budi": budi,
        "sari": sari,
    }


def figure(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}">(?:<a[^>]*>)?([^<]*)<', html)
    assert match, element_id
    return match.group(1).strip()


def test_ringkasan_counts_learners_completions_jp_and_the_share_at_target(
    client: Client, world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    signed_in(client, report_admin())

    with django_assert_max_num_queries(18):
        html = client.get(reverse("reports:summary"), {"year": YEAR}).content.decode()

    assert figure(html, "fig-learners") == "4"
    assert figure(html, "fig-completions") == "4"
    assert figure(html, "fig-pass-rate") in ("75,0%", "75.0%")
    assert figure(html, "fig-jp") == "20"  # 12 + 4 + 4 passed here; elsewhere is not delivered
    assert figure(html, "fig-at-target") in ("33,3%", "33.3%")  # Rina of the 3 with a target
    assert "<svg" in html and "<table" in html


def test_ringkasan_for_a_report_viewer_counts_their_subtree_only(
    client: Client, world: dict[str, Any]
) -> None:
    signed_in(client, report_viewer(world["jabar"]))

    html = client.get(reverse("reports:summary"), {"year": YEAR}).content.decode()

    assert figure(html, "fig-learners") == "2"
    assert figure(html, "fig-completions") == "3"


def test_the_unit_page_rolls_sub_units_up_and_links_to_their_learners(
    client: Client, world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    signed_in(client, report_admin())

    with django_assert_max_num_queries(16):
        response = client.get(reverse("reports:units"), {"year": YEAR, "unit": world["root"].pk})
    html = response.content.decode()

    assert figure(html, "total-staff") == "4"
    assert figure(html, "total-below") == "2"  # Budi and Sari
    table = html[html.index("<tbody>") :]
    jabar_row = table[table.index("Kanwil Jawa Barat") :].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(?:<a[^>]*>)?([^<]*)<", jabar_row)
    assert cells[:5] == ["2", "4", "3", "26", "13,0"] or cells[:5] == ["2", "4", "3", "26", "13.0"]
    assert f"unit={world['jabar'].pk}" in jabar_row


def test_di_bawah_target_lists_who_is_under_the_target_fewest_jp_first(
    client: Client, world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    signed_in(client, report_admin())

    with django_assert_max_num_queries(15):
        html = client.get(reverse("reports:below_target"), {"year": YEAR}).content.decode()

    assert html.index("Sari Gagal") < html.index("Budi Kurang")
    assert "Rina Lulus" not in html and "Eko Eksternal" not in html


def test_the_learner_list_shows_jp_and_searches_by_name(
    client: Client, world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    signed_in(client, report_admin())

    with django_assert_max_num_queries(15):
        html = client.get(
            reverse("reports:learners"), {"year": str(YEAR), "q": "rina"}
        ).content.decode()

    assert "Rina Lulus" in html and "Budi Kurang" not in html
    assert ">22<" in html


def test_the_learner_page_has_jp_per_year_courses_and_exam_history(
    client: Client, world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    signed_in(client, report_admin())
    certificate_for(
        enrol_passed(world["rina"], report_course(jp=3, title="Dicabut"), at=at(6)), revoked=True
    )

    with django_assert_max_num_queries(19):
        html = client.get(reverse("reports:learner", args=[world["rina"].pk])).content.decode()

    assert "2026: 22 / 20 JP" in html
    assert "Etika ASN" in html and "Pelatihan Kepemimpinan" in html
    assert "Plagiarisme terbukti." in html


def test_the_course_page_has_the_funnel_scores_and_medians(
    client: Client, world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    signed_in(client, report_admin())

    with django_assert_max_num_queries(20):
        html = client.get(
            reverse("reports:course", args=[world["course"].pk]), {"year": YEAR}
        ).content.decode()

    assert figure(html, "fig-enrolled") == "3"
    assert figure(html, "fig-passed") == "1"
    assert "Score distribution" in html or "Sebaran nilai" in html


def test_the_course_list_counts_each_course(
    client: Client, world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    signed_in(client, report_admin())

    with django_assert_max_num_queries(14):
        html = client.get(reverse("reports:courses"), {"year": YEAR}).content.decode()

    table = html[html.index("<tbody>") :]
    row = table[table.index("Etika ASN") :].split("</tr>")[0]
    assert re.findall(r'<td class="text-end">(?:<a[^>]*>)?([^<]*)<', row)[:6] == [
        "12",
        "3",
        "1",
        "2",
        "1",
        "1",
    ]


@pytest.mark.parametrize("year", ("1999", "2101", "tahun"))
def test_a_year_outside_2000_2100_gets_a_clear_message(
    client: Client, world: dict[str, Any], year: str
) -> None:
    signed_in(client, report_admin())

    response = client.get(reverse("reports:summary"), {"year": year}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "2000" in response.content.decode() and "2100" in response.content.decode()
    assert response.context["form"].errors["year"]


def test_a_reversed_date_range_gets_a_clear_message(client: Client, world: dict[str, Any]) -> None:
    signed_in(client, report_admin())

    response = client.get(
        reverse("reports:courses"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]


def test_a_date_range_narrows_the_course_figures(client: Client, world: dict[str, Any]) -> None:
    signed_in(client, report_admin())

    response = client.get(
        reverse("reports:courses"), {"date_from": "2000-01-01", "date_to": "2000-12-31"}
    )

    assert all(course.enrolled == 0 for course in response.context["courses"])


def test_learners_placed_in_the_unit_itself_get_their_own_row(
    client: Client, world: dict[str, Any]
) -> None:
    signed_in(client, report_admin())

    response = client.get(reverse("reports:units"), {"year": YEAR, "unit": world["jabar"].pk})
    report = response.context["report_data"]

    assert report.own.staff == 1 and report.own.unit == world["jabar"]  # Budi
    assert [row.staff for row in report.total.children] == [1]  # Rina in Lapas Bandung
    assert report.total.staff == 2
    assert "Kanwil Jawa Barat (unit itu sendiri)" in response.content.decode()


def test_a_courses_enrolled_figure_opens_the_learners_enrolled_in_it(
    client: Client, world: dict[str, Any]
) -> None:
    signed_in(client, report_admin())
    course_page = client.get(reverse("reports:course", args=[world["course"].pk])).content.decode()
    link = f"{reverse('reports:learners')}?course={world['course'].pk}"

    html = client.get(reverse("reports:learners"), {"course": world["course"].pk}).content.decode()

    assert link in course_page
    assert "Rina Lulus" in html and "Budi Kurang" in html and "Sari Gagal" in html
    assert "Eko Eksternal" not in html
