"""The course builder's writes: order, publication, and pictures for the editor.

Every function takes the course the request is about and finds the items *inside*
it, so an id of another course's item is "not found" (the view's 404), never a
change elsewhere.
"""

from __future__ import annotations

import uuid
from typing import Literal

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mooc.accounts.models import User
from mooc.catalog.models import Course
from mooc.catalog.services import course_publication_set
from mooc.core.errors import ServiceError
from mooc.core.files import private_storage
from mooc.core.images import image_reencode
from mooc.learning.images import course_image_storage_name, course_image_url
from mooc.learning.models import Attachment, Material, Section

from .readiness import Readiness, course_readiness

Kind = Literal["section", "material", "attachment"]
KINDS: tuple[Kind, ...] = ("section", "material", "attachment")
# Pictures in rich text: a phone photo is ~4 MB; re-encoded at most 1600 px wide.
EDITOR_IMAGE_MAX_BYTES = 10 * 1024 * 1024
EDITOR_IMAGE_MAX_SIDE = 1600


def _items(
    course: Course, kind: Kind
) -> QuerySet[Section] | QuerySet[Material] | QuerySet[Attachment]:
    if kind == "section":
        return Section.objects.current().filter(course=course)
    if kind == "material":
        return Material.objects.current().filter(section__course=course)
    return Attachment.objects.filter(material__section__course=course, material__is_retired=False)


def _parent_filter(item: Model, kind: Kind) -> dict[str, object]:
    if kind == "section":
        return {}
    if kind == "material":
        return {"section_id": item.section_id}  # type: ignore[attr-defined]
    return {"material_id": item.material_id}  # type: ignore[attr-defined]


def _not_found() -> ServiceError:
    return ServiceError(_("That item is not part of this course."), code="not_found")


def _siblings(course: Course, kind: Kind, item_id: int) -> list[Model]:
    item = _items(course, kind).filter(pk=item_id).first()
    if item is None:
        raise _not_found()
    siblings = _items(course, kind).filter(**_parent_filter(item, kind))
    return list(siblings.select_for_update().order_by("order", "pk"))


def _renumber(kind: Kind, items: list[Model]) -> None:
    for position, item in enumerate(items):
        item.order = position  # type: ignore[attr-defined]
    model = {"section": Section, "material": Material, "attachment": Attachment}[kind]
    model.objects.bulk_update(items, ["order"])  # type: ignore[attr-defined]


def course_item_move(*, course: Course, kind: Kind, item_id: int, offset: int) -> tuple[str, int]:
    """Move one section, material or attachment up (-1) or down (+1) among its siblings.
    Returns its title and its new position (1-based); at either end nothing changes."""
    if kind not in KINDS or offset not in (-1, 1):
        raise ServiceError(_("Unknown move."), code="bad_request")
    with transaction.atomic():
        items = _siblings(course, kind, item_id)
        index = next(i for i, item in enumerate(items) if item.pk == item_id)
        target = index + offset
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
            index = target
        _renumber(kind, items)
    return str(items[index]), index + 1


def course_items_reorder(*, course: Course, kind: Kind, ids: list[int]) -> None:
    """Put all the siblings of one parent in the order `ids` gives (drag and drop). The
    ids must be exactly those siblings: a stale page or another course's item changes
    nothing."""
    if kind not in KINDS or not ids or len(set(ids)) != len(ids):
        raise ServiceError(_("Unknown move."), code="bad_request")
    with transaction.atomic():
        items = _siblings(course, kind, ids[0])
        by_id = {item.pk: item for item in items}
        if set(by_id) != set(ids):
            raise ServiceError(
                _("The order sent does not match this course's items. Reload the page."),
                code="stale",
            )
        _renumber(kind, [by_id[pk] for pk in ids])


def course_publish(
    *, course: Course, actor: User, confirmed: bool, request: HttpRequest | None = None
) -> Readiness:
    """Publish `course` unless something blocks it; warnings need `confirmed`."""
    readiness = course_readiness(course=course)
    if readiness.blocked:
        raise ServiceError(
            _("The course cannot be published yet: fix the errors listed first."),
            code="blocked",
        )
    if readiness.warnings and not confirmed:
        raise ServiceError(
            _("Confirm that you want to publish despite the warnings."), code="unconfirmed"
        )
    course_publication_set(
        actor=actor, courses=Course.objects.filter(pk=course.pk), published=True, request=request
    )
    return readiness


def course_unpublish(*, course: Course, actor: User, request: HttpRequest | None = None) -> None:
    course_publication_set(
        actor=actor, courses=Course.objects.filter(pk=course.pk), published=False, request=request
    )


def course_image_store(*, course: Course, upload: UploadedFile) -> str:
    """A picture for a material's text: checked, re-encoded, kept private to the course.
    Returns the URL to put in the text."""
    image = image_reencode(
        upload, max_bytes=EDITOR_IMAGE_MAX_BYTES, max_side=EDITOR_IMAGE_MAX_SIDE, field="image"
    )
    name = f"{uuid.uuid4().hex}.{(image.name or '.jpg').rsplit('.', 1)[-1]}"
    stored_name = course_image_storage_name(course_id=course.pk, name=name)
    assert stored_name is not None
    private_storage().save(stored_name, image)
    return course_image_url(course=course, name=name)


def public_image_store(*, upload: UploadedFile) -> str:
    """A picture for public text (news, FAQ, a course's description): checked,
    re-encoded, kept in the public media storage. Returns its URL."""
    image = image_reencode(
        upload, max_bytes=EDITOR_IMAGE_MAX_BYTES, max_side=EDITOR_IMAGE_MAX_SIDE, field="image"
    )
    name = default_storage.save(f"editor/public/{image.name}", image)
    return str(default_storage.url(name))
