"""The JP ledger: how many JP a learner collected in a year.

- A course counts in the year it was passed (`Enrollment.completed_at`), the year as
  the institution's clock shows it (settings.TIME_ZONE): a pass at 23:30 WIB on
  31 December belongs to that year, one at 00:30 WIB on 1 January to the next.
- It counts with the JP copied onto the enrolment when the learner enrolled, not the
  course's JP today.
- A revoked certificate takes its course's JP away (the learner's page says why).
- Training done elsewhere counts in the year it ended.

Every figure is computed by the database: these functions return expressions and
querysets, never Python loops over learners.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from mooc.accounts.models import EmployeeType, User
from mooc.catalog.models import Enrollment, EnrollmentResult
from mooc.certificates.models import Certificate, CertificateState
from mooc.core.selectors import site_settings_get
from mooc.core.timezones import institution_tz, year_bounds
from mooc.reports.models import ExternalTraining

YEAR_MIN, YEAR_MAX = 2000, 2100


@dataclass(frozen=True)
class LedgerSettings:
    target_internal: int | None
    target_external: int | None
    minutes_per_jp: int

    def target_for(self, employee_type: str) -> int | None:
        if employee_type == EmployeeType.INTERNAL:
            return self.target_internal
        return self.target_external


def ledger_settings() -> LedgerSettings:
    row = site_settings_get()
    return LedgerSettings(
        target_internal=row.jp_target_internal,
        target_external=row.jp_target_external,
        minutes_per_jp=row.minutes_per_jp or 45,
    )


def not_revoked_q(prefix: str = "") -> Q:
    """For enrolments (`prefix`: the path to one): no certificate, or one not revoked.
    The certificate is one-to-one, so this is a LEFT JOIN, never a row per certificate."""
    return Q(**{f"{prefix}certificate__isnull": True}) | ~Q(
        **{f"{prefix}certificate__state": CertificateState.REVOKED}
    )


def counting_q(prefix: str = "") -> Q:
    """Enrolments whose JP count: passed, and no revoked certificate."""
    return Q(**{f"{prefix}result": EnrollmentResult.PASSED}) & not_revoked_q(prefix)


def counting_enrollments() -> QuerySet[Enrollment]:
    """Passed enrolments whose JP count (no revoked certificate)."""
    return Enrollment.objects.filter(counting_q())


def counting_in_period(start: dt.datetime, end: dt.datetime) -> QuerySet[Enrollment]:
    return counting_enrollments().filter(completed_at__gte=start, completed_at__lt=end)


def _sum_per_user(queryset: QuerySet[Enrollment] | QuerySet[ExternalTraining]) -> Coalesce:
    total = queryset.filter(user=OuterRef("pk")).values("user").annotate(t=Sum("jp")).values("t")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def target_expression(ledger: LedgerSettings | None = None) -> Case:
    ledger = ledger or ledger_settings()
    return Case(
        When(
            employee_type=EmployeeType.INTERNAL,
            then=Value(ledger.target_internal, output_field=IntegerField()),
        ),
        default=Value(ledger.target_external, output_field=IntegerField()),
        output_field=IntegerField(),
    )


def external_in_year(year: int) -> QuerySet[ExternalTraining]:
    return ExternalTraining.objects.filter(ends_on__year=year)


def users_with_jp(
    users: QuerySet[User], *, year: int, ledger: LedgerSettings | None = None
) -> QuerySet[User]:
    """`users` annotated with `jp_platform`, `jp_external`, `jp` (their sum) and
    `jp_target` (None: no target) for `year`."""
    start, end = year_bounds(year)
    external = external_in_year(year)
    return users.annotate(
        jp_platform=_sum_per_user(counting_in_period(start, end)),
        jp_external=_sum_per_user(external),
        jp_target=target_expression(ledger),
    ).annotate(jp=F("jp_platform") + F("jp_external"))


def learners_jp_sql(
    learners: QuerySet[User], *, year: int, ledger: LedgerSettings | None = None
) -> tuple[str, list[Any]]:
    """SQL for a derived table of `learners` with their JP for `year`: columns `id`,
    `unit_id`, `full_name`, `jp` and `jp_target` (NULL: no target).

    The same rule as `users_with_jp`, built from the same querysets, but set-based: the
    passed enrolments and the training done elsewhere are summed per learner once (two
    GROUP BYs) and joined, instead of two correlated subqueries per learner. For the
    figures over every learner (the roll-up, the share at target, the list below target)
    that is 5–10 times faster on PostgreSQL; pages of a few learners use `users_with_jp`.
    """
    ledger = ledger or ledger_settings()
    start, end = year_bounds(year)
    per_user = ("user_id", "jp")
    platform = counting_in_period(start, end).order_by().values("user_id").annotate(jp=Sum("jp"))
    external = external_in_year(year).order_by().values("user_id").annotate(jp=Sum("jp"))
    platform_sql, platform_params = platform.values(*per_user).query.sql_with_params()
    external_sql, external_params = external.values(*per_user).query.sql_with_params()
    learners_sql, learners_params = learners.order_by().values("pk").query.sql_with_params()
    user_table = connection.ops.quote_name(User._meta.db_table)
    sql = f"""
        SELECT u.id AS id, u.unit_id AS unit_id, u.full_name AS full_name,
               COALESCE(p.jp, 0) + COALESCE(x.jp, 0) AS jp,
               CASE WHEN u.employee_type = %s THEN CAST(%s AS INTEGER)
                    ELSE CAST(%s AS INTEGER) END AS jp_target
        FROM {user_table} u
        LEFT JOIN ({platform_sql}) p ON p.user_id = u.id
        LEFT JOIN ({external_sql}) x ON x.user_id = u.id
        WHERE u.id IN ({learners_sql})
    """  # noqa: S608 - every value is a parameter; the fragments come from the ORM
    params = [
        str(EmployeeType.INTERNAL),
        ledger.target_internal,
        ledger.target_external,
        *platform_params,
        *external_params,
        *learners_params,
    ]
    return sql, params


def ledger_query(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


BELOW_TARGET_SQL = "jp_target IS NOT NULL AND jp < jp_target"


def below_target_q() -> Q:
    """For `users_with_jp`: a target applies and is not met."""
    return Q(jp_target__isnull=False, jp__lt=F("jp_target"))


def jp_of_user(*, user: User, year: int) -> int:
    row: Any = users_with_jp(User.objects.filter(pk=user.pk), year=year).first()
    return int(row.jp) if row else 0


def jp_and_target_of_user(user: User, year: int) -> tuple[int, int | None]:
    """The learner's JP in `year` and their target (None: none applies), in one query."""
    row: Any = users_with_jp(User.objects.filter(pk=user.pk), year=year).first()
    if row is None:
        return 0, ledger_settings().target_for(user.employee_type)
    return int(row.jp), row.jp_target


