from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mooc.content.tests.factories import NewsFactory

pytestmark = pytest.mark.django_db


def test_it_shows_the_article(client: Client) -> None:
    news = NewsFactory.create(
        title="Peluncuran kursus baru",
        summary="Lima kursus baru tersedia.",
        body="<p>Paragraf pertama.</p><h2>Subjudul</h2><p>Paragraf kedua.</p>",
    )

    response = client.get(news.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Peluncuran kursus baru" in html
    assert html.count("<h1") == 1
    assert '<div class="rich-text"><p>Paragraf pertama.</p><h2>Subjudul</h2>' in html


def test_the_date_is_shown_in_the_institution_time_zone(client: Client) -> None:
    # 20:00 UTC on 1 January is already 2 January in Jakarta (UTC+7).
    news = NewsFactory.create(published_at=dt.datetime(2025, 1, 1, 20, 0, tzinfo=dt.UTC))

    html = client.get(news.get_absolute_url()).content.decode()

    assert "2 Januari 2025, 03:00 WIB" in html


def test_the_image_has_its_description_as_alt_text(client: Client) -> None:
    news = NewsFactory.create(image="news/peluncuran.jpg", image_alt="Kepala BPSDM membuka acara")

    html = client.get(news.get_absolute_url()).content.decode()

    assert 'src="/media/news/peluncuran.jpg" alt="Kepala BPSDM membuka acara"' in html


def test_an_unpublished_article_is_not_found(client: Client) -> None:
    news = NewsFactory.create(is_published=False)

    assert client.get(news.get_absolute_url()).status_code == 404


def test_an_article_scheduled_for_later_is_not_found(client: Client) -> None:
    news = NewsFactory.create(published_at=timezone.now() + dt.timedelta(hours=1))

    assert client.get(news.get_absolute_url()).status_code == 404


def test_an_unknown_slug_is_not_found(client: Client) -> None:
    assert client.get("/berita/tidak-ada/").status_code == 404
