"""The Django admin at 1280 × 800 (issue 17, item 12): the object-tool buttons never
cover the page title, and the main lists fit the window (no sideways scrolling of the
page). axe-core checks every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from e2e.pages import check_page, login, pass_second_step
from mooc.catalog.models import Course

pytestmark = pytest.mark.django_db(transaction=True)

CHANGELISTS = [
    ("courses", "/admin/catalog/course/"),
    ("enrolments", "/admin/catalog/enrollment/"),
    ("users", "/admin/accounts/user/"),
    ("exams", "/admin/exams/exam/"),
    ("certificates", "/admin/certificates/certificate/"),
    ("audit-log", "/admin/core/auditlog/"),
]

_OVERLAP = """() => {
  const tools = document.querySelector('.object-tools');
  const titles = [...document.querySelectorAll('#content > h1, #content > h2')];
  if (!tools || !titles.length) return null;
  const a = tools.getBoundingClientRect();
  return titles.some((title) => {
    const b = title.getBoundingClientRect();
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  });
}"""

_SCROLLS_SIDEWAYS = """() => {
  const page = document.scrollingElement;
  return page.scrollWidth > page.clientWidth + 1;
}"""

# Django lets a too-wide list scroll inside its box, cutting the last columns off.
_LIST_OVERFLOWS = """() => {
  const box = document.querySelector('#changelist-form .results');
  return box.scrollWidth > box.clientWidth + 1;
}"""


def _check_layout(page: Page, name: str, viewport: str) -> None:
    assert page.locator(".object-tools").count() == 1, f"{name}: no object tools to check"
    assert page.evaluate(_OVERLAP) is False, f"{name}: the object tools cover the title"
    assert page.evaluate(_SCROLLS_SIDEWAYS) is False, f"{name}: the page scrolls sideways"
    check_page(page, f"admin-layout-{name}", viewport)


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_admin_pages_fit_1280_without_tools_covering_the_title(
    page: Page, viewport: str, demo_content: None
) -> None:
    base = page.base_url  # type: ignore[attr-defined]
    login(page, "admin", "AdminDemo2026", "/admin/")
    pass_second_step(page, "admin")

    # The longest course title of the demo: the likeliest to run under the buttons.
    course = max(Course.objects.all(), key=lambda row: len(row.title))
    page.goto(f"{base}/admin/catalog/course/{course.pk}/change/")
    _check_layout(page, "course-change", viewport)

    for name, url in CHANGELISTS:
        page.goto(base + url)
        assert page.locator("#result_list").count() == 1, f"{name}: no result list"
        assert page.evaluate(_LIST_OVERFLOWS) is False, f"{name}: the list is cut off at the right"
        _check_layout(page, name, viewport)
