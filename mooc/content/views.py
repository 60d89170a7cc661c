from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from mooc.content import selectors

NEWS_PER_PAGE = 9
HOME_NEWS_COUNT = 3
# A search box is not a place for essays; longer input only costs LIKE time.
FAQ_QUERY_MAX_LENGTH = 100


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    news = selectors.news_latest(limit=HOME_NEWS_COUNT)
    return render(request, "content/home.html", {"news_list": news})


@require_safe
def news_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.news_list_published(), NEWS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page_range = paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return render(request, "content/news_list.html", {"page": page, "page_range": page_range})


@require_safe
def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    news = selectors.news_get_published(slug=slug)
    if news is None:
        raise Http404("No published news article with this slug.")
    return render(request, "content/news_detail.html", {"news": news})


@require_safe
def faq(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:FAQ_QUERY_MAX_LENGTH]
    groups = selectors.faq_groups(query=query)
    total = sum(len(group.faqs) for group in groups)
    return render(request, "content/faq.html", {"groups": groups, "query": query, "total": total})


@require_safe
def video_tutorials(request: HttpRequest) -> HttpResponse:
    tutorials = selectors.video_tutorials_published()
    return render(request, "content/video_tutorials.html", {"tutorials": tutorials})
