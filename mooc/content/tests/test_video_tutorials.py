from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mooc.content.tests.factories import VideoTutorialFactory

pytestmark = pytest.mark.django_db


def test_it_shows_each_tutorial_with_a_click_to_play_link(client: Client) -> None:
    VideoTutorialFactory.create(
        title="Cara mendaftar",
        description="Langkah membuat akun.",
        video_url="https://youtu.be/dQw4w9WgXcQ",
    )

    response = client.get(reverse("content:video_tutorials"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Cara mendaftar" in html
    assert "Langkah membuat akun." in html
    assert 'href="https://youtu.be/dQw4w9WgXcQ" target="_blank"' in html
    assert 'data-embed-url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "(membuka tab baru)" in html


def test_no_remote_thumbnail_or_player_is_loaded_before_a_click(client: Client) -> None:
    VideoTutorialFactory.create()

    html = client.get(reverse("content:video_tutorials")).content.decode()

    assert "<iframe" not in html
    assert "ytimg.com" not in html


def test_a_video_on_another_host_stays_a_plain_link(client: Client) -> None:
    VideoTutorialFactory.create(video_url="https://video.example.go.id/tutorial.mp4")

    html = client.get(reverse("content:video_tutorials")).content.decode()

    assert 'href="https://video.example.go.id/tutorial.mp4"' in html
    assert "data-embed-url=" not in html


def test_unpublished_tutorials_are_hidden(client: Client) -> None:
    VideoTutorialFactory.create(title="Tutorial draf", is_published=False)

    html = client.get(reverse("content:video_tutorials")).content.decode()

    assert "Tutorial draf" not in html
