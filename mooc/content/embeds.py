"""Turning a video page URL into an embeddable player URL.

Only hosts we know are turned into embeds, and YouTube goes through its
no-cookie domain, so a visitor who never presses play sends nothing to Google
and one who does gets no tracking cookies.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{1,12}$")
_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def _youtube_id(host: str, path: str, query: str) -> str | None:
    parts = [part for part in path.split("/") if part]
    if host == "youtu.be":
        candidate = parts[0] if parts else ""
    elif host in _YOUTUBE_HOSTS:
        if parts == ["watch"]:
            candidate = parse_qs(query).get("v", [""])[0]
        elif len(parts) >= 2 and parts[0] in {"shorts", "embed", "live"}:
            candidate = parts[1]
        else:
            return None
    else:
        return None
    return candidate if _YOUTUBE_ID.match(candidate) else None


def _vimeo_id(host: str, path: str) -> str | None:
    if host not in _VIMEO_HOSTS:
        return None
    parts = [part for part in path.split("/") if part]
    if host == "player.vimeo.com":
        candidate = parts[1] if len(parts) >= 2 and parts[0] == "video" else ""
    else:
        candidate = parts[0] if parts else ""
    return candidate if _VIMEO_ID.match(candidate) else None


def video_embed_url(url: str) -> str | None:
    """The player URL for a YouTube or Vimeo link, or None for anything else."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower()
    youtube_id = _youtube_id(host, parts.path, parts.query)
    if youtube_id:
        return f"https://www.youtube-nocookie.com/embed/{youtube_id}"
    vimeo_id = _vimeo_id(host, parts.path)
    if vimeo_id:
        # dnt=1: Vimeo's "do not track" switch for the player.
        return f"https://player.vimeo.com/video/{vimeo_id}?dnt=1"
    return None
