"""The catalogue, "Daftar Pelatihan": published courses, filters, search, pages, cards."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mooc.accounts.tests.factories import UserFactory
from mooc.accounts.tests.helpers import in_english, signed_in
from mooc.catalog.models import Favorite, Level
from mooc.catalog.selectors import course_list_published
from mooc.catalog.tests.factories import CategoryFactory, CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db

URL = reverse("catalog:catalogue")


def titles(response: Any) -> list[str]:
    return [course.title for course in response.context["page"].object_list]


def test_it_lists_published_courses_only(client: Client) -> None:
    CourseFactory.create(title="Orientasi ASN Baru")
    CourseFactory.create(title="Draf Kursus Rahasia", is_published=False)

    response = client.get(URL)

    assert response.status_code == 200
    assert titles(response) == ["Orientasi ASN Baru"]
    assert "Draf Kursus Rahasia" not in response.content.decode()


def test_the_page_is_titled_daftar_pelatihan_with_one_h1(client: Client) -> None:
    html = client.get(URL).content.decode()

    assert re.search(r"<h1[^>]*>Daftar Pelatihan</h1>", html)
    assert html.count("<h1") == 1


def test_it_filters_by_category(client: Client) -> None:
    ethics = CategoryFactory.create(name="Etika")
    digital = CategoryFactory.create(name="Literasi Digital")
    CourseFactory.create(title="Etika Pelayanan Publik", category=ethics)
    CourseFactory.create(title="Keamanan Siber Dasar", category=digital)

    response = client.get(URL, {"category": "literasi-digital"})

    assert titles(response) == ["Keamanan Siber Dasar"]
    assert '<option value="literasi-digital" selected>' in response.content.decode()


def test_it_filters_by_level(client: Client) -> None:
    CourseFactory.create(title="Dasar-dasar Anggaran", level=Level.BASIC)
    CourseFactory.create(title="Analisis Kebijakan Lanjut", level=Level.ADVANCED)

    response = client.get(URL, {"level": Level.ADVANCED})

    assert titles(response) == ["Analisis Kebijakan Lanjut"]


def test_the_filters_are_labelled_controls(client: Client) -> None:
    html = client.get(URL).content.decode()

    for name in ("q", "category", "level"):
        assert f'<label class="form-label fw-semibold" for="id_{name}">' in html
        assert f'id="id_{name}"' in html


def test_an_unknown_category_from_an_old_link_is_ignored_not_an_error(client: Client) -> None:
    CourseFactory.create(title="Orientasi ASN Baru")

    response = client.get(URL, {"category": "sudah-dihapus", "level": "ahli"})

    assert response.status_code == 200
    assert titles(response) == ["Orientasi ASN Baru"]


def test_search_finds_a_word_in_the_title_or_the_summary(client: Client) -> None:
    CourseFactory.create(title="Etika Pelayanan Publik", summary="Sikap melayani masyarakat.")
    CourseFactory.create(title="Orientasi ASN Baru", summary="Mengenal kode etik pegawai.")
    CourseFactory.create(title="Keamanan Siber Dasar", summary="Kata sandi dan phishing.")

    response = client.get(URL, {"q": "etik"})

    assert sorted(titles(response)) == ["Etika Pelayanan Publik", "Orientasi ASN Baru"]


def test_search_finds_a_partial_word(client: Client) -> None:
    CourseFactory.create(title="Literasi Digital untuk ASN")
    CourseFactory.create(title="Manajemen Kinerja")

    assert titles(client.get(URL, {"q": "litera"})) == ["Literasi Digital untuk ASN"]
    assert titles(client.get(URL, {"q": "LITERASI digi"})) == ["Literasi Digital untuk ASN"]


def test_search_needs_every_word(client: Client) -> None:
    CourseFactory.create(title="Etika Pelayanan Publik")
    CourseFactory.create(title="Etika Berorganisasi")

    assert titles(client.get(URL, {"q": "etika publik"})) == ["Etika Pelayanan Publik"]


def test_search_with_only_punctuation_lists_everything(client: Client) -> None:
    CourseFactory.create(title="Etika Pelayanan Publik")

    response = client.get(URL, {"q": "&|!:*()'"})

    assert response.status_code == 200
    assert titles(response) == ["Etika Pelayanan Publik"]


def test_search_and_filters_combine(client: Client) -> None:
    ethics = CategoryFactory.create(name="Etika")
    CourseFactory.create(title="Etika Pelayanan Publik", category=ethics)
    CourseFactory.create(
        title="Etika Digital", category=CategoryFactory.create(name="Literasi Digital")
    )

    response = client.get(URL, {"q": "etika", "category": "etika"})

    assert titles(response) == ["Etika Pelayanan Publik"]


def test_a_search_without_results_says_so(client: Client) -> None:
    CourseFactory.create(title="Etika Pelayanan Publik")

    response = in_english(client).get(URL, {"q": "astronomi"})

    assert titles(response) == []
    assert "No course matches your search." in response.content.decode()


@pytest.mark.postgres
def test_on_postgresql_title_matches_rank_above_summary_matches() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("full-text ranking needs PostgreSQL")
    older = timezone.now() - dt.timedelta(days=3)
    CourseFactory.create(title="Budaya Kerja", summary="Integritas dalam pelayanan.")
    best = CourseFactory.create(title="Integritas ASN", summary="Nilai dasar.")
    best.created_at = older
    best.save(update_fields=["created_at"])

    found = list(course_list_published(query="integritas"))

    assert [course.title for course in found] == ["Integritas ASN", "Budaya Kerja"]


@pytest.mark.postgres
def test_on_postgresql_a_fragment_inside_a_title_word_still_matches() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the full-text path runs on PostgreSQL only")
    CourseFactory.create(title="Antikorupsi untuk Pemula")

    # Not a prefix of any word, so only the title's icontains finds it.
    assert [c.title for c in course_list_published(query="korupsi")] == ["Antikorupsi untuk Pemula"]


def test_it_shows_twelve_courses_a_page_and_the_pages_keep_the_filters(client: Client) -> None:
    ethics = CategoryFactory.create(name="Etika")
    for number in range(13):
        CourseFactory.create(title=f"Etika bagian {number}", category=ethics)
    CourseFactory.create(title="Kursus lain")

    first = client.get(URL, {"category": "etika"})
    second = client.get(URL, {"category": "etika", "page": "2"})

    assert len(titles(first)) == 12
    assert len(titles(second)) == 1
    html = first.content.decode()
    assert 'href="?category=etika&amp;page=2"' in html
    assert 'aria-current="page">1</a>' in html
    assert '<nav class="mt-4" aria-label="Halaman">' in html


def test_an_out_of_range_page_shows_the_last_page(client: Client) -> None:
    CourseFactory.create(title="Satu-satunya")

    response = client.get(URL, {"page": 99})

    assert response.status_code == 200
    assert titles(response) == ["Satu-satunya"]


def test_ongoing_courses_are_marked(client: Client) -> None:
    now = timezone.now()
    CourseFactory.create(
        title="Sedang Jalan",
        starts_at=now - dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=9),
    )
    CourseFactory.create(title="Belum Mulai", starts_at=now + dt.timedelta(days=5))
    CourseFactory.create(
        title="Sudah Selesai",
        starts_at=now - dt.timedelta(days=9),
        ends_at=now - dt.timedelta(days=1),
    )

    html = in_english(client).get(URL).content.decode()

    cards = {
        title: card
        for card in html.split('<article class="card card-course')[1:]
        for title in ["Sedang Jalan", "Belum Mulai", "Sudah Selesai"]
        if f">{title}</a>" in card
    }
    assert "Ongoing" in cards["Sedang Jalan"]
    assert "Ongoing" not in cards["Belum Mulai"]
    assert "Ongoing" not in cards["Sudah Selesai"]


def test_cards_show_category_jp_participants_and_level(client: Client) -> None:
    course = CourseFactory.create(
        title="Etika Pelayanan Publik", category=CategoryFactory.create(name="Etika"), jp=12
    )
    for _ in range(3):
        EnrollmentFactory.create(user=UserFactory.create(), course=course)

    html = in_english(client).get(URL).content.decode()

    assert f'href="{course.get_absolute_url()}">Etika Pelayanan Publik</a>' in html
    assert "Etika" in html
    assert '<dd class="col-5 mb-1 text-end">12 JP</dd>' in html
    assert '<dd class="col-5 mb-1 text-end">3</dd>' in html
    assert '<dd class="col-5 mb-0 text-end">Basic</dd>' in html


def test_a_course_without_a_cover_gets_a_placeholder_and_no_remote_image(client: Client) -> None:
    CourseFactory.create(title="Tanpa Sampul")

    html = client.get(URL).content.decode()

    assert "ratio ratio-16x9" in html
    assert not re.search(r'<img[^>]+src="https?://', html)


def test_a_visitor_gets_a_heart_that_links_to_login_and_no_per_user_form(client: Client) -> None:
    CourseFactory.create(title="Etika Pelayanan Publik")

    response = client.get(URL, {"q": "etika"})

    html = response.content.decode()
    assert 'href="/login/?next=/pelatihan/%3Fq%3Detika"' in html
    assert "favorit/" not in html


def test_a_visitor_page_is_cacheable_by_shared_caches_for_a_minute(client: Client) -> None:
    CourseFactory.create(title="Etika Pelayanan Publik")

    response = client.get(URL)

    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=60"}
    assert "Cookie" in response["Vary"]


def test_a_signed_in_page_is_private(client: Client) -> None:
    signed_in(client)

    response = client.get(URL)

    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_the_learner_sees_hearts_pressed_on_their_favourites(client: Client) -> None:
    user = signed_in(client)
    liked = CourseFactory.create(title="Disukai")
    other = CourseFactory.create(title="Biasa")
    Favorite.objects.create(user=user, course=liked)
    Favorite.objects.create(user=UserFactory.create(), course=other)  # someone else's heart

    html = client.get(URL).content.decode()

    assert re.search(rf'id="favorite-{liked.pk}"[^>]*aria-pressed="true"', html)
    assert re.search(rf'id="favorite-{other.pk}"[^>]*aria-pressed="false"', html)


def test_the_home_page_shows_catalogue_highlights(client: Client) -> None:
    course = CourseFactory.create(title="Orientasi ASN Baru")
    CourseFactory.create(title="Draf", is_published=False)
    ends_at = timezone.now() - dt.timedelta(days=1)
    ended = CourseFactory.create(title="Sudah Lewat", ends_at=ends_at)
    ended.starts_at = ends_at - dt.timedelta(days=30)
    ended.save(update_fields=["starts_at"])

    html = client.get(reverse("content:home")).content.decode()

    assert f'href="{course.get_absolute_url()}">Orientasi ASN Baru</a>' in html
    assert "Draf" not in html and "Sudah Lewat" not in html
    assert f'href="{URL}"' in html
    assert "empty-state" not in html.split('id="home-news-title"')[0]
