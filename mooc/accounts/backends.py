from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse

from mooc.accounts.models import User
from mooc.accounts.nip import looks_like_nip, normalize_nip


def normalize_username(raw: str) -> str:
    """NIPs are typed with spaces or dots (`19860926 201505 1 001`); usernames
    are matched case-insensitively, as people type them."""
    raw = (raw or "").strip()
    return normalize_nip(raw) if looks_like_nip(raw) else raw


_LOOKED_UP = "_mooc_user_by_username"


def user_by_username(raw: str, *, request: HttpRequest | None = None) -> User | None:
    """The account of this NIP or username. With `request`, read once per request:
    the login service looks the account up before the backend checks its password."""
    username = normalize_username(raw)
    if request is not None:
        looked_up = getattr(request, _LOOKED_UP, None)
        if looked_up is not None and looked_up[0] == username:
            return looked_up[1]  # type: ignore[no-any-return]
    user = User.objects.filter(username__iexact=username).first()
    if request is not None:
        setattr(request, _LOOKED_UP, (username, user))
    return user


class AccountBackend(ModelBackend):
    """Logs in by NIP or username. A session stays valid only while the account
    may log in: deactivating or locking it ends the sessions at their next request."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        user = user_by_username(username, request=request)
        if user is None:
            # Hash anyway, so response time doesn't tell which accounts exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user: Any) -> bool:
        return bool(getattr(user, "can_log_in", False))


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The same username for the lockout counter however the NIP was typed."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return normalize_username(str(raw)).lower()


def axes_lockout_response(
    request: HttpRequest, original_response: HttpResponse, credentials: Any = None
) -> HttpResponse:
    # The login view already rendered the form with the lockout message.
    return original_response
