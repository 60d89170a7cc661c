"""Where the pictures of a course's materials are kept and how they are addressed.

They are private files (`editor/<course id>/<random>.jpg` in the private storage),
uploaded through the course builder (mooc.authoring) and shown through the course
player's `material_image` view, which lets in only those who may study the course.
The URL names the course by its slug; mooc.core.sanitize keeps no other image source.
"""

from __future__ import annotations

import re

from django.urls import reverse

from mooc.catalog.models import Course

_NAME = re.compile(r"^[0-9a-f]{32}\.(?:jpg|png)$")


def course_image_storage_name(*, course_id: int, name: str) -> str | None:
    """The private storage name of a picture, or None for a name we never made."""
    if not _NAME.match(name):
        return None
    return f"editor/{course_id}/{name}"


def course_image_url(*, course: Course, name: str) -> str:
    return reverse("learning:material_image", args=[course.slug, name])
