"""Progress through a course's materials."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from mooc.accounts.models import User
from mooc.catalog.models import Enrollment
from mooc.core.errors import ServiceError
from mooc.learning.models import Material, MaterialProgress


def material_complete(*, user: User, material: Material) -> MaterialProgress:
    """Mark a material done ("Selanjutnya"); doing it twice changes nothing."""
    course_id = material.section.course_id
    if not Enrollment.objects.filter(user=user, course_id=course_id).exists():
        raise ServiceError(_("Enrol in the course first."), code="not_enrolled")
    existing = MaterialProgress.objects.filter(user=user, material=material).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return MaterialProgress.objects.create(
                user=user, material=material, course_id=course_id
            )
    except IntegrityError:
        return MaterialProgress.objects.get(user=user, material=material)
