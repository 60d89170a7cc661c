"""Who calls: a device's access token in `Authorization: Bearer …`
(mooc/accounts/services/devices.py holds the rules)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from mooc.accounts.models import DeviceToken, User
from mooc.accounts.services.devices import device_authenticate
from mooc.api.problems import ApiProblem


class DeviceBearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = device_authenticate(token)
        if found is None:
            return None
        user, device = found
        request.user = user
        request.device = device  # type: ignore[attr-defined]
        return user

    def __call__(self, request: HttpRequest) -> Any:
        result = super().__call__(request)
        if result is None:
            raise ApiProblem(
                401,
                "unauthenticated",
                _("The access token is missing, expired or revoked: sign in or refresh."),
                headers={"WWW-Authenticate": 'Bearer realm="api"'},
            )
        return result


bearer = DeviceBearer()


def me(request: HttpRequest) -> User:
    """The signed-in user of an authenticated endpoint."""
    user = request.user
    assert isinstance(user, User)
    return user


def my_device(request: HttpRequest) -> DeviceToken:
    device = getattr(request, "device", None)
    assert isinstance(device, DeviceToken)
    return device
