"""The institution's time zone: one for display, exam windows, certificate dates
and "the year" of the JP ledger."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone

# Indonesia's three zones carry their own abbreviations.
_LABELS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def institution_tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def tz_label(tz_name: str | None = None) -> str:
    name = tz_name or settings.TIME_ZONE
    if name in _LABELS:
        return _LABELS[name]
    return timezone.now().astimezone(zoneinfo.ZoneInfo(name)).tzname() or name


def local_now() -> dt.datetime:
    return timezone.now().astimezone(institution_tz())


def local_year(moment: dt.datetime | None = None) -> int:
    return (moment or timezone.now()).astimezone(institution_tz()).year


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """1 January 00:00 of `year` and of the next year on the institution's clock: a
    course passed on 31 December at 23:30 WIB counts for that year, whatever UTC says."""
    tz = institution_tz()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)
