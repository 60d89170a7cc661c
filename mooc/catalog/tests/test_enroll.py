"""Enrolling: "Ambil Kursus Ini" / "Daftar" — by POST, once, and only when allowed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mooc.accounts.tests.factories import PASSWORD, UnitFactory, UserFactory
from mooc.accounts.tests.helpers import captcha, in_english, signed_in
from mooc.catalog.models import Course, Enrollment, EnrollmentStatus
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def enroll_url(course: Course) -> str:
    return reverse("catalog:enroll", args=[course.slug])


def test_posting_enrols_the_learner_copying_the_jp_and_unit(client: Client) -> None:
    unit = UnitFactory.create(
        name="Kanwil Jawa Timur", parent=UnitFactory.create(name="Kementerian Demo")
    )
    user = signed_in(client, UserFactory.create(unit=unit))
    course = CourseFactory.create(jp=12)

    response = client.post(enroll_url(course))

    enrollment = Enrollment.objects.get()
    assert (enrollment.user, enrollment.course) == (user, course)
    assert enrollment.jp == 12 and enrollment.unit == unit
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:course_start", args=[course.slug])


def test_posting_twice_keeps_one_enrolment(client: Client) -> None:
    signed_in(client)
    course = CourseFactory.create()

    first = client.post(enroll_url(course))
    second = client.post(enroll_url(course))

    assert Enrollment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_jp_is_the_one_at_enrolment_time(client: Client) -> None:
    signed_in(client)
    course = CourseFactory.create(jp=10)
    client.post(enroll_url(course))

    course.jp = 20
    course.save(update_fields=["jp"])

    assert Enrollment.objects.get().jp == 10


def test_a_get_does_not_enrol_but_asks_to_confirm(client: Client) -> None:
    signed_in(client)
    course = CourseFactory.create(title="Etika Pelayanan Publik")

    response = client.get(enroll_url(course))

    assert response.status_code == 200
    assert not Enrollment.objects.exists()
    html = response.content.decode()
    assert "Etika Pelayanan Publik" in html
    assert f'<form method="post" action="{enroll_url(course)}"' in html
    assert ">Ambil Kursus Ini</button>" in html
    assert html.count("<h1") == 1


def test_a_get_when_already_enrolled_goes_on_to_the_course(client: Client) -> None:
    course = CourseFactory.create()
    EnrollmentFactory.create(user=signed_in(client), course=course)

    response = client.get(enroll_url(course))

    assert response.status_code == 302
    assert response["Location"] == reverse("learning:course_start", args=[course.slug])


def test_a_visitor_logs_in_and_comes_back_enrolled_after_one_click(client: Client) -> None:
    user = UserFactory.create(username="198609262015051001")
    course = CourseFactory.create()
    # The course page's button is a link to login whose `next` is the enrol page.
    login_link = f"/login/?next={enroll_url(course)}"
    assert f'href="{login_link}"' in client.get(course.get_absolute_url()).content.decode()

    after_login = client.post(
        login_link,
        captcha(username=user.username, password=PASSWORD, next=enroll_url(course)),
        follow=True,
    )

    assert after_login.redirect_chain[-1] == (enroll_url(course), 302)
    assert not Enrollment.objects.exists()  # a GET never enrols
    assert f'<form method="post" action="{enroll_url(course)}"' in after_login.content.decode()

    done = client.post(enroll_url(course), follow=True)

    assert done.status_code == 200
    assert Enrollment.objects.filter(user=user, course=course).count() == 1


def test_a_visitor_posting_is_sent_to_login_and_nothing_is_created(client: Client) -> None:
    course = CourseFactory.create()

    response = client.post(enroll_url(course))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert not Enrollment.objects.exists()


def _days(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"enroll_opens_at": -30, "enroll_closes_at": -1}, "Enrolment for this course is closed."),
        ({"enroll_opens_at": 3}, "Enrolment for this course has not opened yet."),
        ({"starts_at": -60, "ends_at": -1}, "This course has ended."),
    ],
)
def test_a_refused_enrolment_creates_nothing_and_says_why(
    client: Client, fields: dict[str, int], reason: str
) -> None:
    signed_in(in_english(client))
    course = CourseFactory.create(**{name: _days(days) for name, days in fields.items()})

    response = client.post(enroll_url(course), follow=True)

    assert not Enrollment.objects.exists()
    assert response.redirect_chain == [(course.get_absolute_url(), 302)]
    assert reason in response.content.decode()


def test_an_external_learner_cannot_enrol_in_an_internal_only_course(client: Client) -> None:
    signed_in(in_english(client), UserFactory.create(username="mitra.swasta", internal=False))
    course = CourseFactory.create(internal_only=True)

    response = client.post(enroll_url(course), follow=True)

    assert not Enrollment.objects.exists()
    assert "only for internal employees" in response.content.decode()


def test_the_confirm_page_shows_a_refusal_with_the_button_disabled(client: Client) -> None:
    signed_in(in_english(client))
    course = CourseFactory.create(enroll_opens_at=_days(3))

    html = client.get(enroll_url(course)).content.decode()

    assert 'disabled aria-describedby="enroll-refusal"' in html
    assert "Enrolment for this course has not opened yet." in html
    assert f'<form method="post" action="{enroll_url(course)}"' not in html


def test_an_unpublished_course_cannot_be_enrolled_in(client: Client) -> None:
    signed_in(client)
    course = CourseFactory.create(is_published=False)

    assert client.post(enroll_url(course)).status_code == 404
    assert client.get(enroll_url(course)).status_code == 404
    assert not Enrollment.objects.exists()
