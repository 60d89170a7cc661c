"""The course player: in order through the materials with "Selanjutnya" and "Sebelumnya"."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.accounts.tests.helpers import logged_in
from mooc.catalog.models import Course, EnrollmentStatus
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.learning.models import Material, MaterialProgress, Section
from mooc.learning.tests.helpers import complete_url, material_url, materials_of, outline_links

pytestmark = pytest.mark.django_db


@pytest.fixture
def course() -> Course:
    return CourseFactory.create(slug="etika-publik", sections=2, materials=2)


@pytest.fixture
def learner(learner: User, client: Client, course: Course) -> User:
    """The shared learner, enrolled in the course and signed in, in English."""
    EnrollmentFactory.create(user=learner, course=course)
    logged_in(client, learner)
    return learner


def test_the_player_opens_the_first_material_when_nothing_is_done(
    client: Client, course: Course, learner: User
) -> None:
    response = client.get(reverse("learning:course_start", args=[course.slug]))
    assert response.status_code == 302
    assert response["Location"] == material_url(course, materials_of(course)[0])


def test_the_player_opens_the_first_unfinished_material(
    client: Client, course: Course, learner: User
) -> None:
    first, second, third, _ = materials_of(course)
    for done in (first, third):
        MaterialProgress.objects.create(user=learner, material=done, course=course)
    response = client.get(reverse("learning:course_start", args=[course.slug]))
    assert response["Location"] == material_url(course, second)


def test_the_player_opens_the_first_material_when_everything_is_done(
    client: Client, course: Course, learner: User
) -> None:
    for material in materials_of(course):
        MaterialProgress.objects.create(user=learner, material=material, course=course)
    response = client.get(reverse("learning:course_start", args=[course.slug]))
    assert response["Location"] == material_url(course, materials_of(course)[0])


def test_a_material_page_shows_its_title_text_and_the_two_buttons(
    client: Client, course: Course, learner: User
) -> None:
    first, second, *_ = materials_of(course)
    response = client.get(material_url(course, second))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert '<h1 class="h2" id="material-title">Materi 1.2</h1>' in html
    assert "<p>Isi 1.2</p>" in html
    assert f'href="{material_url(course, first)}" rel="prev"' in html
    assert f'<form method="post" action="{complete_url(course, second)}"' in html
    assert "Previous" in html and "Next" in html


def test_the_first_material_has_no_previous_button(
    client: Client, course: Course, learner: User
) -> None:
    response = client.get(material_url(course, materials_of(course)[0]))
    assert 'rel="prev"' not in response.content.decode()


def test_next_marks_the_material_done_and_opens_the_next_one(
    client: Client, course: Course, learner: User
) -> None:
    first, second, *_ = materials_of(course)
    response = client.post(complete_url(course, first))
    assert response.status_code == 302
    assert response["Location"] == material_url(course, second)
    progress = MaterialProgress.objects.get(user=learner)
    assert (progress.material, progress.course) == (first, course)


def test_pressing_next_twice_records_the_material_once(
    client: Client, course: Course, learner: User
) -> None:
    first, second, *_ = materials_of(course)
    client.post(complete_url(course, first))
    response = client.post(complete_url(course, first))
    assert response["Location"] == material_url(course, second)
    assert MaterialProgress.objects.filter(user=learner, material=first).count() == 1


def test_next_moves_on_across_sections(client: Client, course: Course, learner: User) -> None:
    _, end_of_section_one, start_of_section_two, _ = materials_of(course)
    response = client.post(complete_url(course, end_of_section_one))
    assert response["Location"] == material_url(course, start_of_section_two)


def test_next_on_the_last_material_marks_it_done_and_opens_the_end_page(
    client: Client, course: Course, learner: User
) -> None:
    *earlier, last = materials_of(course)
    for material in earlier:
        MaterialProgress.objects.create(user=learner, material=material, course=course)
    response = client.post(complete_url(course, last))
    assert response["Location"] == reverse("learning:course_end", args=[course.slug])
    assert MaterialProgress.objects.filter(user=learner, material=last).exists()

    end = client.get(response["Location"])
    html = end.content.decode()
    assert end.status_code == 200
    assert "You have completed all the materials" in html
    assert 'id="after-materials-heading"' in html  # the exam issue's slot
    assert f'href="{material_url(course, last)}" rel="prev"' in html


def test_the_end_page_points_to_the_first_unfinished_material_when_some_are_left(
    client: Client, course: Course, learner: User
) -> None:
    first, second, *_ = materials_of(course)
    MaterialProgress.objects.create(user=learner, material=first, course=course)
    response = client.get(reverse("learning:course_end", args=[course.slug]))
    html = response.content.decode()
    assert "Some materials are not done yet" in html
    assert f'href="{material_url(course, second)}"' in html


def test_next_only_accepts_post(client: Client, course: Course, learner: User) -> None:
    first = materials_of(course)[0]
    assert client.get(complete_url(course, first)).status_code == 405
    assert not MaterialProgress.objects.exists()


def test_the_outline_lists_every_material_and_marks_done_and_current_ones(
    client: Client, course: Course, learner: User
) -> None:
    first, second, third, fourth = materials_of(course)
    MaterialProgress.objects.create(user=learner, material=first, course=course)
    html = client.get(material_url(course, second)).content.decode()

    assert '<nav aria-label="Materials">' in html
    assert outline_links(html) == [material_url(course, m) for m in (first, second, third, fourth)]
    current = re.findall(r'class="outline-link" href="([^"]+)" aria-current="page"', html)
    assert current == [material_url(course, second)]
    assert html.count("✓") == 1
    assert html.count('<span class="visually-hidden"> (done)</span>') == 1
    assert "Bagian 1" in html and "Bagian 2" in html


def test_the_progress_percentage_follows_the_materials_done(
    client: Client, course: Course, learner: User
) -> None:
    first, second, *_ = materials_of(course)
    html = client.get(material_url(course, first)).content.decode()
    assert 'aria-valuenow="0"' in html
    assert "Materials done: 0 of 4" in html

    client.post(complete_url(course, first))
    html = client.get(material_url(course, second)).content.decode()
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="25"' in html
    assert 'style="width: 25%"' in html
    assert "Materials done: 1 of 4" in html


def test_a_completed_enrolment_can_still_review_the_materials(client: Client) -> None:
    course = CourseFactory.create(sections=2, materials=2)
    user = UserFactory.create()
    EnrollmentFactory.create(
        user=user, course=course, status=EnrollmentStatus.COMPLETED, completed_at=timezone.now()
    )
    client.force_login(user)
    first = materials_of(course)[0]
    assert client.get(material_url(course, first)).status_code == 200


def test_a_retired_material_is_404_and_missing_from_the_outline(
    client: Client, course: Course, learner: User
) -> None:
    first, retired, third, _ = materials_of(course)
    Material.objects.filter(pk=retired.pk).update(is_retired=True)

    assert client.get(material_url(course, retired)).status_code == 404
    assert client.post(complete_url(course, retired)).status_code == 404
    html = client.get(material_url(course, first)).content.decode()
    assert material_url(course, retired) not in html
    assert "Materials done: 0 of 3" in html
    # "Selanjutnya" steps over it.
    assert client.post(complete_url(course, first))["Location"] == material_url(course, third)


def test_a_retired_section_takes_its_materials_out_of_the_player(
    client: Client, course: Course, learner: User
) -> None:
    Section.objects.filter(course=course, order=1).update(is_retired=True)
    retired = Material.objects.filter(section__course=course, section__order=1)
    for material in retired:
        assert client.get(material_url(course, material)).status_code == 404
    start = client.get(reverse("learning:course_start", args=[course.slug]))
    assert start["Location"] == material_url(course, materials_of(course)[0])
    assert materials_of(course)[0].title == "Materi 2.1"
    assert "Bagian 1" not in client.get(start["Location"]).content.decode()


def test_another_courses_material_is_404_under_this_course(
    client: Client, course: Course, learner: User
) -> None:
    other = CourseFactory.create(sections=2, materials=2)
    EnrollmentFactory.create(user=learner, course=other)
    foreign = materials_of(other)[0]
    assert client.get(material_url(course, foreign)).status_code == 404
    assert client.post(complete_url(course, foreign)).status_code == 404
    assert not MaterialProgress.objects.exists()


def test_an_unknown_course_is_404(client: Client, learner: User) -> None:
    assert client.get(reverse("learning:course_start", args=["tidak-ada"])).status_code == 404


def test_an_uploaded_video_plays_from_the_permission_checked_url(
    client: Client, course: Course, learner: User
) -> None:
    first = materials_of(course)[0]
    Material.objects.filter(pk=first.pk).update(video_file="videos/v.webm")
    html = client.get(material_url(course, first)).content.decode()
    video_url = reverse("learning:material_video", args=[course.slug, first.pk])
    assert '<video controls preload="metadata"' in html
    assert f'<source src="{video_url}" type="video/webm">' in html
    assert "Video material" in html and "Reading material" in html
    assert 'href="#reading"' in html  # the text alternative


def test_an_external_video_is_embedded_through_a_facade(
    client: Client, course: Course, learner: User
) -> None:
    first = materials_of(course)[0]
    Material.objects.filter(pk=first.pk).update(
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    html = client.get(material_url(course, first)).content.decode()
    assert 'data-embed-url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in html
    assert "<iframe" not in html  # nothing loads from YouTube before the learner asks
    assert "<video" not in html


def test_attachments_are_listed_as_download_links(
    client: Client, course: Course, learner: User
) -> None:
    first = materials_of(course)[0]
    attachment = first.attachments.create(title="Modul PDF", file="attachments/modul.pdf")
    html = client.get(material_url(course, first)).content.decode()
    url = reverse("learning:attachment", args=[course.slug, attachment.pk])
    assert "Attachments" in html
    assert f'<a href="{url}" download>Modul PDF</a>' in html


def test_the_material_text_is_the_sanitized_html(
    client: Client, course: Course, learner: User
) -> None:
    first = materials_of(course)[0]
    first.body = '<p onclick="steal()">Aman</p><script>alert(1)</script>'
    first.save(update_fields=["body"])
    html = client.get(material_url(course, first)).content.decode()
    assert "<p>Aman</p>" in html
    assert "alert(1)" not in html and "steal()" not in html


def test_a_course_without_materials_says_so(client: Client) -> None:
    course = CourseFactory.create(sections=0, materials=2)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for name in ("learning:course_start", "learning:course_end"):
        response = client.get(reverse(name, args=[course.slug]))
        assert response.status_code == 200
        assert "This course has no materials yet." in response.content.decode()
