from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mooc.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self) -> None:
        # Pillow's limits (MAX_IMAGE_PIXELS, its bomb warning made an error) are set where
        # the image checks live; importing them here sets them for every process.
        from mooc.core import images  # noqa: F401
