from __future__ import annotations

import pytest

from mooc.content.embeds import video_embed_url

NOCOOKIE = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?si=abc",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "  https://www.youtube.com/watch?v=dQw4w9WgXcQ  ",
    ],
)
def test_youtube_links_become_privacy_friendly_embeds(url: str) -> None:
    assert video_embed_url(url) == NOCOOKIE


@pytest.mark.parametrize(
    "url",
    ["https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"],
)
def test_vimeo_links_become_do_not_track_embeds(url: str) -> None:
    assert video_embed_url(url) == "https://player.vimeo.com/video/76979871?dnt=1"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "https://example.org/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil.example/youtu.be/dQw4w9WgXcQ",
        "javascript:alert(1)//youtu.be/dQw4w9WgXcQ",
        "ftp://youtu.be/dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload%3D",
        "https://www.youtube.com/channel/UC123",
        "https://www.youtube.com/watch",
        "https://vimeo.com/channels/staffpicks",
        "https://player.vimeo.com/video/abc",
        "https://[::1",
    ],
)
def test_other_links_are_not_embedded(url: str) -> None:
    assert video_embed_url(url) is None
