from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mooc.accounts.nip import looks_like_nip, validate_external_username
from mooc.privacy.selectors import ANONYMISED_PREFIX


def test_the_anonymised_username_can_never_be_registered() -> None:
    placeholder = f"{ANONYMISED_PREFIX}12345"
    assert not looks_like_nip(placeholder)
    with pytest.raises(ValidationError):
        validate_external_username(placeholder)
