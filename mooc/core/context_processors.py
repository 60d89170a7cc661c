from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mooc.core.selectors import site_settings_get
from mooc.core.timezones import tz_label


def site(request: HttpRequest) -> dict[str, Any]:
    branding = site_settings_get()
    return {
        "site": branding,
        "vocab": branding.vocabulary,
        "tz_label": branding.time_zone_label or tz_label(),
    }
