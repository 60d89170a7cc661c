"""Per unit: a unit with its sub-units rolled up.

Two grouped queries give each unit's own figures (staff and JP by the learners' current
unit; enrolments made in the period); adding a unit's descendants to it is done over
the unit tree (at most a few hundred rows), never over learners.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from mooc.accounts.models import Unit
from mooc.catalog.models import Enrollment, EnrollmentResult
from mooc.reports.selectors.filters import ReportFilter
from mooc.reports.selectors.ledger import BELOW_TARGET_SQL, learners_jp_sql, ledger_query


@dataclass
class UnitFigures:
    unit: Unit | None  # None: the whole scope (all roots)
    staff: int = 0
    with_target: int = 0
    below: int = 0
    enrolled: int = 0
    passed: int = 0
    jp_sum: int = 0
    children: list[UnitFigures] = field(default_factory=list)

    @property
    def jp_mean(self) -> float | None:
        return self.jp_sum / self.staff if self.staff else None

    @property
    def below_share(self) -> float | None:
        return 100 * self.below / self.with_target if self.with_target else None

    def add(self, other: UnitFigures) -> None:
        self.staff += other.staff
        self.with_target += other.with_target
        self.below += other.below
        self.enrolled += other.enrolled
        self.passed += other.passed
        self.jp_sum += other.jp_sum


@dataclass
class UnitReport:
    total: UnitFigures
    ancestors: list[Unit]
    # Learners placed in the shown unit itself, not in a sub-unit (None: there are none).
    own: UnitFigures | None = None


def unit_report(*, filters: ReportFilter) -> UnitReport:
    """The filter's unit (or the viewer's scope) and its children, each rolled up (4 queries)."""
    root = filters.effective_unit()
    units = Unit.objects.order_by("path").only("pk", "path", "depth", "name", "code")
    if root is not None:
        units = units.filter(path__startswith=root.path)
    tree = list(units)
    own: dict[int | None, UnitFigures] = {}
    table, params = learners_jp_sql(filters.learners(), year=filters.year)
    people = ledger_query(
        f"""SELECT unit_id, COUNT(*),
                   SUM(CASE WHEN jp_target IS NOT NULL THEN 1 ELSE 0 END),
                   SUM(CASE WHEN {BELOW_TARGET_SQL} THEN 1 ELSE 0 END),
                   SUM(jp)
            FROM ({table}) ledger GROUP BY unit_id""",  # noqa: S608 - see learners_jp_sql
        params,
    )
    for unit_id, staff, with_target, below, jp_sum in people:
        figures = own.setdefault(unit_id, UnitFigures(unit=None))
        figures.staff, figures.with_target = staff, with_target or 0
        figures.below, figures.jp_sum = below or 0, jp_sum or 0
    start, end = filters.period()
    enrolments = (
        Enrollment.objects.filter(
            filters.learner_q(), filters.course_q(), created_at__gte=start, created_at__lt=end
        )
        .values("user__unit_id")
        .annotate(
            enrolled=Count("pk"), passed=Count("pk", filter=Q(result=EnrollmentResult.PASSED))
        )
        .order_by()
    )
    for row in enrolments:
        figures = own.setdefault(row["user__unit_id"], UnitFigures(unit=None))
        figures.enrolled, figures.passed = row["enrolled"], row["passed"]

    total = UnitFigures(unit=root)
    shown = root
    if root is None:
        roots = [unit for unit in tree if unit.depth == 1]
        if len(roots) == 1:
            shown = roots[0]  # one ministry: its offices are the rows worth showing
    depth = shown.depth + 1 if shown is not None else 1
    children = {unit.path: UnitFigures(unit=unit) for unit in tree if unit.depth == depth}
    step = Unit.steplen
    for unit in tree:
        counted = own.get(unit.pk)
        if counted is None:
            continue
        total.add(counted)
        child = children.get(unit.path[: depth * step])
        if child is not None:
            child.add(counted)
    if root is None and None in own:
        total.add(own[None])  # learners without a unit, seen by admins
    total.children = list(children.values())
    direct = own.get(shown.pk) if shown is not None else None
    if direct is not None:
        direct.unit = shown
    ancestors = list(Unit.objects.get_ancestors(root)) if root is not None else []
    scope_unit = filters.scope.unit
    if scope_unit is not None:
        ancestors = [unit for unit in ancestors if unit.path.startswith(scope_unit.path)]
    return UnitReport(total=total, ancestors=ancestors, own=direct)
