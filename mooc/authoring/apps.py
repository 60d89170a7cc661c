from __future__ import annotations

from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    # No models of its own: the course builder works on catalog's, learning's and exams'.
    name = "mooc.authoring"
    label = "authoring"
