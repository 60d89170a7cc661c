"""Where the pictures of a course's materials are kept and how they are addressed.

They are private files (`editor/<course id>/<random>.jpg` in the private storage),
uploaded through the course builder (mooc.authoring) and shown through the course
player's `material_image` view, which lets in only those who may study the course.
The URL names the course by its slug; mooc.core.sanitize keeps no other image source.
When the slug changes, `material_image_urls_follow` rewrites the addresses already in
the materials' texts (catalog calls it through `course_slug_changed`).
"""

from __future__ import annotations

import re

from django.db.models import Value
from django.db.models.functions import Replace
from django.urls import reverse

from mooc.catalog.models import Course
from mooc.learning.models import Material

_NAME = re.compile(r"^[0-9a-f]{32}\.(?:jpg|png)$")


def course_image_storage_name(*, course_id: int, name: str) -> str | None:
    """The private storage name of a picture, or None for a name we never made."""
    if not _NAME.match(name):
        return None
    return f"editor/{course_id}/{name}"


def course_image_url(*, course: Course, name: str) -> str:
    return reverse("learning:material_image", args=[course.slug, name])


def _url_prefix(slug: str) -> str:
    """ "/belajar/<slug>/gambar/": where every picture of the course is addressed."""
    return reverse("learning:material_image", args=[slug, "x.jpg"]).removesuffix("x.jpg")


def material_image_urls_follow(course: Course, old_slug: str) -> int:
    """Point the pictures in `course`'s materials, addressed under `old_slug`, at its
    current slug (one UPDATE; retired materials too). Returns how many materials."""
    old_prefix, new_prefix = _url_prefix(old_slug), _url_prefix(course.slug)
    return Material.objects.filter(section__course=course, body__contains=old_prefix).update(
        body=Replace("body", Value(old_prefix), Value(new_prefix))
    )
