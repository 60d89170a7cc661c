"""Every audited action takes its reason through one rule: required, stripped, capped."""

from __future__ import annotations

import pytest

from mooc.core.errors import ServiceError
from mooc.core.services import AUDIT_REASON_MAX_LENGTH, audit_reason_clean


def test_a_reason_is_stripped() -> None:
    assert audit_reason_clean("  Ticket #7 \n") == "Ticket #7"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_missing_reason_is_refused_on_the_reason_field(reason: str | None) -> None:
    with pytest.raises(ServiceError) as refused:
        audit_reason_clean(reason)
    assert (refused.value.field, refused.value.code) == ("reason", "reason_required")


def test_a_page_may_word_the_missing_reason_its_own_way() -> None:
    with pytest.raises(ServiceError) as refused:
        audit_reason_clean(" ", required_message="Say why.")
    assert refused.value.message == "Say why."


def test_a_reason_longer_than_the_cap_is_refused() -> None:
    assert audit_reason_clean("x" * AUDIT_REASON_MAX_LENGTH) == "x" * AUDIT_REASON_MAX_LENGTH
    with pytest.raises(ServiceError) as refused:
        audit_reason_clean("x" * (AUDIT_REASON_MAX_LENGTH + 1))
    assert refused.value.code == "reason_too_long"
