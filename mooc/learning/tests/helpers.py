"""What the course player tests read back: a course's materials and the player's URLs."""

from __future__ import annotations

import re

from django.urls import reverse

from mooc.catalog.models import Course
from mooc.learning.models import Material


def materials_of(course: Course) -> list[Material]:
    return list(Material.objects.current().filter(section__course=course))


def material_url(course: Course, material: Material) -> str:
    return reverse("learning:material", args=[course.slug, material.pk])


def complete_url(course: Course, material: Material) -> str:
    return reverse("learning:material_complete", args=[course.slug, material.pk])


def outline_links(html: str) -> list[str]:
    """The hrefs of the outline's material links, in order."""
    return re.findall(r'class="outline-link" href="([^"]+)"', html)
