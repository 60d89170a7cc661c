"""SQL budgets per page, with 1 and with 30 rows: the count must not grow with the data.

Site settings are already cached (see conftest), so these are the page's own queries.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.test import Client
from django.urls import reverse

from mooc.content.tests.factories import (
    FAQCategoryFactory,
    FAQFactory,
    NewsFactory,
    VideoTutorialFactory,
)

pytestmark = pytest.mark.django_db

MaxQueries = Callable[[int], AbstractContextManager[object]]
ROWS = [1, 30]


@pytest.mark.parametrize("rows", ROWS)
def test_home_page_query_budget(
    client: Client, django_assert_max_num_queries: MaxQueries, rows: int
) -> None:
    NewsFactory.create_batch(rows)
    # The latest news (1) and the catalogue highlights (1).
    with django_assert_max_num_queries(2):
        assert client.get(reverse("content:home")).status_code == 200


@pytest.mark.parametrize("rows", ROWS)
def test_news_list_query_budget(
    client: Client, django_assert_max_num_queries: MaxQueries, rows: int
) -> None:
    NewsFactory.create_batch(rows)
    with django_assert_max_num_queries(2):
        assert client.get(reverse("content:news_list")).status_code == 200


@pytest.mark.parametrize("rows", ROWS)
def test_news_detail_query_budget(
    client: Client, django_assert_max_num_queries: MaxQueries, rows: int
) -> None:
    news = NewsFactory.create_batch(rows)[-1]
    with django_assert_max_num_queries(1):
        assert client.get(news.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("rows", ROWS)
def test_faq_query_budget(
    client: Client, django_assert_max_num_queries: MaxQueries, rows: int
) -> None:
    categories = FAQCategoryFactory.create_batch(3)
    for index in range(rows):
        FAQFactory.create(category=categories[index % 3])
    with django_assert_max_num_queries(1):
        assert client.get(reverse("content:faq")).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(reverse("content:faq"), {"q": "nomor"}).status_code == 200


@pytest.mark.parametrize("rows", ROWS)
def test_video_tutorials_query_budget(
    client: Client, django_assert_max_num_queries: MaxQueries, rows: int
) -> None:
    VideoTutorialFactory.create_batch(rows)
    with django_assert_max_num_queries(1):
        assert client.get(reverse("content:video_tutorials")).status_code == 200
