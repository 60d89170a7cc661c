"""Per learner: the learner list (with JP for the year), below target, and one learner."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from mooc.accounts.models import User
from mooc.catalog.models import Enrollment
from mooc.exams.models import Attempt
from mooc.reports.selectors.filters import ReportFilter
from mooc.reports.selectors.ledger import LedgerYear, below_target_q, learner_ledger, users_with_jp


def learner_list(*, filters: ReportFilter) -> QuerySet[User]:
    """Learners in scope and filters with `jp`, `jp_target` for the year, by name."""
    return (
        users_with_jp(filters.learners(), year=filters.year)
        .select_related("unit")
        .order_by("full_name", "username", "pk")
    )


def below_target_list(*, filters: ReportFilter) -> QuerySet[User]:
    """The list a unit head acts on: every learner under the target, fewest JP first."""
    return (
        users_with_jp(filters.learners(), year=filters.year)
        .filter(below_target_q())
        .select_related("unit")
        .order_by("jp", "full_name", "pk")
    )


@dataclass(frozen=True)
class LearnerReport:
    learner: User
    years: list[LedgerYear]
    enrollments: list[Enrollment]
    attempts: list[Attempt]


def learner_report(*, learner: User) -> LearnerReport:
    enrollments = list(
        Enrollment.objects.filter(user=learner)
        .select_related("course", "certificate")
        .order_by("-created_at", "-pk")
    )
    attempts = list(
        Attempt.objects.filter(user=learner)
        .select_related("exam", "exam__course")
        .order_by("-started_at", "-pk")
    )
    return LearnerReport(
        learner=learner,
        years=learner_ledger(user=learner),
        enrollments=enrollments,
        attempts=attempts,
    )
