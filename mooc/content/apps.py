from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "mooc.content"
    label = "content"
    verbose_name = _("Information pages")
