"""Pengaturan lists the devices signed in to the app (the REST API) and signs one out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.pages import check_page, login
from mooc.accounts.models import DeviceToken
from mooc.accounts.services.devices import device_sign_in

pytestmark = pytest.mark.django_db(transaction=True)
NIP = "198609262015051001"


def test_signing_a_device_out_in_pengaturan(page: Page, viewport: str, make_learner) -> None:  # type: ignore[no-untyped-def]
    learner = make_learner()
    device_sign_in(user=learner, label="Android Budi")
    login(page, NIP, "Rahasia123", "/pengaturan/")
    expect(page).to_have_url(re.compile("/pengaturan/$"))
    devices = page.get_by_role("region", name="Perangkat yang masuk ke aplikasi")
    expect(devices).to_contain_text("Android Budi")
    check_page(page, "settings-devices", viewport)
    devices.get_by_role("button", name="Keluarkan Android Budi").click()
    expect(page.get_by_text("Perangkat telah dikeluarkan.")).to_be_visible()
    expect(page.get_by_text("Android Budi")).to_have_count(0)
    assert not DeviceToken.objects.filter(user=learner).exists()
