"""Per learner: the learner list (with JP for the year), below target, and one learner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from mooc.accounts.models import User
from mooc.catalog.models import Enrollment
from mooc.exams.models import Attempt
from mooc.reports.selectors.filters import ReportFilter
from mooc.reports.selectors.ledger import (
    BELOW_TARGET_SQL,
    LedgerYear,
    below_target_q,
    learner_ledger,
    learners_jp_sql,
    ledger_query,
    users_with_jp,
)


def learner_list(*, filters: ReportFilter) -> QuerySet[User]:
    """Learners in scope and filters with `jp`, `jp_target` for the year, by name."""
    return (
        users_with_jp(filters.learners(), year=filters.year)
        .select_related("unit")
        .order_by("full_name", "username", "pk")
    )


def below_target_list(*, filters: ReportFilter) -> QuerySet[User]:
    """The list a unit head acts on: every learner under the target, fewest JP first
    (for the export, read in chunks; the page uses `BelowTarget`)."""
    return (
        users_with_jp(filters.learners(), year=filters.year)
        .filter(below_target_q())
        .select_related("unit")
        .order_by("jp", "full_name", "pk")
    )


class BelowTarget:
    """The same list for a Paginator: a count and slices, each one query over the
    set-based ledger (`learners_jp_sql`), then the page's learners with their units."""

    def __init__(self, filters: ReportFilter) -> None:
        self.table, self.params = learners_jp_sql(filters.learners(), year=filters.year)

    def count(self) -> int:
        sql = f"SELECT COUNT(*) FROM ({self.table}) ledger WHERE {BELOW_TARGET_SQL}"  # noqa: S608
        return int(ledger_query(sql, self.params)[0][0])

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[User]:
        start, stop = window.start or 0, window.stop
        sql = (
            f"SELECT id, jp, jp_target FROM ({self.table}) ledger WHERE {BELOW_TARGET_SQL}"  # noqa: S608
            " ORDER BY jp, full_name, id LIMIT %s OFFSET %s"
        )
        rows = ledger_query(sql, [*self.params, stop - start, start])
        users = User.objects.select_related("unit").in_bulk([row[0] for row in rows])
        page = []
        for user_id, jp, target in rows:
            user: Any = users[user_id]
            user.jp, user.jp_target = jp, target
            page.append(user)
        return page


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
