from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_fresh_request_id(client: Client) -> None:
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_a_trusted_proxy_request_id_is_kept(client: Client) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="nginx-1234abcd", REMOTE_ADDR="127.0.0.1")
    assert response["X-Request-ID"] == "nginx-1234abcd"


@override_settings(TRUSTED_PROXIES=[])
def test_anybody_else_cannot_choose_the_request_id(client: Client) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="attacker-chosen-id")
    assert response["X-Request-ID"] != "attacker-chosen-id"


def test_one_log_line_per_request_with_its_id(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="mooc.request"):
        response = client.get("/healthz?probe=1")
    lines = [r for r in caplog.records if r.name == "mooc.request"]
    assert len(lines) == 1
    assert "GET /healthz?probe=1 200" in lines[0].getMessage()
    assert lines[0].request_id == response["X-Request-ID"]  # type: ignore[attr-defined]


def test_indonesian_is_the_default_whatever_the_browser_says(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


def test_the_language_switch_turns_the_site_english(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/faq/"})
    assert response.status_code == 302 and response["Location"] == "/faq/"
    page = client.get("/faq/")
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()


def test_the_language_switch_never_redirects_off_site(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    response = client.get("/bahasa/en/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_language_links_switch_and_return(client: Client) -> None:
    response = client.get("/bahasa/en/", {"next": "/faq/?q=sertifikat"})
    assert response.status_code == 302 and response["Location"] == "/faq/?q=sertifikat"
    assert client.get("/faq/")["Content-Language"] == "en"
    assert client.get("/bahasa/xx/").status_code == 404


def test_visitor_pages_carry_no_csrf_token(client: Client) -> None:
    response = client.get("/")
    assert "csrftoken" not in response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def _policy(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def test_every_page_forbids_scripts_from_elsewhere_and_inline(client: Client) -> None:
    for url in ("/", "/login/", "/healthz"):
        policy = _policy(client.get(url))
        assert policy["script-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
        assert policy["frame-src"] == [
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ]


def test_a_view_may_send_a_policy_of_its_own() -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from mooc.core.middleware import ContentSecurityPolicyMiddleware

    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse()
        response["Content-Security-Policy"] = "sandbox"
        return response

    response = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/"))
    assert response["Content-Security-Policy"] == "sandbox"


def test_no_template_carries_an_inline_script_the_policy_would_block() -> None:
    """script-src 'self': a <script> without src, or an on…= handler, would not run."""
    import re
    from pathlib import Path

    from django.conf import settings

    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+=\"", re.I
    )
    found = [
        str(path)
        for path in Path(settings.BASE_DIR, "mooc").rglob("*.html")
        if "emails" not in path.parts and inline.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
