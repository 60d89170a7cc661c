from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        from mooc.exams.services.save_tokens import end_save_tokens

        end_save_tokens(user)


class ExamsConfig(AppConfig):
    name = "mooc.exams"
    label = "exams"
    verbose_name = _("Question banks and exams")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        # Logging out, on any device, ends the save tokens of running attempts.
        user_logged_out.connect(_logged_out, dispatch_uid="exams-end-save-tokens")

        from django.db.models.signals import post_delete, post_save

        from mooc.catalog.models import Course
        from mooc.exams.models import Exam
        from mooc.exams.selectors.attempts import exam_cache_forget

        # The exam pages' cache of exams and courses (selectors.attempts.exam_get).
        for model in (Exam, Course):
            for signal in (post_save, post_delete):
                signal.connect(
                    exam_cache_forget, sender=model, dispatch_uid=f"exam-cache-{model.__name__}"
                )
