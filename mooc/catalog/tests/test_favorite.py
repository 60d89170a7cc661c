"""The heart on cards and course pages, and the "Favorite" page (wishlist)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mooc.accounts.tests.factories import UserFactory
from mooc.accounts.tests.helpers import in_english, signed_in
from mooc.catalog.models import Course, Favorite
from mooc.catalog.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

FAVORITES = reverse("catalog:favorites")


def toggle_url(course: Course) -> str:
    return reverse("catalog:favorite_toggle", args=[course.slug])


def test_the_heart_adds_then_removes_a_favourite_and_goes_back(client: Client) -> None:
    user = signed_in(client)
    course = CourseFactory.create()
    back = reverse("catalog:catalogue") + "?level=dasar&page=2"

    added = client.post(toggle_url(course), {"next": back})

    assert Favorite.objects.filter(user=user, course=course).count() == 1
    assert added.status_code == 302 and added["Location"] == back

    removed = client.post(toggle_url(course), {"next": back})

    assert not Favorite.objects.exists()
    assert removed["Location"] == back


def test_without_a_safe_next_it_goes_to_the_course_page(client: Client) -> None:
    signed_in(client)
    course = CourseFactory.create()

    response = client.post(toggle_url(course), {"next": "https://evil.example/"})

    assert response["Location"] == course.get_absolute_url()


def test_with_htmx_it_returns_the_swapped_button(client: Client) -> None:
    user = signed_in(in_english(client))
    course = CourseFactory.create()

    response = client.post(toggle_url(course), {"next": "/pelatihan/"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert Favorite.objects.filter(user=user, course=course).exists()
    html = response.content.decode()
    assert "<html" not in html
    assert f'id="favorite-{course.pk}"' in html
    assert 'aria-pressed="true"' in html
    assert 'aria-label="Remove from favourites"' in html
    assert 'name="next" value="/pelatihan/"' in html

    again = client.post(toggle_url(course), HTTP_HX_REQUEST="true").content.decode()

    assert not Favorite.objects.exists()
    assert 'aria-pressed="false"' in again and 'aria-label="Add to favourites"' in again


def test_a_get_changes_nothing(client: Client) -> None:
    signed_in(client)
    course = CourseFactory.create()

    response = client.get(toggle_url(course))

    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()
    assert not Favorite.objects.exists()


def test_a_visitor_is_sent_to_login(client: Client) -> None:
    course = CourseFactory.create()

    response = client.post(toggle_url(course))

    assert response["Location"].startswith("/login/?next=")
    assert not Favorite.objects.exists()


def test_an_unpublished_course_cannot_be_hearted(client: Client) -> None:
    signed_in(client)
    course = CourseFactory.create(is_published=False)

    assert client.post(toggle_url(course)).status_code == 404
    assert not Favorite.objects.exists()


def test_the_favorite_page_lists_my_hearts_newest_first(client: Client) -> None:
    user = signed_in(client)
    first = CourseFactory.create(title="Etika Pelayanan Publik")
    second = CourseFactory.create(title="Literasi Digital")
    CourseFactory.create(title="Tidak Disukai")
    Favorite.objects.create(
        user=UserFactory.create(), course=CourseFactory.create(title="Favorit Orang Lain")
    )
    old = Favorite.objects.create(user=user, course=first)
    Favorite.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    Favorite.objects.create(user=user, course=second)

    response = client.get(FAVORITES)

    assert response.status_code == 200
    shown = [course.title for course in response.context["page"].object_list]
    assert shown == ["Literasi Digital", "Etika Pelayanan Publik"]
    html = response.content.decode()
    assert "Tidak Disukai" not in html and "Favorit Orang Lain" not in html
    assert len(re.findall(r'id="favorite-\d+"[^>]*aria-pressed="true"', html)) == 2
    assert "<h1" in html and html.count("<h1") == 1


def test_the_favorite_page_hides_a_course_that_was_unpublished(client: Client) -> None:
    user = signed_in(client)
    course = CourseFactory.create(title="Ditarik")
    Favorite.objects.create(user=user, course=course)
    course.is_published = False
    course.save(update_fields=["is_published"])

    assert "Ditarik" not in client.get(FAVORITES).content.decode()


def test_the_favorite_page_needs_login(client: Client) -> None:
    response = client.get(FAVORITES)

    assert response.status_code == 302 and response["Location"].startswith("/login/")
