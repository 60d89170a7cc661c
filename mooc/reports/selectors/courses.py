"""Per course: the list of courses with their figures, and one course in depth."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)

from mooc.catalog.models import Course, Enrollment, EnrollmentResult, EnrollmentStatus
from mooc.exams.models import Attempt
from mooc.learning.models import Material, MaterialProgress
from mooc.reports.selectors.filters import ReportFilter


def _enrollment_q(filters: ReportFilter, prefix: str = "enrollments__") -> Q:
    start, end = filters.period()
    return filters.learner_q(f"{prefix}user__") & Q(
        **{f"{prefix}created_at__gte": start, f"{prefix}created_at__lt": end}
    )


def course_list(*, filters: ReportFilter) -> QuerySet[Course]:
    """Courses in scope with the figures of their enrolments made in the period (one query)."""
    q = _enrollment_q(filters)
    return (
        Course.objects.filter(filters.course_q(prefix=""))
        .select_related("category")
        .annotate(
            enrolled=Count("enrollments", filter=q),
            active=Count("enrollments", filter=q & Q(enrollments__status=EnrollmentStatus.ACTIVE)),
            completed=Count(
                "enrollments", filter=q & Q(enrollments__status=EnrollmentStatus.COMPLETED)
            ),
            passed=Count("enrollments", filter=q & Q(enrollments__result=EnrollmentResult.PASSED)),
            failed=Count("enrollments", filter=q & Q(enrollments__result=EnrollmentResult.FAILED)),
            mean_score=Avg(
                "enrollments__final_score",
                filter=q & Q(enrollments__status=EnrollmentStatus.COMPLETED),
            ),
        )
        .order_by("title", "pk")
    )


def pass_rate(passed: int, completed: int) -> float | None:
    return 100 * passed / completed if completed else None


@dataclass(frozen=True)
class CourseReport:
    course: Course
    enrolled: int
    active: int
    completed: int
    passed: int
    failed: int
    mean_score: Decimal | None
    median_score: Decimal | None
    distribution: list[tuple[str, int]]  # ("0–9", n) … ("90–100", n)
    attempts_per_learner: float | None
    funnel: list[tuple[str, int]]
    median_days_to_pass: float | None

    @property
    def pass_rate(self) -> float | None:
        return pass_rate(self.passed, self.completed)


def _median(values: QuerySet[Any], field: str) -> Any:
    """The median of one column, by the database (sort, then the middle rows)."""
    n = values.count()
    if n == 0:
        return None
    ordered = values.order_by(field).values_list(field, flat=True)
    if n % 2:
        return ordered[n // 2]
    low, high = list(ordered[n // 2 - 1 : n // 2 + 1])
    return (low + high) / 2


def course_report(*, course: Course, filters: ReportFilter) -> CourseReport:
    """One course in depth, in nine queries."""
    from django.utils.translation import gettext as _

    start, end = filters.period()
    enrollments = Enrollment.objects.filter(
        filters.learner_q(), course=course, created_at__gte=start, created_at__lt=end
    )
    completed = Q(status=EnrollmentStatus.COMPLETED)
    progress = MaterialProgress.objects.filter(course=course, user=OuterRef("user_id"))
    final_attempts = Attempt.objects.filter(
        exam__course=course, exam__is_final=True, user=OuterRef("user_id")
    )
    material_count = Material.objects.current().filter(section__course=course).count()
    done_all = (
        MaterialProgress.objects.filter(
            course=course, user=OuterRef("user_id"), material__is_retired=False
        )
        .values("user")
        .annotate(n=Count("pk"))
        .filter(n__gte=material_count)
    )
    buckets = {
        f"b{low}": Count(
            "pk",
            filter=completed
            & Q(final_score__gte=low)
            & (Q(final_score__lte=100) if low == 90 else Q(final_score__lt=low + 10)),
        )
        for low in range(0, 100, 10)
    }
    row = enrollments.aggregate(
        enrolled=Count("pk"),
        active=Count("pk", filter=Q(status=EnrollmentStatus.ACTIVE)),
        completed=Count("pk", filter=completed),
        passed=Count("pk", filter=Q(result=EnrollmentResult.PASSED)),
        failed=Count("pk", filter=Q(result=EnrollmentResult.FAILED)),
        mean_score=Avg("final_score", filter=completed),
        started=Count("pk", filter=Q(Exists(progress)) | Q(Exists(final_attempts))),
        all_done=Count("pk", filter=Q(Exists(done_all))) if material_count else Count("pk"),
        attempted=Count("pk", filter=Q(Exists(final_attempts))),
        **buckets,
    )
    # Attempts per learner who took the final exam at least once (attempts in progress too).
    attempt_row = Attempt.objects.filter(
        exam__course=course, exam__is_final=True, user__in=enrollments.values("user_id")
    ).aggregate(n=Count("pk"), learners=Count("user", distinct=True))
    median_score = _median(enrollments.filter(completed, final_score__isnull=False), "final_score")
    passed = enrollments.filter(result=EnrollmentResult.PASSED, completed_at__isnull=False)
    days = passed.annotate(
        took=ExpressionWrapper(F("completed_at") - F("created_at"), output_field=DurationField())
    )
    median_took: dt.timedelta | None = _median(days, "took")
    return CourseReport(
        course=course,
        enrolled=row["enrolled"],
        active=row["active"],
        completed=row["completed"],
        passed=row["passed"],
        failed=row["failed"],
        mean_score=row["mean_score"],
        median_score=median_score,
        distribution=[
            (f"{low}–{low + 9 if low < 90 else 100}", row[f"b{low}"]) for low in range(0, 100, 10)
        ],
        attempts_per_learner=(
            attempt_row["n"] / attempt_row["learners"] if attempt_row["learners"] else None
        ),
        funnel=[
            (_("Enrolled"), row["enrolled"]),
            (_("Started learning"), row["started"]),
            (_("All materials done"), row["all_done"]),
            (_("Exam attempted"), row["attempted"]),
            (_("Passed"), row["passed"]),
        ],
        median_days_to_pass=(
            median_took.total_seconds() / 86400 if median_took is not None else None
        ),
    )
