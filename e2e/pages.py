"""What the browser tests do on every page: the viewports they run in, the axe-core check
with its screenshot, and opening the phone's collapsed menu. (Kept out of conftest.py,
which pytest loads itself and tests should not import.)"""

from __future__ import annotations

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

SCREENSHOTS = Path(__file__).parent / "screenshots"
VIEWPORTS = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 800},
}

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


def login(page: Page, username: str, password: str, next_url: str) -> None:
    page.goto(page.base_url + f"/login/?next={next_url}")  # type: ignore[attr-defined]
    page.get_by_label("NIP/Username").fill(username)
    page.get_by_label(re.compile(r"^Password\W*$")).fill(password)
    page.get_by_label("Ketik kode pada gambar").fill("PASSED")
    page.get_by_role("button", name="Login").click()
