from __future__ import annotations

from django.core.cache import cache

from mooc.core.models import SiteSettings

_CACHE_KEY = "core:site-settings:v1"


def site_settings_get() -> SiteSettings:
    """The branding row, from the shared cache; created with defaults if missing."""
    cached = cache.get(_CACHE_KEY)
    if isinstance(cached, SiteSettings):
        return cached
    settings_row = SiteSettings.objects.filter(id=SiteSettings.SINGLETON_ID).first()
    if settings_row is None:
        settings_row, _ = SiteSettings.objects.get_or_create(id=SiteSettings.SINGLETON_ID)
    cache.set(_CACHE_KEY, settings_row, timeout=300)
    return settings_row


def site_settings_clear_cache() -> None:
    cache.delete(_CACHE_KEY)
