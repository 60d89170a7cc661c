from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mooc.content.tests.factories import NewsFactory

pytestmark = pytest.mark.django_db


def test_it_shows_nine_news_per_page(client: Client) -> None:
    NewsFactory.create_batch(10)

    first = client.get(reverse("content:news_list"))
    second = client.get(reverse("content:news_list"), {"page": 2})

    assert len(first.context["page"].object_list) == 9
    assert len(second.context["page"].object_list) == 1


def test_the_second_page_holds_the_oldest_news(client: Client) -> None:
    news = NewsFactory.create_batch(10)

    html = client.get(reverse("content:news_list"), {"page": 2}).content.decode()

    assert news[0].title in html
    assert news[9].title not in html


def test_pagination_marks_the_current_page_for_screen_readers(client: Client) -> None:
    NewsFactory.create_batch(10)

    html = client.get(reverse("content:news_list"), {"page": 2}).content.decode()

    assert '<nav class="mt-4" aria-label="' in html
    assert 'href="?page=2" aria-label="Halaman 2" aria-current="page"' in html
    assert 'href="?page=1" rel="prev"' in html


def test_a_page_out_of_range_shows_the_last_page(client: Client) -> None:
    NewsFactory.create_batch(10)

    response = client.get(reverse("content:news_list"), {"page": 99})

    assert response.status_code == 200
    assert response.context["page"].number == 2


def test_a_non_numeric_page_shows_the_first_page(client: Client) -> None:
    NewsFactory.create_batch(10)

    response = client.get(reverse("content:news_list"), {"page": "abc"})

    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_no_pagination_is_shown_for_a_single_page(client: Client) -> None:
    NewsFactory.create_batch(9)

    html = client.get(reverse("content:news_list")).content.decode()

    assert "pagination" not in html
