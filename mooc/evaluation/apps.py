from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Training evaluation ("evaluasi penyelenggaraan"): questionnaire templates, a
    course's evaluation settings and the learners' responses. It sits above exams (it
    opens once the final exam is passed) and below certificates (whose download waits
    for a required evaluation), packages and reports."""

    name = "mooc.evaluation"
    label = "evaluation"
    verbose_name = _("Training evaluation")
