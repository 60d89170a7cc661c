"""The page a learner sees while the database is away for a moment (a PostgreSQL restart
or fail-over): the site's own 503 (mooc.core.views.service_unavailable), in Indonesian,
which loads the page again by itself once the database is back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from playwright.sync_api import Page, expect

from e2e.pages import check_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_away(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bool]]:
    """While `away["now"]` is true, every query of the live server fails as it does
    when PostgreSQL restarts under a connection."""
    away = {"now": False}
    execute = CursorWrapper.execute

    def failing(self: CursorWrapper, *args: Any, **kwargs: Any) -> Any:
        if away["now"]:
            raise OperationalError("the database system is shutting down")
        return execute(self, *args, **kwargs)

    monkeypatch.setattr(CursorWrapper, "execute", failing)
    yield away
    away["now"] = False  # a failed test must not keep the database away from the teardown


def test_the_page_says_to_wait_and_comes_back_by_itself(
    page: Page, viewport: str, database_away: dict[str, bool]
) -> None:
    database_away["now"] = True
    response = page.goto(page.base_url + "/")  # type: ignore[attr-defined]

    assert response is not None and response.status == 503
    assert response.headers["retry-after"] == "5"
    expect(page.get_by_role("heading", level=1)).to_have_text("Silakan coba lagi sebentar lagi")
    expect(page.get_by_role("status")).to_contain_text("dimuat ulang otomatis dalam 5 detik")
    check_page(page, "service-unavailable", viewport)

    # The database is back: the page loads again by itself (after 5 s) into the site.
    database_away["now"] = False
    home = page.base_url + "/"  # type: ignore[attr-defined]
    with page.expect_response(lambda r: r.url == home and r.status == 200, timeout=15_000):
        pass
    expect(page).not_to_have_title("Silakan coba lagi sebentar lagi")
