"""Beranda: profile card, the three totals, JP this year, continue learning, available courses."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mooc.accounts.tests.factories import UserFactory
from mooc.accounts.tests.helpers import in_english, signed_in
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.learning.models import Material, MaterialProgress
from mooc.learning.selectors import learner_totals

pytestmark = pytest.mark.django_db

URL = reverse("catalog:dashboard")
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def test_it_keeps_the_profile_card(client: Client) -> None:
    signed_in(client, UserFactory.create(full_name="Rina Kusuma", jabatan="Analis Kepegawaian"))

    html = client.get(URL).content.decode()

    assert "Rina Kusuma" in html and "Analis Kepegawaian" in html
    assert html.count("<h1") == 1


def test_it_counts_courses_taken_active_and_completed(client: Client) -> None:
    user = signed_in(in_english(client))
    EnrollmentFactory.create(user=user, course=CourseFactory.create())
    EnrollmentFactory.create(user=user, course=CourseFactory.create())
    EnrollmentFactory.create(user=user, course=CourseFactory.create(), passed=True, completed=True)
    EnrollmentFactory.create(user=user, course=CourseFactory.create(), passed=False, completed=True)
    EnrollmentFactory.create(
        user=UserFactory.create(), course=CourseFactory.create()
    )  # someone else's

    html = client.get(URL).content.decode()

    assert re.search(r'id="total-all">4<.*Total Courses Taken', html, re.DOTALL)
    assert re.search(r'id="total-active">2<.*Active Courses', html, re.DOTALL)
    assert re.search(r'id="total-completed">2<.*Completed Courses', html, re.DOTALL)


def test_jp_this_year_counts_passed_courses_completed_this_year(client: Client) -> None:
    user = signed_in(client)
    this_year = timezone.now().astimezone(WIB).year
    EnrollmentFactory.create(
        user=user, course=CourseFactory.create(jp=8), passed=True, completed=True
    )
    EnrollmentFactory.create(
        user=user, course=CourseFactory.create(jp=4), passed=True, completed=True
    )
    EnrollmentFactory.create(
        user=user, course=CourseFactory.create(jp=30), passed=False, completed=True
    )
    EnrollmentFactory.create(
        user=user,
        course=CourseFactory.create(jp=16),
        passed=True,
        completed_at=dt.datetime(this_year - 1, 6, 1, tzinfo=WIB),
        completed=True,
    )
    EnrollmentFactory.create(user=user, course=CourseFactory.create(jp=10))

    html = client.get(URL).content.decode()

    assert re.search(
        r'role="progressbar" aria-labelledby="jp-title"\s+aria-valuenow="12"\s+'
        r'aria-valuemin="0" aria-valuemax="20"',
        html,
    )
    assert '<strong id="jp-label">12 / 20 JP</strong>' in html


def test_more_than_the_target_fills_the_bar_and_still_tells_the_total(client: Client) -> None:
    user = signed_in(client)
    EnrollmentFactory.create(
        user=user, course=CourseFactory.create(jp=24), passed=True, completed=True
    )

    html = client.get(URL).content.decode()

    assert re.search(r'aria-valuenow="20"\s+aria-valuemin="0" aria-valuemax="20"', html)
    assert '<strong id="jp-label">24 / 20 JP</strong>' in html


def test_a_course_passed_on_31_december_at_2330_wib_counts_for_that_year() -> None:
    user = UserFactory.create()
    completed = dt.datetime(2024, 12, 31, 23, 30, tzinfo=WIB)  # 16:30 UTC, same day
    EnrollmentFactory.create(
        user=user,
        course=CourseFactory.create(jp=6),
        passed=True,
        completed_at=completed,
        completed=True,
    )

    assert learner_totals(user=user, year=2024).jp_this_year == 6
    assert learner_totals(user=user, year=2025).jp_this_year == 0


def test_a_course_passed_on_1_january_at_0030_wib_counts_for_the_new_year() -> None:
    user = UserFactory.create()
    completed = dt.datetime(2025, 1, 1, 0, 30, tzinfo=WIB)  # still 31 December in UTC
    EnrollmentFactory.create(
        user=user,
        course=CourseFactory.create(jp=6),
        passed=True,
        completed_at=completed,
        completed=True,
    )

    assert learner_totals(user=user, year=2024).jp_this_year == 0
    assert learner_totals(user=user, year=2025).jp_this_year == 6


def test_beranda_uses_the_local_year_just_after_new_year_wib(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = signed_in(client)
    EnrollmentFactory.create(
        user=user,
        course=CourseFactory.create(jp=6),
        passed=True,
        completed_at=dt.datetime(2024, 12, 31, 23, 30, tzinfo=WIB),
        completed=True,
    )
    # 00:10 WIB on 1 January 2025 is 17:10 UTC on 31 December 2024.
    fixed = dt.datetime(2025, 1, 1, 0, 10, tzinfo=WIB)
    monkeypatch.setattr(timezone, "now", lambda: fixed.astimezone(dt.UTC))

    html = client.get(URL).content.decode()

    assert '<strong id="jp-label">0 / 20 JP</strong>' in html
    assert "(2025)" in html


def test_continue_learning_lists_active_courses_with_progress(client: Client) -> None:
    user = signed_in(in_english(client))
    course = CourseFactory.create(title="Etika Pelayanan Publik", sections=1, materials=4)
    EnrollmentFactory.create(user=user, course=course)
    for material in Material.objects.filter(section__course=course)[:3]:
        MaterialProgress.objects.create(user=user, material=material, course=course)
    EnrollmentFactory.create(
        user=user, course=CourseFactory.create(title="Sudah Tamat"), completed=True
    )

    html = client.get(URL).content.decode()
    section = html.split('id="continue-title"')[1].split('id="available-title"')[0]

    assert "Etika Pelayanan Publik" in section and "Sudah Tamat" not in section
    assert re.search(r'aria-valuenow="75"[^>]*aria-valuetext="3 of 4 materials done"', section)
    start_url = reverse("learning:course_start", args=[course.slug])
    assert f'href="{start_url}">Continue Learning' in section


def test_available_courses_are_open_ones_not_yet_taken(client: Client) -> None:
    user = signed_in(client, UserFactory.create(internal=False))
    now = timezone.now()
    CourseFactory.create(title="Terbuka")
    EnrollmentFactory.create(user=user, course=CourseFactory.create(title="Sudah Diikuti"))
    CourseFactory.create(title="Draf", is_published=False)
    CourseFactory.create(title="Ditutup", enroll_closes_at=now - dt.timedelta(days=1))
    CourseFactory.create(title="Belum Dibuka", enroll_opens_at=now + dt.timedelta(days=1))
    CourseFactory.create(
        title="Berakhir", starts_at=now - dt.timedelta(days=30), ends_at=now - dt.timedelta(days=1)
    )
    CourseFactory.create(title="Khusus Internal", internal_only=True)

    response = client.get(URL)

    assert [course.title for course in response.context["available"]] == ["Terbuka"]


def test_beranda_needs_login(client: Client) -> None:
    response = client.get(URL)

    assert response.status_code == 302 and response["Location"].startswith("/login/")
