from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mooc.content.tests.factories import NewsFactory
from mooc.core.models import SiteSettings
from mooc.core.selectors import site_settings_clear_cache

pytestmark = pytest.mark.django_db


def test_it_shows_the_institution_name_and_tagline_in_the_hero(client: Client) -> None:
    SiteSettings.objects.update_or_create(
        id=SiteSettings.SINGLETON_ID,
        defaults={"name": "MOOC BPSDM Contoh", "tagline": "Belajar kapan saja"},
    )
    site_settings_clear_cache()

    response = client.get(reverse("content:home"))

    assert response.status_code == 200
    assert '<h1 id="hero-title" class="display-6 fw-bold mb-2">MOOC BPSDM Contoh</h1>' in (
        response.content.decode()
    )
    assert "Belajar kapan saja" in response.content.decode()


def test_it_shows_the_course_list_section_with_an_empty_state(client: Client) -> None:
    response = client.get(reverse("content:home"))

    assert "Daftar Pelatihan" in response.content.decode()
    assert "empty-state" in response.content.decode()


def test_it_shows_the_three_latest_news_and_a_link_to_all_news(client: Client) -> None:
    older = NewsFactory.create_batch(2)
    latest = NewsFactory.create_batch(3)

    response = client.get(reverse("content:home"))

    html = response.content.decode()
    assert [news.pk for news in response.context["news_list"]] == [n.pk for n in reversed(latest)]
    for news in latest:
        assert news.title in html
        assert news.get_absolute_url() in html
    for news in older:
        assert news.title not in html
    assert f'href="{reverse("content:news_list")}"' in html


def test_it_has_exactly_one_h1(client: Client) -> None:
    NewsFactory.create_batch(3)

    response = client.get(reverse("content:home"))

    assert response.content.decode().count("<h1") == 1
