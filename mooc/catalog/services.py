"""Enrolling, favourites, publishing and a course's instructors."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mooc.accounts.models import User
from mooc.catalog.models import Course, CourseInstructor, Enrollment, Favorite, Instructor
from mooc.core.errors import ServiceError
from mooc.core.services import audit_log_record

NOT_PUBLISHED = _("This course is not open.")
WINDOW_CLOSED = _("Enrolment for this course is closed.")
NOT_YET_OPEN = _("Enrolment for this course has not opened yet.")
ENDED = _("This course has ended.")
INTERNAL_ONLY = _("This course is only for internal employees registered with a NIP.")


def enrollment_refusal(*, user: User | None, course: Course) -> ServiceError | None:
    """Why this learner may not enrol now, or None. Views use it to explain a disabled button."""
    now = timezone.now()
    if not course.is_published:
        return ServiceError(NOT_PUBLISHED, code="not_published")
    if course.has_ended(now):
        return ServiceError(ENDED, code="ended")
    if course.enroll_opens_at is not None and now < course.enroll_opens_at:
        return ServiceError(NOT_YET_OPEN, code="not_yet_open")
    if not course.enrolment_open(now):
        return ServiceError(WINDOW_CLOSED, code="closed")
    if course.internal_only and user is not None and not user.is_internal:
        return ServiceError(INTERNAL_ONLY, code="internal_only")
    return None


def enrollment_create(*, user: User, course: Course) -> tuple[Enrollment, bool]:
    """Enrol the learner; enrolling twice returns the existing enrolment (created=False)."""
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing, False
    refusal = enrollment_refusal(user=user, course=course)
    if refusal is not None:
        raise refusal
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                user=user, course=course, jp=course.jp, unit_id=user.unit_id
            )
    except IntegrityError:
        # A double click: the other request enrolled first.
        return Enrollment.objects.get(user=user, course=course), False
    return enrollment, True


def favorite_set(*, user: User, course: Course, favorite: bool) -> None:
    """Make the course a favourite or not, whatever it was (the API's PUT and DELETE)."""
    if not favorite:
        Favorite.objects.filter(user=user, course=course).delete()
        return
    try:
        with transaction.atomic():
            Favorite.objects.get_or_create(user=user, course=course)
    except IntegrityError:
        pass  # a double request: the other one added it


def favorite_toggle(*, user: User, course: Course) -> bool:
    """Add or remove the heart; returns whether the course is now a favourite."""
    deleted, _ = Favorite.objects.filter(user=user, course=course).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Favorite.objects.create(user=user, course=course)
    except IntegrityError:
        pass
    return True


# What blocks publishing, as apps above catalog see it (mooc.authoring registers the
# readiness errors: an exam that could not be started). Catalog cannot import them, so
# they register here, as admin pages do through core.admin_views.admin_urls_add.
_publish_checks: list[Callable[[Course], list[str]]] = []


def course_publish_check_register(check: Callable[[Course], list[str]]) -> None:
    if check not in _publish_checks:
        _publish_checks.append(check)


def course_publish_problems(*, course: Course) -> list[str]:
    """Why `course` must not be published yet (empty: it may be)."""
    return [line for check in _publish_checks for line in check(course)]


# What follows a course to its new slug, as apps above catalog see it (mooc.learning:
# the pictures in the materials' texts are addressed by the course's slug). Registered
# like the publish checks above.
_slug_followers: list[Callable[[Course, str], object]] = []


def course_slug_follower_register(follower: Callable[[Course, str], object]) -> None:
    if follower not in _slug_followers:
        _slug_followers.append(follower)


def course_slug_changed(*, course: Course, old_slug: str) -> None:
    """`course` (saved, with its new slug) was known as `old_slug`: whatever names it by
    its slug follows, in the caller's transaction."""
    if old_slug and old_slug != course.slug:
        for follower in _slug_followers:
            follower(course, old_slug)


def course_publication_set(
    *,
    actor: User,
    courses: QuerySet[Course],
    published: bool,
    request: HttpRequest | None = None,
) -> int:
    """Publish or unpublish; each course that changes gets an audit entry. Returns how many."""
    with transaction.atomic():
        changing = list(courses.filter(is_published=not published).order_by("pk"))
        Course.objects.filter(pk__in=[course.pk for course in changing]).update(
            is_published=published, updated_at=timezone.now()
        )
        for course in changing:
            course_publication_record(
                actor=actor, course=course, published=published, request=request
            )
    return len(changing)


def course_publication_record(
    *, actor: User, course: Course, published: bool, request: HttpRequest | None
) -> None:
    audit_log_record(
        actor=actor,
        action="course.published" if published else "course.unpublished",
        target=course,
        before={"is_published": not published},
        after={"is_published": published},
        request=request,
    )


@transaction.atomic
def course_instructors_set(*, course: Course, instructors: Sequence[Instructor]) -> bool:
    """Make `instructors`, in this order (lead instructor first), the course's
    instructors. Returns whether anything changed (who, or the order)."""
    wanted = list(dict.fromkeys(row.pk for row in instructors))
    links = sorted(
        CourseInstructor.objects.select_for_update().filter(course=course),
        key=lambda link: (link.position, link.pk),
    )
    positions = [(link.instructor_id, link.position) for link in links]
    if positions == [(pk, index) for index, pk in enumerate(wanted)]:
        return False
    by_instructor = {link.instructor_id: link for link in links}
    CourseInstructor.objects.filter(course=course).exclude(instructor_id__in=wanted).delete()
    changed: list[CourseInstructor] = []
    for position, pk in enumerate(wanted):
        link = by_instructor.get(pk)
        if link is None:
            CourseInstructor.objects.create(course=course, instructor_id=pk, position=position)
        elif link.position != position:
            link.position = position
            changed.append(link)
    CourseInstructor.objects.bulk_update(changed, ["position"])
    return True
