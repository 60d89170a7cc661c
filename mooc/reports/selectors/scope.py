"""Who sees which reports.

- Admins (superusers and the "Admin" role) see everything.
- Report viewers ("Pelihat Laporan") see the subtree of one unit: the unit of their
  `ReportScope`, or else their own unit. Without either they see nothing.
- Instructors see the course reports of the courses whose staff they are.

Anything outside the scope answers 404, as if it did not exist; a page the role has no
part in (an instructor's unit reports) answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from mooc.accounts.models import Unit, User
from mooc.accounts.roles import ROLE_ADMIN, ROLE_REPORT_VIEWER
from mooc.catalog.models import Course
from mooc.reports.models import ReportScope

_CACHE_ATTRIBUTE = "_reports_scope"


@dataclass(frozen=True)
class Scope:
    is_admin: bool = False
    unit: Unit | None = None  # a report viewer's subtree
    course_ids: frozenset[int] = field(default_factory=frozenset)  # an instructor's courses

    @property
    def sees_units(self) -> bool:
        return self.is_admin or self.unit is not None

    @property
    def sees_anything(self) -> bool:
        return self.sees_units or bool(self.course_ids)

    # --- Filters ----------------------------------------------------------------------------

    def users(self, users: QuerySet[User]) -> QuerySet[User]:
        if self.is_admin:
            return users
        if self.unit is not None:
            return users.filter(unit__path__startswith=self.unit.path)
        return users.none()

    def user_q(self, prefix: str = "") -> Q:
        """For querysets of rows that belong to a user (`prefix`: the path to the user)."""
        if self.is_admin:
            return Q()
        if self.unit is not None:
            return Q(**{f"{prefix}unit__path__startswith": self.unit.path})
        return Q(pk__in=[])

    def courses(self, courses: QuerySet[Course]) -> QuerySet[Course]:
        if self.sees_units:
            return courses
        return courses.filter(pk__in=self.course_ids)

    def units(self, units: QuerySet[Unit]) -> QuerySet[Unit]:
        if self.is_admin:
            return units
        if self.unit is not None:
            return units.filter(path__startswith=self.unit.path)
        return units.none()

    # --- Checks (404 outside) ----------------------------------------------------------------

    def require_units(self) -> None:
        if not self.sees_units:
            raise PermissionDenied

    def unit_or_404(self, unit_id: int | None) -> Unit | None:
        """The unit if in scope; None (the whole scope) when no id was given."""
        self.require_units()
        if unit_id is None:
            return self.unit
        unit = self.units(Unit.objects.all()).filter(pk=unit_id).first()
        if unit is None:
            raise Http404
        return unit

    def course_or_404(self, course_id: int) -> Course:
        course = self.courses(Course.objects.select_related("category")).filter(pk=course_id)
        found = course.first()
        if found is None:
            raise Http404
        return found

    def learner_or_404(self, user_id: int) -> User:
        self.require_units()
        user = self.users(User.objects.select_related("unit")).filter(pk=user_id).first()
        if user is None:
            raise Http404
        return user


def scope_for(user: Any) -> Scope:
    """The viewer's scope, cached on the user object for the request."""
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if isinstance(cached, Scope):
        return cached
    scope = _compute(user)
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def _compute(user: Any) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return Scope()
    if user.is_superuser:
        return Scope(is_admin=True)
    groups = set(
        user.groups.filter(name__in=(ROLE_ADMIN, ROLE_REPORT_VIEWER)).values_list("name", flat=True)
    )
    if ROLE_ADMIN in groups:
        return Scope(is_admin=True)
    unit: Unit | None = None
    if ROLE_REPORT_VIEWER in groups:
        assigned = ReportScope.objects.select_related("unit").filter(user=user).first()
        unit = assigned.unit if assigned else user.unit
    course_ids = frozenset(Course.objects.filter(staff=user).values_list("pk", flat=True))
    return Scope(unit=unit, course_ids=course_ids)
