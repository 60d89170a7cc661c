from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "mooc.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from mooc.catalog.services import course_slug_follower_register
        from mooc.learning.images import material_image_urls_follow

        course_slug_follower_register(material_image_urls_follow)
