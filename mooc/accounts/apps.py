from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(**kwargs: Any) -> None:
    from mooc.accounts.roles import roles_sync

    roles_sync()


class AccountsConfig(AppConfig):
    name = "mooc.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # After every migrate, so permissions of apps added later join their roles.
        post_migrate.connect(_sync_roles, dispatch_uid="mooc.accounts.roles_sync")
