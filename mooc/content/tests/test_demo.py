from __future__ import annotations

import pytest

from mooc.content import demo
from mooc.content.models import FAQ, FAQCategory, News, VideoTutorial
from mooc.content.selectors import news_list_published

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "news": News.objects.count(),
        "categories": FAQCategory.objects.count(),
        "faqs": FAQ.objects.count(),
        "tutorials": VideoTutorial.objects.count(),
    }


def test_loading_the_demo_twice_gives_the_same_rows() -> None:
    demo.load()
    first = _counts()
    news_updated = {n.slug: n.updated_at for n in News.objects.all()}

    demo.load()

    assert _counts() == first
    assert {n.slug: n.updated_at for n in News.objects.all()} == news_updated


def test_the_demo_has_published_news_faqs_and_tutorials() -> None:
    demo.load()

    assert news_list_published().count() == 6
    assert FAQCategory.objects.count() == 4
    assert FAQ.objects.filter(is_published=True).count() >= 10
    assert VideoTutorial.objects.filter(is_published=True).count() == 3


def test_every_demo_tutorial_can_be_played_on_the_page() -> None:
    demo.load()

    assert all(tutorial.embed_url for tutorial in VideoTutorial.objects.all())
