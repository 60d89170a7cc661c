"""News and FAQ (public)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from mooc.api.http import MAX_PAGE_SIZE, PageInfo, paginate
from mooc.api.problems import COMMON, not_found
from mooc.content.models import News
from mooc.content.selectors import faq_groups, news_get_published, news_list_published

router = Router(tags=["news and FAQ"])


class NewsItem(Schema):
    slug: str
    title: str
    summary: str
    published_at: str | None
    image_url: str | None


class NewsPage(Schema):
    page: PageInfo
    results: list[NewsItem]


class NewsOut(NewsItem):
    body_html: str


def _item(news: News) -> NewsItem:
    return NewsItem(
        slug=news.slug,
        title=news.title,
        summary=news.summary,
        published_at=news.published_at.isoformat() if news.published_at else None,
        image_url=news.image.url if news.image else None,
    )


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(10, ge=1, le=MAX_PAGE_SIZE)


@router.get("/news/", auth=None, response={200: NewsPage, **COMMON}, summary="News")
def news_list(request: HttpRequest, paging: Query[PageQuery]) -> NewsPage:
    items, info = paginate(news_list_published(), page=paging.page, page_size=paging.page_size)
    return NewsPage(page=info, results=[_item(n) for n in items])


@router.get("/news/{slug}/", auth=None, response={200: NewsOut, **COMMON}, summary="One news item")
def news_detail(request: HttpRequest, slug: str) -> NewsOut:
    news = news_get_published(slug=slug[:220])
    if news is None:
        raise not_found()
    return NewsOut(**_item(news).model_dump(), body_html=news.body)


class FaqOut(Schema):
    question: str
    answer_html: str


class FaqGroupOut(Schema):
    category: str
    faqs: list[FaqOut]


class FaqQuery(Schema):
    q: str = Field("", max_length=200)


@router.get("/faq/", auth=None, response={200: list[FaqGroupOut], **COMMON}, summary="FAQ")
def faq(request: HttpRequest, search: Query[FaqQuery]) -> list[FaqGroupOut]:
    return [
        FaqGroupOut(
            category=group.category.name,
            faqs=[FaqOut(question=f.question, answer_html=f.answer) for f in group.faqs],
        )
        for group in faq_groups(query=search.q.strip())
    ]
