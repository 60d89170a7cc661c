from __future__ import annotations

from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    # No models of its own: the course builder works on catalog's, learning's and exams'.
    name = "mooc.authoring"
    label = "authoring"

    def ready(self) -> None:
        # The course form's "published" box and the admin's publish action refuse a
        # course with readiness errors too (catalog cannot import this app).
        from mooc.authoring.readiness import readiness_errors
        from mooc.catalog.services import course_publish_check_register

        course_publish_check_register(readiness_errors)
