"""The filters every report shares, already checked against the viewer's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from mooc.accounts.models import Unit, User
from mooc.catalog.models import Category, Course, Enrollment
from mooc.core.timezones import institution_tz, year_bounds
from mooc.reports.selectors.scope import Scope


@dataclass(frozen=True)
class ReportFilter:
    scope: Scope
    year: int
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    course: Course | None = None
    category: Category | None = None
    unit: Unit | None = None  # with its sub-units
    employee_type: str = ""
    q: str = ""

    @property
    def has_dates(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    def period(self) -> tuple[dt.datetime, dt.datetime]:
        """The date range (both ends included, local days) or else the year."""
        if not self.has_dates:
            return year_bounds(self.year)
        tz = institution_tz()
        start = self.date_from or dt.date(2000, 1, 1)
        end = (self.date_to or dt.date(2100, 12, 31)) + dt.timedelta(days=1)
        return (
            dt.datetime.combine(start, dt.time(), tzinfo=tz),
            dt.datetime.combine(end, dt.time(), tzinfo=tz),
        )

    def effective_unit(self) -> Unit | None:
        return self.unit or self.scope.unit

    def learners(self) -> QuerySet[User]:
        """Active learner accounts (staff accounts are not learners) in scope and filters."""
        users = self.scope.users(User.objects.filter(is_active=True, is_staff=False))
        if self.unit is not None:
            users = users.filter(unit__path__startswith=self.unit.path)
        if self.employee_type:
            users = users.filter(employee_type=self.employee_type)
        if self.q:
            users = users.filter(Q(full_name__icontains=self.q) | Q(username__icontains=self.q))
        if self.course is not None:
            # The learners behind a course's figures: those enrolled in it.
            users = users.filter(
                Exists(Enrollment.objects.filter(user=OuterRef("pk"), course=self.course))
            )
        return users

    def learner_q(self, prefix: str = "user__") -> Q:
        """The same learners, for rows that belong to one (`prefix`: the path to the user)."""
        q = self.scope.user_q(prefix) & Q(
            **{f"{prefix}is_active": True, f"{prefix}is_staff": False}
        )
        if self.unit is not None:
            q &= Q(**{f"{prefix}unit__path__startswith": self.unit.path})
        if self.employee_type:
            q &= Q(**{f"{prefix}employee_type": self.employee_type})
        return q

    def course_q(self, prefix: str = "course__") -> Q:
        q = Q()
        if self.course is not None:
            q &= Q(**{f"{prefix}pk": self.course.pk})
        if self.category is not None:
            q &= Q(**{f"{prefix}category": self.category})
        if not self.scope.sees_units:
            q &= Q(**{f"{prefix}pk__in": self.scope.course_ids})
        return q

    def as_params(self, **override: Any) -> dict[str, str]:
        """Query parameters that give these filters again (for links and exports)."""
        params: dict[str, Any] = {
            "year": self.year,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "course": self.course.pk if self.course else "",
            "category": self.category.pk if self.category else "",
            "unit": self.unit.pk if self.unit else "",
            "employee_type": self.employee_type,
            "q": self.q,
        }
        params.update(override)
        return {key: str(value) for key, value in params.items() if value not in ("", None)}