# --- One learner's ledger (the learner's "Riwayat JP" and the per-learner report) ------------


@dataclass
class LedgerEntry:
    kind: str  # "course" or "external"
    title: str
    jp: int
    counts: bool
    on: dt.date
    organiser: str = ""
    certificate_number: str = ""
    certificate_id: int | None = None
    enrollment_id: int | None = None
    external_id: int | None = None
    revoked_reason: str = ""


@dataclass
class LedgerYear:
    year: int
    target: int | None
    entries: list[LedgerEntry] = field(default_factory=list)

    @property
    def jp(self) -> int:
        return sum(entry.jp for entry in self.entries if entry.counts)

    @property
    def reached(self) -> bool:
        return self.target is None or self.jp >= self.target

    @property
    def percent(self) -> int:
        if not self.target:
            return 100
        return min(100, round(100 * self.jp / self.target))


def learner_ledger(*, user: User) -> list[LedgerYear]:
    """Every year with a pass or training done elsewhere, newest first (two queries).

    A handful of rows per learner: grouping them by year here is not a per-learner loop.
    """
    tz = institution_tz()
    target = ledger_settings().target_for(user.employee_type)
    passed = (
        Enrollment.objects.filter(
            user=user, result=EnrollmentResult.PASSED, completed_at__isnull=False
        )
        .select_related("course", "certificate")
        .order_by("-completed_at")
    )
    years: dict[int, LedgerYear] = {}

    def year_of(year: int) -> LedgerYear:
        return years.setdefault(year, LedgerYear(year=year, target=target))

    for enrollment in passed:
        assert enrollment.completed_at is not None
        local = enrollment.completed_at.astimezone(tz)
        certificate: Certificate | None = getattr(enrollment, "certificate", None)
        revoked = certificate is not None and certificate.is_revoked
        year_of(local.year).entries.append(
            LedgerEntry(
                kind="course",
                title=enrollment.course.title,
                jp=enrollment.jp,
                counts=not revoked,
                on=local.date(),
                certificate_number=(certificate.number or "") if certificate else "",
                certificate_id=certificate.pk if certificate and not revoked else None,
                enrollment_id=enrollment.pk,
                revoked_reason=certificate.revoked_reason if certificate and revoked else "",
            )
        )
    for training in ExternalTraining.objects.filter(user=user).order_by("-ends_on"):
        year_of(training.ends_on.year).entries.append(
            LedgerEntry(
                kind="external",
                title=training.title,
                jp=training.jp,
                counts=True,
                on=training.ends_on,
                organiser=training.organiser,
                certificate_number=training.certificate_number,
                external_id=training.pk,
            )
        )
    for ledger_year in years.values():
        ledger_year.entries.sort(key=lambda entry: entry.on, reverse=True)
    return [years[year] for year in sorted(years, reverse=True)]
