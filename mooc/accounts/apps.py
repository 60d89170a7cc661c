from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(**kwargs: Any) -> None:
    from mooc.accounts.roles import roles_sync

    roles_sync()


def _second_factor_at_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Whether this session must pass the second step, worked out once at sign-in.
    from mooc.accounts.services.mfa import needed_check, needed_forget

    if request is not None and hasattr(request, "session"):
        needed_forget(request)
        needed_check(request, user)


class AccountsConfig(AppConfig):
    name = "mooc.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # After every migrate, so permissions of apps added later join their roles.
        post_migrate.connect(_sync_roles, dispatch_uid="mooc.accounts.roles_sync")
        user_logged_in.connect(_second_factor_at_login, dispatch_uid="mooc.accounts.mfa_at_login")
