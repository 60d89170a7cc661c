"""The course's evaluation report and its pre-/post-test (gain) report.

Anonymity: in a course whose evaluation is anonymous, no learner's name is read at all
(the free-text answers and the gain table carry none), and with fewer than
`MIN_ANONYMOUS_RESPONSES` responses only the counts are given, so nobody can be singled
out by the distribution of a handful of answers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from mooc.catalog.models import Course, Enrollment, EnrollmentResult, Instructor
from mooc.core.timezones import institution_tz
from mooc.evaluation.models import (
    CourseEvaluation,
    EvaluationAnswer,
    EvaluationItem,
    EvaluationResponse,
    ItemKind,
)
from mooc.exams.grading import learning_gain, normalized_gain
from mooc.exams.models import Attempt, AttemptState

MIN_ANONYMOUS_RESPONSES = 5


@dataclass
class ItemFigures:
    item: EvaluationItem
    counts: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])  # values 1..5

    @property
    def n(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float | None:
        if not self.n:
            return None
        return sum(value * count for value, count in enumerate(self.counts, start=1)) / self.n


@dataclass
class GroupFigures:
    title: str
    items: list[ItemFigures]

    @property
    def mean(self) -> float | None:
        n = sum(i.n for i in self.items)
        if not n:
            return None
        total = sum(v * c for i in self.items for v, c in enumerate(i.counts, start=1))
        return total / n


@dataclass(frozen=True)
class TextAnswer:
    question: str
    text: str
    name: str | None  # None in an anonymous course


@dataclass(frozen=True)
class TrendPoint:
    year: int
    responses: int
    mean: float | None


@dataclass
class EvaluationReport:
    evaluation: CourseEvaluation | None
    eligible: int  # learners who passed: those the evaluation is offered to
    responses: int
    drafts: int
    counts_only: bool
    groups: list[GroupFigures] = field(default_factory=list)
    instructors: list[tuple[Instructor, list[GroupFigures]]] = field(default_factory=list)
    texts: list[TextAnswer] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)

    @property
    def anonymous(self) -> bool:
        return self.evaluation is None or self.evaluation.anonymous

    @property
    def response_rate(self) -> float | None:
        return 100 * self.responses / self.eligible if self.eligible else None


def _grouped(figures: list[ItemFigures]) -> list[GroupFigures]:
    groups: list[GroupFigures] = []
    for figure in figures:
        if not groups or groups[-1].title != figure.item.group:
            groups.append(GroupFigures(title=figure.item.group, items=[]))
        groups[-1].items.append(figure)
    return groups


def evaluation_report(*, course: Course) -> EvaluationReport:
    evaluation = CourseEvaluation.objects.select_related("template").filter(course=course).first()
    eligible = Enrollment.objects.filter(course=course, result=EnrollmentResult.PASSED).count()
    counts = EvaluationResponse.objects.filter(course=course).aggregate(
        sent=Count("pk", filter=Q(submitted_at__isnull=False)),
        drafts=Count("pk", filter=Q(submitted_at__isnull=True)),
    )
    responses, drafts = counts["sent"], counts["drafts"]
    anonymous = evaluation is None or evaluation.anonymous
    report = EvaluationReport(
        evaluation=evaluation,
        eligible=eligible,
        responses=responses,
        drafts=drafts,
        counts_only=anonymous and responses < MIN_ANONYMOUS_RESPONSES,
    )
    if evaluation is None or report.counts_only:
        return report

    items = list(EvaluationItem.objects.filter(template_id=evaluation.template_id))
    sent = EvaluationAnswer.objects.filter(
        response__course=course, response__submitted_at__isnull=False
    )
    # One GROUP BY for every distribution: (item, instructor, value) → count.
    cells: dict[tuple[int, int | None], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for item_id, instructor_id, value, n in (
        sent.filter(value__isnull=False)
        .values_list("item_id", "instructor_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        cells[(item_id, instructor_id)][value - 1] = n
    scale_items = [item for item in items if item.kind == ItemKind.SCALE]
    report.groups = _grouped(
        [
            ItemFigures(item=item, counts=list(cells[(item.pk, None)]))
            for item in scale_items
            if not item.per_instructor
        ]
    )
    for instructor in course.instructors.order_by("name", "pk"):
        report.instructors.append(
            (
                instructor,
                _grouped(
                    [
                        ItemFigures(item=item, counts=list(cells[(item.pk, instructor.pk)]))
                        for item in scale_items
                        if item.per_instructor
                    ]
                ),
            )
        )
    texts = sent.filter(item__kind=ItemKind.TEXT).exclude(text="")
    if anonymous:
        # No name read; ordered by the text itself, not by who answered first.
        report.texts = [
            TextAnswer(question=question, text=text, name=None)
            for question, text in texts.values_list("item__text", "text").order_by(
                "item__position", "text"
            )
        ]
    else:
        report.texts = [
            TextAnswer(question=question, text=text, name=name)
            for question, text, name in texts.values_list(
                "item__text", "text", "response__user__full_name"
            ).order_by("item__position", "response__submitted_at")
        ]
    report.trend = _trend(course)
    return report


def _trend(course: Course) -> list[TrendPoint]:
    """Per year the responses were sent in (a course runs again each year): the number of
    responses and the mean of every 1–5 answer."""
    tz = institution_tz()
    per_year: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # responses, sum, n
    for submitted_at in (
        EvaluationResponse.objects.filter(course=course, submitted_at__isnull=False)
        .values_list("submitted_at", flat=True)
        .order_by()
    ):
        assert submitted_at is not None
        per_year[submitted_at.astimezone(tz).year][0] += 1
    sums = (
        EvaluationAnswer.objects.filter(
            response__course=course, response__submitted_at__isnull=False, value__isnull=False
        )
        .values_list("response__submitted_at", "value")
        .order_by()
    )
    for submitted_at, value in sums:
        if submitted_at is None or value is None:  # excluded by the filter
            continue
        entry = per_year[submitted_at.astimezone(tz).year]
        entry[1] += value
        entry[2] += 1
    return [
        TrendPoint(year=year, responses=r, mean=(s / n if n else None))
        for year, (r, s, n) in sorted(per_year.items())
    ]


# --- Pre-test against final test ---------------------------------------------------------------


@dataclass(frozen=True)
class GainRow:
    label: str  # the learner's name, or "Peserta 3" in an anonymous course
    pre: Decimal | None
    post: Decimal | None

    @property
    def gain(self) -> Decimal | None:
        return learning_gain(pre=self.pre, post=self.post)

    @property
    def normalized(self) -> Decimal | None:
        return normalized_gain(pre=self.pre, post=self.post)


@dataclass
class GainReport:
    anonymous: bool
    has_pretest: bool
    learners: int  # with a pre-test or a final score
    both: int  # with both
    counts_only: bool
    rows: list[GainRow] = field(default_factory=list)

    def _mean(self, values: list[Decimal | None]) -> float | None:
        present = [float(v) for v in values if v is not None]
        return sum(present) / len(present) if present else None

    @property
    def paired(self) -> list[GainRow]:
        return [row for row in self.rows if row.pre is not None and row.post is not None]

    @property
    def mean_pre(self) -> float | None:
        return self._mean([row.pre for row in self.paired])

    @property
    def mean_post(self) -> float | None:
        return self._mean([row.post for row in self.paired])

    @property
    def mean_gain(self) -> float | None:
        return self._mean([row.gain for row in self.paired])

    @property
    def mean_normalized(self) -> float | None:
        """The mean of the learners' normalized gains (a pre-test of 100 has none)."""
        return self._mean([row.normalized for row in self.paired])

    def hake_bands(self) -> list[tuple[str, int]]:
        """Normalized gain in Hake's bands: low (< 0.3), medium (0.3–0.7), high (≥ 0.7)."""
        values = [row.normalized for row in self.paired if row.normalized is not None]
        return [
            ("< 0,3", sum(1 for v in values if v < Decimal("0.3"))),
            ("0,3–0,7", sum(1 for v in values if Decimal("0.3") <= v < Decimal("0.7"))),
            ("≥ 0,7", sum(1 for v in values if v >= Decimal("0.7"))),
        ]


