from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from mooc.accounts.models import EmployeeType, Unit, User

PASSWORD = "Rahasia123"
NIP = "198609262015051001"


@pytest.fixture
def unit(db: None) -> Unit:
    root = Unit.objects.add_root({"code": "KEM", "name": "Kementerian Demo"})
    return Unit.objects.add_child(root, {"code": "KW-JABAR", "name": "Kantor Wilayah Jawa Barat"})  # type: ignore[no-any-return]


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(username: str = NIP, *, activated: bool = True, **fields: Any) -> User:
        fields.setdefault("full_name", "Budi Santoso")
        fields.setdefault("email", f"{username}@example.go.id")
        fields.setdefault("employee_type", EmployeeType.INTERNAL)
        user = User.objects.create_user(
            username=username,
            password=fields.pop("password", PASSWORD),
            activated_at=timezone.now() if activated else None,
            **fields,
        )
        return user

    return make


def captcha(**data: str) -> dict[str, str]:
    """Form data with the captcha answered as CAPTCHA_TEST_MODE allows."""
    return {"captcha_0": "test", "captcha_1": "PASSED", **data}
