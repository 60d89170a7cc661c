"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every page a test visits is checked with axe-core (`check_page`) and photographed
into e2e/screenshots/ (git-ignored) so a person can look at it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    sync_playwright,
)

# Playwright's sync API runs an event loop in this thread; the ORM calls that
# tests make for setup are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
VIEWPORTS = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 800},
}
# The closed network here: keep Chromium from calling home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session", autouse=True)
def _live_server_runs_the_sites_handler() -> Iterator[None]:
    """Django's live server builds a plain WSGIHandler; production runs config.wsgi's
    SaveLaneHandler. The browser tests use that one, so exam.js's saves go through the
    save lane as on the real site (mooc/exams/savelane.py)."""
    import django.test.testcases as testcases

    from mooc.exams.savelane import SaveLaneHandler

    plain = testcases.WSGIHandler
    testcases.WSGIHandler = SaveLaneHandler  # type: ignore[misc]
    yield
    testcases.WSGIHandler = plain  # type: ignore[misc]


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def context(browser: Browser, viewport: str) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="id-ID")  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, live_server: Any) -> Iterator[Page]:
    """A page of the live server; the test fails if the Content-Security-Policy
    blocked anything on the way (Chromium reports each refusal on the console)."""
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    refused: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", note)
    yield page
    assert not refused, "blocked by the Content-Security-Policy:\n" + "\n".join(refused)


_axe = Axe()


def check_page(page: Page, name: str, viewport: str) -> None:
    """Fail on serious or critical axe-core violations; save a full-page screenshot."""
    SCREENSHOTS.mkdir(exist_ok=True)
    safe = re.sub(r"[^a-z0-9_-]+", "-", f"{name}-{viewport}".lower())
    page.screenshot(path=str(SCREENSHOTS / f"{safe}.png"), full_page=True)
    results = _axe.run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert not bad, f"axe-core violations on {name} ({viewport}):\n" + "\n".join(bad)


@pytest.fixture
def make_learner(db: None) -> Any:
    """An internal learner: NIP 198609262015051001, password Rahasia123."""
    from django.utils import timezone

    from mooc.accounts.models import EmployeeType, Unit, User

    def make(*, activated: bool = True) -> User:
        return User.objects.create_user(
            username="198609262015051001",
            password="Rahasia123",
            full_name="Budi Santoso",
            email="budi@example.go.id",
            employee_type=EmployeeType.INTERNAL,
            unit=Unit.objects.filter(code="KW-JABAR-LPS-BDG").first(),
            activated_at=timezone.now() if activated else None,
        )

    return make


def open_main_menu(page: Page) -> None:
    """On a phone the main menu is collapsed: open it and wait until Bootstrap's
    transition is over, since a click during the animation can be lost."""
    from playwright.sync_api import expect

    toggler = page.get_by_role("button", name="Buka menu")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(page.locator("#main-menu.show")).to_be_visible()
        page.wait_for_function("!document.querySelector('#main-menu.collapsing')")


def totp_code(key_hex: str, *, after_step: int = -1) -> str:
    """The code an authenticator app shows now for a hex TOTP key; a step later when
    the current one was used already (`after_step`: the device's last_t), since a
    code is accepted once."""
    import time

    from django_otp.oath import totp

    now = int(time.time()) // 30
    drift = 1 if after_step >= now else 0
    return f"{totp(bytes.fromhex(key_hex), drift=drift):06d}"


def pass_second_step(page: Page, username: str) -> None:
    """Staff sign in with a code after the password (mooc.accounts.services.mfa):
    type the one their authenticator app would show, as a person would."""
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from playwright.sync_api import expect

    expect(page.get_by_label("Kode verifikasi")).to_be_visible()
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    page.get_by_label("Kode verifikasi").fill(totp_code(device.key, after_step=device.last_t))
    page.get_by_role("button", name="Verifikasi").click()


def staff_device(username: str) -> None:
    """Give a staff account an authenticator, as its first sign-in would."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mooc.accounts.models import User

    user = User.objects.get(username=username)
    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Telepon"})
