"""Issue 18, item 5: a learner plays and seeks a video kept on object storage. The page
hands Chromium a permission-checked URL, which redirects to a short-lived presigned
link; Chromium follows it to the S3 server (moto on loopback) and seeks with Range
requests answered there, and the Content-Security-Policy lets it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse
from playwright.sync_api import Page, Response, expect

from e2e.pages import check_page, login
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.middleware import ContentSecurityPolicyMiddleware
from mooc.learning.tests.helpers import materials_of

pytestmark = pytest.mark.django_db(transaction=True)


def until(condition: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the video did not get there in time"
        time.sleep(0.1)


VIDEO = (
    Path(__file__).resolve().parent.parent
    / "mooc/packages/demo_courses/literasi-digital-keamanan-informasi/video/tanda-phishing.webm"
)


@pytest.fixture
def store_in_the_policy(
    s3_private: Any, s3_server: str, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What S3_BROWSER_ORIGINS adds in production (config/settings.py): the store's
    origin for pictures and video. The live server's middleware built its header when
    it started, so this test's policy is sent in its place."""
    policy = {name: list(sources) for name, sources in settings.CONTENT_SECURITY_POLICY.items()}
    policy["img-src"].append(s3_server)
    policy["media-src"].append(s3_server)
    settings.CONTENT_SECURITY_POLICY = policy
    header = "; ".join(" ".join([name, *sources]) for name, sources in policy.items())

    def call(self: ContentSecurityPolicyMiddleware, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", header)
        return response

    monkeypatch.setattr(ContentSecurityPolicyMiddleware, "__call__", call)


def test_a_video_on_object_storage_plays_and_seeks(
    page: Page,
    viewport: str,
    store_in_the_policy: None,
    s3_server: str,
    make_learner: Callable[..., Any],
) -> None:
    learner = make_learner()
    course = CourseFactory.create(sections=1, materials=1)
    EnrollmentFactory.create(user=learner, course=course)
    material = materials_of(course)[0]
    material.video_file.save("tanda-phishing.webm", ContentFile(VIDEO.read_bytes()))
    from_store: list[int] = []

    def note(response: Response) -> None:
        if response.url.startswith(s3_server):
            from_store.append(response.status)

    page.on("response", note)
    path = f"/belajar/{course.slug}/materi/{material.pk}/"
    login(page, learner.username, "Rahasia123", path)
    player = page.locator("video")
    expect(player).to_be_visible()
    check_page(page, "player-video-object-storage", viewport)

    # Not awaiting play(): it never settles when the video cannot load, and evaluate()
    # has no timeout; the polls below have.
    player.evaluate("v => { v.muted = true; v.play().catch(() => {}); }")
    until(lambda: player.evaluate("v => v.readyState") >= 1)
    player.evaluate("v => { v.currentTime = 8; }")
    until(lambda: abs(player.evaluate("v => v.currentTime") - 8) < 1)
    assert 206 in from_store  # the bytes came from the store, by range
