from __future__ import annotations

from typing import Any

from mooc.privacy.models import DataExport, DeletionRequest, DeletionState

# An anonymised account's username: "dihapus:<id>". The colon is refused in every
# username a person can register or an admin can create, so it never collides.
ANONYMISED_PREFIX = "dihapus:"


def user_is_anonymised(user: Any) -> bool:
    return str(getattr(user, "username", "")).startswith(ANONYMISED_PREFIX)


def data_exports_of(user: Any, *, limit: int = 10) -> list[DataExport]:
    return list(DataExport.objects.filter(user_id=user.pk).order_by("-created_at")[:limit])


def deletion_request_pending(user: Any) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(user_id=user.pk, state=DeletionState.PENDING).first()
