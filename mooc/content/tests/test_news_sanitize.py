from __future__ import annotations

import pytest
from django.test import Client

from mooc.content.models import News
from mooc.content.tests.factories import NewsFactory

pytestmark = pytest.mark.django_db

HOSTILE_BODY = (
    '<p>Halo</p><script>alert(1)</script><img src=x onerror="alert(1)">'
    '<a href="javascript:alert(1)">klik</a>'
)


def test_scripts_and_event_handlers_are_removed_before_storing() -> None:
    news = NewsFactory.create(body=HOSTILE_BODY)

    stored = News.objects.get(pk=news.pk).body
    assert "<p>Halo</p>" in stored
    assert "<script" not in stored
    assert "alert(1)" not in stored
    assert "onerror" not in stored
    assert "javascript:" not in stored
    assert "<img" not in stored  # not one of our uploads


def test_the_article_page_shows_the_body_without_scripts(client: Client) -> None:
    news = NewsFactory.create(body=HOSTILE_BODY)

    html = client.get(news.get_absolute_url()).content.decode()

    assert (
        '<div class="rich-text"><p>Halo</p><a rel="noopener noreferrer nofollow">klik</a>' in html
    )
    assert "<script>alert(1)" not in html
    assert "onerror" not in html


def test_the_body_is_cleaned_again_when_an_article_is_edited() -> None:
    news = NewsFactory.create()
    news.body = "<p>Ubah</p><script>alert(1)</script>"
    news.save(update_fields=["body"])

    assert News.objects.get(pk=news.pk).body == "<p>Ubah</p>"
