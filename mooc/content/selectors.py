from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Q, QuerySet
from django.utils import timezone

from mooc.content.models import FAQ, FAQCategory, News, VideoTutorial


def news_list_published() -> QuerySet[News]:
    """Published articles whose publication time has come, newest first."""
    return News.objects.filter(is_published=True, published_at__lte=timezone.now()).order_by(
        "-published_at", "-id"
    )


def news_latest(*, limit: int = 3) -> list[News]:
    return list(news_list_published()[:limit])


def news_get_published(*, slug: str) -> News | None:
    return news_list_published().filter(slug=slug).first()


@dataclass(frozen=True)
class FAQGroup:
    category: FAQCategory
    faqs: list[FAQ]


def faq_groups(*, query: str = "") -> list[FAQGroup]:
    """Published questions grouped by category, in the admins' order.

    `icontains` is case-insensitive on SQLite (for ASCII, which covers
    Indonesian) and on PostgreSQL (UPPER ... LIKE), so no extension is needed.
    The answer is stored as HTML, so a search for a tag name may match markup;
    with admin-written answers this has not been worth a separate text column.
    """
    faqs = FAQ.objects.filter(is_published=True).select_related("category")
    if query:
        faqs = faqs.filter(Q(question__icontains=query) | Q(answer__icontains=query))
    faqs = faqs.order_by("category__order", "category__name", "category_id", "order", "id")
    return [
        FAQGroup(category=category, faqs=list(items))
        for category, items in groupby(faqs, key=lambda faq: faq.category)
    ]


def video_tutorials_published() -> list[VideoTutorial]:
    return list(VideoTutorial.objects.filter(is_published=True).order_by("order", "id"))
