from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mooc.content.tests.factories import NewsFactory

pytestmark = pytest.mark.django_db


def test_it_lists_published_news_newest_first(client: Client) -> None:
    first, second = NewsFactory.create_batch(2)

    response = client.get(reverse("content:news_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Berita" in html
    assert html.index(second.title) < html.index(first.title)


def test_it_does_not_list_unpublished_or_future_news(client: Client) -> None:
    draft = NewsFactory.create(title="Draf belum terbit", is_published=False)
    scheduled = NewsFactory.create(
        title="Terjadwal minggu depan", published_at=timezone.now() + dt.timedelta(days=7)
    )
    visible = NewsFactory.create(title="Sudah terbit")

    html = client.get(reverse("content:news_list")).content.decode()

    assert visible.title in html
    assert draft.title not in html
    assert scheduled.title not in html


def test_it_shows_an_empty_message_without_news(client: Client) -> None:
    response = client.get(reverse("content:news_list"))

    assert "Belum ada berita" in response.content.decode()
