"""Factories for a course's outline: sections, materials and their attachments."""

from __future__ import annotations

import factory

from mooc.catalog.tests.factories import CourseFactory
from mooc.learning.models import Attachment, Material, Section


class SectionFactory(factory.django.DjangoModelFactory[Section]):
    class Meta:
        model = Section

    course = factory.SubFactory(CourseFactory)
    title = "Pendahuluan"
    order = 1


class MaterialFactory(factory.django.DjangoModelFactory[Material]):
    class Meta:
        model = Material

    section = factory.SubFactory(SectionFactory)
    title = "Materi 1"
    body = "<p>Isi</p>"
    order = 1


class AttachmentFactory(factory.django.DjangoModelFactory[Attachment]):
    """An attachment with a small text file in private storage."""

    class Meta:
        model = Attachment

    material = factory.SubFactory(MaterialFactory)
    title = "Modul"
    file = factory.django.FileField(filename="modul.txt", data=b"Modul pelatihan")
