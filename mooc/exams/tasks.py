from __future__ import annotations

import logging

from celery import shared_task

from mooc.exams.services.submission import attempts_grade_expired

logger = logging.getLogger(__name__)


@shared_task(name="mooc.exams.tasks.grade_expired_attempts")
def grade_expired_attempts() -> int:
    """Grade attempts whose time ran out while nobody came back to them."""
    graded = attempts_grade_expired()
    if graded:
        logger.info("graded %d expired exam attempt(s)", graded)
    return graded