def gain_report(*, course: Course, anonymous_label: str = "Peserta %(n)d") -> GainReport:
    anonymous = (
        CourseEvaluation.objects.filter(course=course).values_list("anonymous", flat=True).first()
    )
    is_anonymous = bool(anonymous)
    pre_by_user = dict(
        Attempt.objects.filter(
            exam__course=course, exam__is_pretest=True, state=AttemptState.GRADED
        )
        .order_by("user_id", "-number")
        .values_list("user_id", "score")
    )
    has_pretest = course.exams.filter(is_pretest=True).exists()
    enrollments = Enrollment.objects.filter(course=course).filter(
        Q(final_score__isnull=False) | Q(user_id__in=list(pre_by_user))
    )
    fields = (
        ("user_id", "final_score")
        if is_anonymous
        else ("user_id", "final_score", "user__full_name")
    )
    # An anonymous course's learners are numbered by their final score, not by name.
    order = ("-final_score", "pk") if is_anonymous else ("user__full_name", "user_id")
    data = list(enrollments.order_by(*order).values_list(*fields))
    rows: list[GainRow] = []
    for index, values in enumerate(data, start=1):
        user_id, post = values[0], values[1]
        label = anonymous_label % {"n": index} if is_anonymous else str(values[2])
        rows.append(GainRow(label=label, pre=pre_by_user.get(user_id), post=post))
    both = sum(1 for row in rows if row.pre is not None and row.post is not None)
    counts_only = is_anonymous and both < MIN_ANONYMOUS_RESPONSES
    return GainReport(
        anonymous=is_anonymous,
        has_pretest=has_pretest,
        learners=len(rows),
        both=both,
        counts_only=counts_only,
        rows=[] if counts_only else rows,
    )
