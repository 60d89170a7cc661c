"""Who sees what, by URL: every page and every export checks the viewer's scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mooc.accounts.tests.helpers import signed_in
from mooc.reports.tests.support import (
    enrol_passed,
    report_admin,
    report_course,
    report_instructor,
    report_learner,
    report_unit,
    report_viewer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    root = report_unit("Kementerian")
    jabar = report_unit("Kanwil Jawa Barat", root)
    bandung = report_unit("Lapas Bandung", jabar)
    jatim = report_unit("Kanwil Jawa Timur", root)
    inside = report_learner(unit=bandung, name="Budi Dalam")
    outside = report_learner(unit=jatim, name="Sari Luar")
    course, other_course = report_course(), report_course()
    enrol_passed(inside, course)
    enrol_passed(outside, other_course)
    return {
        "root": root,
        "jabar": jabar,
        "bandung": bandung,
        "jatim": jatim,
        "inside": inside,
        "outside": outside,
        "course": course,
        "other_course": other_course,
    }


UNIT_PAGES = ("reports:summary", "reports:units", "reports:learners", "reports:below_target")
UNIT_EXPORTS = ("summary", "units", "learners", "below_target", "courses")


def _export(report: str, fmt: str = "csv") -> str:
    return reverse("reports:export", args=[report, fmt])


@pytest.mark.parametrize("name", UNIT_PAGES)
def test_a_report_viewer_sees_a_unit_page_for_their_subtree(
    client: Client, world: dict[str, Any], name: str
) -> None:
    signed_in(client, report_viewer(world["jabar"]))

    assert client.get(reverse(name), {"unit": world["bandung"].pk}).status_code == 200


@pytest.mark.parametrize("name", (*UNIT_PAGES, "reports:courses"))
def test_a_unit_outside_the_viewers_subtree_answers_404_on_every_page(
    client: Client, world: dict[str, Any], name: str
) -> None:
    signed_in(client, report_viewer(world["jabar"]))

    assert client.get(reverse(name), {"unit": world["jatim"].pk}).status_code == 404
    assert client.get(reverse(name), {"unit": world["root"].pk}).status_code == 404


@pytest.mark.parametrize("report", UNIT_EXPORTS)
@pytest.mark.parametrize("fmt", ("csv", "xlsx"))
def test_a_unit_outside_the_viewers_subtree_answers_404_on_every_export(
    client: Client, world: dict[str, Any], report: str, fmt: str
) -> None:
    signed_in(client, report_viewer(world["jabar"]))

    assert client.get(_export(report, fmt), {"unit": world["jatim"].pk}).status_code == 404
    assert client.get(_export(report, fmt), {"unit": world["bandung"].pk}).status_code == 200


def test_a_learner_outside_the_viewers_subtree_answers_404_page_and_export(
    client: Client, world: dict[str, Any]
) -> None:
    signed_in(client, report_viewer(world["jabar"]))

    assert client.get(reverse("reports:learner", args=[world["inside"].pk])).status_code == 200
    assert client.get(reverse("reports:learner", args=[world["outside"].pk])).status_code == 404
    assert client.get(_export("learner"), {"id": world["inside"].pk}).status_code == 200
    assert client.get(_export("learner"), {"id": world["outside"].pk}).status_code == 404


def test_the_viewers_learner_list_and_csv_leave_out_other_units(
    client: Client, world: dict[str, Any]
) -> None:
    signed_in(client, report_viewer(world["jabar"]))

    html = client.get(reverse("reports:learners")).content.decode()
    csv = b"".join(client.get(_export("learners")).streaming_content).decode()  # type: ignore[attr-defined]

    assert "Budi Dalam" in html and "Sari Luar" not in html
    assert "Budi Dalam" in csv and "Sari Luar" not in csv


def test_an_instructor_sees_only_their_own_courses_reports(
    client: Client, world: dict[str, Any]
) -> None:
    signed_in(client, report_instructor(world["course"]))

    own = reverse("reports:course", args=[world["course"].pk])
    other = reverse("reports:course", args=[world["other_course"].pk])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 404
    assert client.get(_export("course"), {"id": world["course"].pk}).status_code == 200
    assert (
        client.get(_export("course", "xlsx"), {"id": world["other_course"].pk}).status_code == 404
    )
    assert (
        client.get(reverse("reports:courses"), {"course": world["other_course"].pk}).status_code
        == 200
    )
    listing = client.get(reverse("reports:courses")).content.decode()
    assert world["course"].title in listing and world["other_course"].title not in listing


@pytest.mark.parametrize(
    "name", ("reports:units", "reports:learners", "reports:below_target", "reports:siasn")
)
def test_an_instructor_has_no_unit_reports(
    client: Client, world: dict[str, Any], name: str
) -> None:
    signed_in(client, report_instructor(world["course"]))

    assert client.get(reverse(name)).status_code == 403


def test_an_instructors_summary_link_leads_to_their_courses(
    client: Client, world: dict[str, Any]
) -> None:
    signed_in(client, report_instructor(world["course"]))

    assert client.get(reverse("reports:summary")).url == reverse("reports:courses")  # type: ignore[attr-defined]


def test_an_admin_sees_every_unit_course_and_learner(client: Client, world: dict[str, Any]) -> None:
    signed_in(client, report_admin())

    for unit in ("root", "jabar", "jatim"):
        assert client.get(reverse("reports:units"), {"unit": world[unit].pk}).status_code == 200
    for course in ("course", "other_course"):
        assert client.get(reverse("reports:course", args=[world[course].pk])).status_code == 200
    for learner in ("inside", "outside"):
        assert client.get(reverse("reports:learner", args=[world[learner].pk])).status_code == 200


@pytest.mark.parametrize(
    "url",
    (
        reverse("reports:summary"),
        reverse("reports:courses"),
        reverse("reports:units"),
        reverse("reports:below_target"),
        reverse("reports:siasn"),
        reverse("reports:export", args=["summary", "csv"]),
    ),
)
def test_learners_and_visitors_are_kept_out(
    client: Client, world: dict[str, Any], url: str
) -> None:
    assert client.get(url).status_code == 302  # to the login page
    signed_in(client, world["inside"])
    assert client.get(url).status_code == 403


def test_a_missing_course_or_learner_answers_404(client: Client, world: dict[str, Any]) -> None:
    signed_in(client, report_admin())

    assert client.get(reverse("reports:course", args=[999999])).status_code == 404
    assert client.get(reverse("reports:learner", args=[999999])).status_code == 404
    assert client.get(_export("course"), {"id": "abc"}).status_code == 404
    assert client.get(_export("nothing")).status_code == 404
    assert client.get(reverse("reports:export", args=["summary", "pdf"])).status_code == 404
