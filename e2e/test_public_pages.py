"""A visitor reads the public pages: home, news, an article, FAQ search, video tutorials."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.pages import check_page, open_main_menu

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _demo(demo_content: None) -> None:
    pass


def go_to(page: Page, label: str) -> None:
    """Click a main-menu item the way a person would, opening the menu on a phone."""
    open_main_menu(page)
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name=label).click()


def test_a_visitor_reads_the_home_page_and_a_news_article(page: Page, viewport: str) -> None:
    page.goto(page.base_url + "/")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", level=1)).to_have_text("MOOC BPSDM")
    expect(page.get_by_role("heading", name="Daftar Pelatihan")).to_be_visible()
    expect(page.get_by_role("heading", name="Berita", exact=True)).to_be_visible()
    check_page(page, "home", viewport)

    first_title = page.locator("article h3").first.inner_text()
    page.locator("article h3 a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first_title)
    check_page(page, "news-article", viewport)


def test_a_visitor_browses_the_news_list(page: Page, viewport: str) -> None:
    page.goto(page.base_url + "/")  # type: ignore[attr-defined]
    go_to(page, "Berita")
    expect(page).to_have_url(re.compile(r"/berita/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Berita")
    assert page.locator("article").count() >= 6
    check_page(page, "news-list", viewport)


def test_a_visitor_searches_the_faq(page: Page, viewport: str) -> None:
    page.goto(page.base_url + "/")  # type: ignore[attr-defined]
    go_to(page, "FAQ")
    expect(page.get_by_role("heading", level=1)).to_have_text("FAQ")
    check_page(page, "faq", viewport)

    page.get_by_label("Cari pertanyaan").fill("aktivasi")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Pertanyaan ditemukan")
    questions = page.locator("details summary")
    assert questions.count() >= 1
    expect(page.locator("details").first).to_contain_text(re.compile("aktivasi", re.IGNORECASE))
    check_page(page, "faq-search", viewport)

    page.get_by_label("Cari pertanyaan").fill("zzz tidak ada")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.get_by_text("Tidak ada pertanyaan yang cocok")).to_be_visible()


def test_a_visitor_opens_a_video_tutorial(page: Page, viewport: str) -> None:
    page.goto(page.base_url + "/")  # type: ignore[attr-defined]
    go_to(page, "Video Tutorial")
    expect(page.get_by_role("heading", level=1)).to_have_text("Video Tutorial")
    check_page(page, "video-tutorial", viewport)

    # Don't let the embedded player reach the (closed) internet.
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost).*"), lambda route: route.abort())
    page.get_by_role("button", name=re.compile("Putar video")).first.click()
    expect(page.locator(".video-embed iframe").first).to_have_attribute(
        "src", re.compile(r"^https://www\.youtube-nocookie\.com/embed/")
    )


def test_the_language_switch_shows_english(page: Page, viewport: str) -> None:
    page.goto(page.base_url + "/faq/")  # type: ignore[attr-defined]
    open_main_menu(page)
    page.get_by_role("link", name="EN", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Search questions")).to_be_visible()
    check_page(page, "faq-english", viewport)
