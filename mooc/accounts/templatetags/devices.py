"""`{% device_settings %}`: the mobile app's signed-in devices, in Pengaturan."""

from __future__ import annotations

from typing import Any

from django import template

from mooc.accounts.models import User
from mooc.accounts.services.devices import devices_of

register = template.Library()


@register.inclusion_tag("accounts/_device_settings.html", takes_context=True)
def device_settings(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not isinstance(user, User):
        return {}
    return {"csrf_token": context.get("csrf_token"), "devices": devices_of(user=user)}
