"""`{% mfa_settings %}`: the two-step verification section of Pengaturan."""

from __future__ import annotations

from typing import Any

from django import template

from mooc.accounts.models import User
from mooc.accounts.services import mfa

register = template.Library()


@register.inclusion_tag("accounts/_mfa_settings.html", takes_context=True)
def mfa_settings(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    if not isinstance(user, User):
        return {}
    # The session knows, without a query, that most learners have neither a device nor a role.
    needed = mfa.needed_check(request, user)
    enrolled = needed and mfa.is_enrolled(user)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "enrolled": enrolled,
        "required": needed and mfa.has_staff_role(user),
        "codes_left": mfa.recovery_codes_left(user) if enrolled else 0,
    }
