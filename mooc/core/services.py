from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from mooc.core.errors import ServiceError
from mooc.core.middleware import current_request_id
from mooc.core.models import AuditLog
from mooc.core.net import client_ip

# A reason is for the people reading the audit log: a sentence or a ticket, not a file.
AUDIT_REASON_MAX_LENGTH = 2000


def audit_reason_clean(reason: str | None, *, required_message: StrOrPromise | None = None) -> str:
    """The reason of an audited action, stripped, as every such action checks it: it is
    required, and at most AUDIT_REASON_MAX_LENGTH characters. Raises ServiceError on
    the "reason" field; `required_message` lets a page keep its own wording."""
    cleaned = (reason or "").strip()
    if not cleaned:
        raise ServiceError(
            required_message or _("Give a reason."), field="reason", code="reason_required"
        )
    if len(cleaned) > AUDIT_REASON_MAX_LENGTH:
        raise ServiceError(
            _("Keep the reason under 2000 characters."), field="reason", code="reason_too_long"
        )
    return cleaned


def audit_log_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditLog:
    """Append one entry to the audit log. Every app records admin actions through this.

    `actor` is a user or None (the system); `before`/`after` hold the changed fields.
    Call it inside the same transaction as the change, so both land or neither does.
    """
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditLog(
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else "system")[:200],
        action=action[:100],
        reason=reason,
        before=before,
        after=after,
        ip=(client_ip(request) or None) if request is not None else None,
        request_id=current_request_id(),
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        entry.target_id = str(target.pk)
        entry.target_label = str(target)[:300]
    entry.save()
    return entry
