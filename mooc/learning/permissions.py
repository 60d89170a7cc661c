"""Who may open a course's materials, videos and attachments."""

from __future__ import annotations

import enum

from django.contrib.auth.models import AnonymousUser

from mooc.accounts.models import User
from mooc.catalog.models import Course, Enrollment
from mooc.catalog.permissions import can_edit_course


class StudyAccess(enum.Enum):
    LEARNER = "learner"  # enrolled: progress is recorded
    STAFF = "staff"  # previewing without an enrolment: nothing is recorded


def is_course_staff(user: User | AnonymousUser, course: Course) -> bool:
    """Superusers, course managers (Admin, Admin Konten) and the course's own staff.

    Deliberately not `has_perm("catalog.change_course")`: instructors hold that
    permission for their own courses, and it would open every course to them.
    """
    return can_edit_course(user, course)


def study_access(user: User | AnonymousUser, course: Course) -> StudyAccess | None:
    """How this user may open the course's materials, or None when they may not.

    Enrolled learners in any status (completed courses stay reviewable) and the
    course's staff; an unpublished course is open to its staff only.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    # The common case first: one indexed query for a learner in a published course.
    enrolled = Enrollment.objects.filter(user_id=user.pk, course=course).exists()
    if enrolled and course.is_published:
        return StudyAccess.LEARNER
    if is_course_staff(user, course):
        return StudyAccess.LEARNER if enrolled else StudyAccess.STAFF
    return None


def can_study(user: User | AnonymousUser, course: Course) -> bool:
    return study_access(user, course) is not None
