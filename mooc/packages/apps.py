from __future__ import annotations

from django.apps import AppConfig


class PackagesConfig(AppConfig):
    # No models of its own, so the admin index never shows a name for it.
    name = "mooc.packages"
    label = "packages"
