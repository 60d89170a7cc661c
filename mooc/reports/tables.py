"""Every report as a table of rows, for the CSV and XLSX exports.

A table is a title, Indonesian column headers (through gettext), a row count and a
generator of rows read in chunks, so a 300,000-row export never sits in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from mooc.accounts.models import EmployeeType, User
from mooc.catalog.models import Course
from mooc.core.timezones import institution_tz
from mooc.reports.selectors.courses import course_list, course_report, pass_rate
from mooc.reports.selectors.evaluation import evaluation_report, gain_report
from mooc.reports.selectors.filters import ReportFilter
from mooc.reports.selectors.learners import below_target_list, learner_list, learner_report
from mooc.reports.selectors.summary import summary_get
from mooc.reports.selectors.units import unit_report

CHUNK = 2000


@dataclass
class Table:
    name: str  # the file name's stem
    headers: list[str]
    count: int
    rows: Callable[[], Iterator[list[Any]]]


def _pct(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _figures(name: str, pairs: list[tuple[str, Any]]) -> Table:
    return Table(
        name=name,
        headers=[_("Figure"), _("Value")],
        count=len(pairs),
        rows=lambda: iter([[label, value] for label, value in pairs]),
    )


def summary_table(filters: ReportFilter) -> Table:
    s = summary_get(filters=filters)
    pairs: list[tuple[str, Any]] = [
        (_("Number of learners"), s.learners),
        (_("Active learners this month"), s.active_this_month),
        (_("Enrolments"), s.enrollments),
        (_("Completions"), s.completions),
        (_("Passed"), s.passed),
        (_("Pass rate (%)"), _pct(s.pass_rate)),
        (_("JP delivered in %(year)s") % {"year": filters.year}, s.jp_delivered),
        (_("Share of staff at or above the target (%)"), _pct(s.share_at_target)),
    ]
    pairs += [
        (_("Completions %(month)s") % {"month": month.strftime("%m-%Y")}, completions)
        for month, completions, _passed in s.months
    ]
    return _figures("ringkasan", pairs)


def courses_table(filters: ReportFilter) -> Table:
    courses = course_list(filters=filters)

    def rows() -> Iterator[list[Any]]:
        for course in courses.iterator(chunk_size=CHUNK):
            c: Any = course
            yield [
                c.title,
                c.category.name,
                c.jp,
                c.enrolled,
                c.active,
                c.completed,
                c.passed,
                c.failed,
                _pct(pass_rate(c.passed, c.completed)),
                round(c.mean_score, 2) if c.mean_score is not None else None,
            ]

    headers = [
        _("Course"),
        _("Category"),
        _("JP"),
        _("Enrolled"),
        _("Active"),
        _("Completed"),
        _("Passed"),
        _("Not passed"),
        _("Pass rate (%)"),
        _("Mean score"),
    ]
    return Table(name="per-kursus", headers=headers, count=courses.count(), rows=rows)


def course_table(filters: ReportFilter, course: Course) -> Table:
    r = course_report(course=course, filters=filters)
    pairs: list[tuple[str, Any]] = [
        (_("Course"), course.title),
        (_("Enrolled"), r.enrolled),
        (_("Active"), r.active),
        (_("Completed"), r.completed),
        (_("Passed"), r.passed),
        (_("Not passed"), r.failed),
        (_("Pass rate (%)"), _pct(r.pass_rate)),
        (_("Mean score"), r.mean_score),
        (_("Median score"), r.median_score),
        (_("Attempts per learner"), _pct(r.attempts_per_learner)),
        (_("Median days from enrolment to pass"), _pct(r.median_days_to_pass)),
    ]
    pairs += [(_("Funnel: %(step)s") % {"step": step}, n) for step, n in r.funnel]
    pairs += [(_("Scores %(range)s") % {"range": label}, n) for label, n in r.distribution]
    return _figures(f"kursus-{course.slug}", pairs)


def units_table(filters: ReportFilter) -> Table:
    report = unit_report(filters=filters)
    rows_data = []
    own = [report.own] if report.own is not None else []
    for figures in [report.total, *own, *report.total.children]:
        name = figures.unit.name if figures.unit else _("All units")
        if figures is report.own:
            name = _("%(unit)s (the unit itself)") % {"unit": name}
        rows_data.append(
            [
                name,
                figures.unit.code if figures.unit else "",
                figures.staff,
                figures.enrolled,
                figures.passed,
                figures.jp_sum,
                _pct(figures.jp_mean),
                figures.below,
                _pct(figures.below_share),
            ]
        )
    headers = [
        _("Unit"),
        _("Code"),
        _("Staff"),
        _("Enrolled"),
        _("Passed"),
        _("JP %(year)s (sum)") % {"year": filters.year},
        _("JP %(year)s (mean)") % {"year": filters.year},
        _("Below target"),
        _("Below target (%)"),
    ]
    return Table(
        name="per-unit", headers=headers, count=len(rows_data), rows=lambda: iter(rows_data)
    )


def _people_rows(users: Any, year: int) -> Callable[[], Iterator[list[Any]]]:
    # Plain values, not User objects: a 50,000-row export builds no model instances.
    kinds = dict(EmployeeType.choices)
    fields = ("username", "full_name", "unit__name", "employee_type", "jp", "jp_target")

    def rows() -> Iterator[list[Any]]:
        for username, name, unit, kind, jp, target in users.values_list(*fields).iterator(
            chunk_size=CHUNK
        ):
            yield [
                username,
                name,
                unit or "",
                str(kinds.get(kind, kind)),
                jp,
                target,
                max(0, target - jp) if target is not None else None,
            ]

    return rows


def _people_headers(year: int) -> list[str]:
    return [
        _("NIP/Username"),
        _("Full name"),
        _("Unit"),
        _("Employee type"),
        _("JP %(year)s") % {"year": year},
        _("Target (JP)"),
        _("JP still needed"),
    ]


def learners_table(filters: ReportFilter) -> Table:
    users = learner_list(filters=filters)
    return Table(
        name="per-peserta",
        headers=_people_headers(filters.year),
        count=filters.learners().count(),
        rows=_people_rows(users, filters.year),
    )


def below_target_table(filters: ReportFilter) -> Table:
    users = below_target_list(filters=filters)
    return Table(
        name="di-bawah-target",
        headers=_people_headers(filters.year),
        count=users.count(),
        rows=_people_rows(users, filters.year),
    )


def learner_table(filters: ReportFilter, learner: User) -> Table:
    report = learner_report(learner=learner)
    data: list[list[Any]] = []
    for year in report.years:
        for entry in year.entries:
            data.append(
                [
                    year.year,
                    entry.title,
                    _("Training done elsewhere")
                    if entry.kind == "external"
                    else _("This platform"),
                    entry.on.strftime("%d-%m-%Y"),
                    entry.jp,
                    _("Yes") if entry.counts else _("No (certificate revoked)"),
                    entry.certificate_number,
                ]
            )
    headers = [
        _("Year"),
        _("Course"),
        _("Where"),
        _("Date passed"),
        _("JP"),
        _("Counts"),
        _("Certificate number"),
    ]
    return Table(
        name=f"peserta-{learner.username}",
        headers=headers,
        count=len(data),
        rows=lambda: iter(data),
    )


def evaluation_table(filters: ReportFilter, course: Course) -> Table:
    """The evaluation report as rows: counts; unless only counts may be shown, each item
    (per instructor too) with n, mean and 1..5, the trend, and the free text (with a
    name only in a named course)."""
    r = evaluation_report(course=course)
    data: list[list[Any]] = [
        [_("Course"), course.title],
        [_("Passed (offered the evaluation)"), r.eligible],
        [_("Responses sent"), r.responses],
        [_("Response rate (%)"), _pct(r.response_rate)],
    ]
    if not r.counts_only:
        data.append([])
        data.append([_("Group"), _("Item"), "n", _("Mean"), "1", "2", "3", "4", "5"])
        sections = [("", r.groups)] + [
            (_("Instructor: %(name)s") % {"name": i.name}, groups) for i, groups in r.instructors
        ]
        for prefix, groups in sections:
            for group in groups:
                title = f"{prefix} · {group.title}" if prefix else group.title
                for figure in group.items:
                    data.append(
                        [title, figure.item.text, figure.n, _round(figure.mean), *figure.counts]
                    )
                data.append([title, _("Group mean"), "", _round(group.mean)])
        data.append([])
        data.append([_("Year"), _("Responses"), _("Mean (1–5)")])
        data += [[p.year, p.responses, _round(p.mean)] for p in r.trend]
        data.append([])
        data.append([_("Question"), _("Answer"), *([] if r.anonymous else [_("Full name")])])
        for answer in r.texts:
            data.append(
                [answer.question, answer.text, *([] if answer.name is None else [answer.name])]
            )
    return Table(
        name=f"evaluasi-{course.slug}",
        headers=[_("Figure"), _("Value")],
        count=len(data),
        rows=lambda: iter(data),
    )


def gain_table(filters: ReportFilter, course: Course) -> Table:
    r = gain_report(course=course, anonymous_label=_("Learner %(n)d"))
    data: list[list[Any]] = [
        [_("Learners with a score"), r.learners],
        [_("With both tests"), r.both],
    ]
    if not r.counts_only:
        data += [
            [_("Mean pre-test score"), _round(r.mean_pre)],
            [_("Mean final test score"), _round(r.mean_post)],
            [_("Mean gain (points)"), _round(r.mean_gain)],
            [_("Mean normalized gain"), _round(r.mean_normalized, 3)],
            [],
            [_("Learner"), _("Pre-test"), _("Final test"), _("Gain"), _("Normalized gain")],
        ]
        data += [[row.label, row.pre, row.post, row.gain, row.normalized] for row in r.rows]
    return Table(
        name=f"pre-post-{course.slug}",
        headers=[_("Figure"), _("Value")],
        count=len(data),
        rows=lambda: iter(data),
    )


def _round(value: float | None, digits: int = 2) -> float | None:
    return round(value, digits) if value is not None else None


def local_time(moment: Any) -> str:
    return moment.astimezone(institution_tz()).strftime("%d-%m-%Y %H:%M") if moment else ""


REPORTS_WITHOUT_OBJECT: dict[str, Callable[[ReportFilter], Table]] = {
    "summary": summary_table,
    "courses": courses_table,
    "units": units_table,
    "learners": learners_table,
    "below_target": below_target_table,
}
