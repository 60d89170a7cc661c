from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mooc.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self) -> None:
        from celery.signals import task_success

        from mooc.core.status import record_job_finished

        # `manage.py status` reads when each periodic job last finished.
        task_success.connect(record_job_finished, weak=False, dispatch_uid="mooc-job-finished")

        # Pillow's limits (MAX_IMAGE_PIXELS, its bomb warning made an error) are set where
        # the image checks live; importing them here sets them for every process.
        # django-axes names its admin section "Axes", in English and jargon; its models
        # (login attempts, lockouts) are translated by its own catalogue.
        from django.apps import apps

        from mooc.core import images  # noqa: F401

        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = _("Login attempts and lockouts")
