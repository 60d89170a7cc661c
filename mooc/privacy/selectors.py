from __future__ import annotations

from typing import Any

from mooc.accounts.models import ANONYMISED_USERNAME_PREFIX
from mooc.privacy.models import DataExport, DeletionRequest, DeletionState

ANONYMISED_PREFIX = ANONYMISED_USERNAME_PREFIX


def user_is_anonymised(user: Any) -> bool:
    return str(getattr(user, "username", "")).startswith(ANONYMISED_PREFIX)


def data_exports_of(user: Any, *, limit: int = 10) -> list[DataExport]:
    return list(DataExport.objects.filter(user_id=user.pk).order_by("-created_at")[:limit])


def deletion_request_pending(user: Any) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(user_id=user.pk, state=DeletionState.PENDING).first()
