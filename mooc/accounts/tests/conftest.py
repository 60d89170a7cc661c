from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mooc.accounts.models import Unit, User
from mooc.accounts.tests.factories import NIP, UnitFactory, UserFactory


@pytest.fixture
def unit(db: None) -> Unit:
    root = UnitFactory.create(code="KEM", name="Kementerian Demo")
    return UnitFactory.create(parent=root, code="KW-JABAR", name="Kantor Wilayah Jawa Barat")


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """Budi Santoso, the employee `NIP` the account tests sign in, register and reset as;
    the keywords are `UserFactory`'s."""

    def make(username: str = NIP, **fields: Any) -> User:
        fields.setdefault("full_name", "Budi Santoso")
        return UserFactory.create(username=username, **fields)

    return make
