"""Ringkasan: the headline figures and completions per month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from mooc.catalog.models import Enrollment, EnrollmentResult, EnrollmentStatus
from mooc.core.timezones import institution_tz, local_now, year_bounds
from mooc.exams.models import Attempt
from mooc.learning.models import MaterialProgress
from mooc.reports.selectors.filters import ReportFilter
from mooc.reports.selectors.ledger import (
    counting_q,
    learners_jp_sql,
    ledger_query,
)


@dataclass(frozen=True)
class Summary:
    learners: int
    active_this_month: int
    enrollments: int
    completions: int
    passed: int
    jp_delivered: int
    with_target: int
    at_target: int
    months: list[tuple[dt.date, int, int]]  # (first day, completions, passed)

    @property
    def pass_rate(self) -> float | None:
        return 100 * self.passed / self.completions if self.completions else None

    @property
    def share_at_target(self) -> float | None:
        return 100 * self.at_target / self.with_target if self.with_target else None


def this_month_bounds() -> tuple[dt.datetime, dt.datetime]:
    now = local_now()
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


def summary_get(*, filters: ReportFilter) -> Summary:
    """Five queries, whatever the number of learners."""
    learners = filters.learners()
    table, params = learners_jp_sql(learners, year=filters.year)
    ((learner_count, with_target, at_target),) = ledger_query(
        f"""SELECT COUNT(*),
                   COALESCE(SUM(CASE WHEN jp_target IS NOT NULL THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN jp_target IS NOT NULL AND jp >= jp_target
                                     THEN 1 ELSE 0 END), 0)
            FROM ({table}) ledger""",  # noqa: S608 - see learners_jp_sql
        params,
    )
    month_start, month_end = this_month_bounds()
    active = learners.filter(
        Exists(
            MaterialProgress.objects.filter(
                user=OuterRef("pk"), completed_at__gte=month_start, completed_at__lt=month_end
            )
        )
        | Exists(
            Attempt.objects.filter(
                user=OuterRef("pk"), started_at__gte=month_start, started_at__lt=month_end
            )
        )
    ).count()
    start, end = filters.period()
    year_start, year_end = year_bounds(filters.year)
    enrollments = Enrollment.objects.filter(filters.learner_q(), filters.course_q())
    in_period = Q(completed_at__gte=start, completed_at__lt=end)
    totals = enrollments.aggregate(
        enrollments=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        completions=Count("pk", filter=in_period & Q(status=EnrollmentStatus.COMPLETED)),
        passed=Count("pk", filter=in_period & Q(result=EnrollmentResult.PASSED)),
        jp=Coalesce(
            Sum(
                "jp",
                filter=counting_q() & Q(completed_at__gte=year_start, completed_at__lt=year_end),
            ),
            Value(0),
            output_field=IntegerField(),
        ),
    )
    per_month = (
        enrollments.filter(
            status=EnrollmentStatus.COMPLETED,
            completed_at__gte=year_start,
            completed_at__lt=year_end,
        )
        .annotate(month=TruncMonth("completed_at", tzinfo=institution_tz()))
        .values("month")
        .annotate(
            completions=Count("pk"), passed=Count("pk", filter=Q(result=EnrollmentResult.PASSED))
        )
        .order_by("month")
    )
    counted = {row["month"].date().month: row for row in per_month}
    months = [
        (
            dt.date(filters.year, month, 1),
            counted[month]["completions"] if month in counted else 0,
            counted[month]["passed"] if month in counted else 0,
        )
        for month in range(1, 13)
    ]
    return Summary(
        learners=learner_count,
        active_this_month=active,
        enrollments=totals["enrollments"],
        completions=totals["completions"],
        passed=totals["passed"],
        jp_delivered=totals["jp"],
        with_target=with_target,
        at_target=at_target,
        months=months,
    )
