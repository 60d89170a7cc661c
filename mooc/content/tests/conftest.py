from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from mooc.core.selectors import site_settings_get


@pytest.fixture(autouse=True)
def warm_site_settings(db: None) -> Iterator[None]:
    """Every page reads the branding through the cache; load it once up front so
    each test starts from the same state and query counts are the page's own."""
    cache.clear()
    site_settings_get()
    yield
    cache.clear()
