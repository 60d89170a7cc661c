"""Reads about learners' progress: Beranda's counters, continue learning, my courses,
and the course player's outline."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from mooc.accounts.models import User
from mooc.catalog.models import Course, Enrollment, EnrollmentResult, EnrollmentStatus
from mooc.core.timezones import year_bounds
from mooc.learning.models import Attachment, Material, MaterialProgress, Section


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress_by_course(*, user: User, course_ids: Iterable[int]) -> dict[int, Progress]:
    """Completed and total current materials per course, in two queries whatever the count."""
    ids = list(course_ids)
    totals = dict(
        Material.objects.current()
        .filter(section__course_id__in=ids)
        .values("section__course_id")
        .annotate(n=Count("id"))
        .values_list("section__course_id", "n")
    )
    done = dict(
        MaterialProgress.objects.filter(
            user=user,
            course_id__in=ids,
            material__is_retired=False,
            material__section__is_retired=False,
        )
        .values("course_id")
        .annotate(n=Count("id"))
        .values_list("course_id", "n")
    )
    return {cid: Progress(done.get(cid, 0), totals.get(cid, 0)) for cid in ids}


@dataclass(frozen=True)
class OutlineSection:
    section: Section
    materials: list[Material]


@dataclass(frozen=True)
class CourseOutline:
    """A course's current sections and materials in order, and what the learner has done.

    Previous/next are worked out here from the loaded list, so the player needs no
    query per step whatever the size of the course.
    """

    sections: list[OutlineSection]
    done_ids: frozenset[int]

    @cached_property
    def materials(self) -> list[Material]:
        return [material for part in self.sections for material in part.materials]

    @cached_property
    def _positions(self) -> dict[int, int]:
        return {material.pk: index for index, material in enumerate(self.materials)}

    @property
    def progress(self) -> Progress:
        done = sum(1 for material in self.materials if material.pk in self.done_ids)
        return Progress(done, len(self.materials))

    @property
    def all_done(self) -> bool:
        return all(material.pk in self.done_ids for material in self.materials)

    def get(self, material_id: int) -> Material | None:
        position = self._positions.get(material_id)
        return None if position is None else self.materials[position]

    def previous(self, material: Material) -> Material | None:
        position = self._positions[material.pk]
        return self.materials[position - 1] if position > 0 else None

    def next(self, material: Material) -> Material | None:
        position = self._positions[material.pk] + 1
        return self.materials[position] if position < len(self.materials) else None

    def first_unfinished(self) -> Material | None:
        """Where "continue learning" goes: the first material not done, else the first."""
        for material in self.materials:
            if material.pk not in self.done_ids:
                return material
        return self.materials[0] if self.materials else None


# The outline only shows titles and kinds: the text of every material stays in the database.
_OUTLINE_FIELDS = (
    "id",
    "section_id",
    "title",
    "order",
    "video_file",
    "video_url",
    "duration_minutes",
)


def course_outline_get(*, course: Course, user: User) -> CourseOutline:
    """The player's navigation: three queries whatever the number of sections and materials."""
    sections = (
        Section.objects.current()
        .filter(course=course)
        .order_by("order", "id")
        .prefetch_related(
            Prefetch(
                "materials",
                queryset=Material.objects.current().only(*_OUTLINE_FIELDS).order_by("order", "id"),
                to_attr="current_materials",
            )
        )
    )
    done_ids = frozenset(
        MaterialProgress.objects.filter(user=user, course=course).values_list(
            "material_id", flat=True
        )
    )
    parts = [
        OutlineSection(section, getattr(section, "current_materials", [])) for section in sections
    ]
    # Sections with nothing current to show would only be empty headings in the navigation.
    return CourseOutline([part for part in parts if part.materials], done_ids)


def material_get_for_study(*, course: Course, material_id: int) -> Material | None:
    """A current material of this course; None for retired materials and other courses'
    ones, so a guessed id never opens another course."""
    return (
        Material.objects.current()
        .filter(pk=material_id, section__course=course)
        .select_related("section")
        .first()
    )


def attachment_get_for_study(*, course: Course, attachment_id: int) -> Attachment | None:
    return (
        Attachment.objects.filter(
            pk=attachment_id,
            material__section__course=course,
            material__is_retired=False,
            material__section__is_retired=False,
        )
        .only("id", "file", "material_id")
        .first()
    )


# --- Beranda and my courses ---------------------------------------------------------------

# PP 11/2017: every ASN collects at least 20 JP of training a year.
JP_TARGET_PER_YEAR = 20

# The JP ledger's own rule (revoked certificates drop out, training done elsewhere
# counts, the yearly target per employee type) lives in the reports app, above this
# one. It registers itself here when the site starts (ReportsConfig.ready), so that
# Beranda's JP bar shows the figure of "Riwayat JP"; without it, the passes' JP count.
JpLedger = Callable[[User, int], tuple[int, int | None]]  # (JP, target or None)
_jp_ledger: list[JpLedger] = []


def jp_ledger_register(ledger: JpLedger) -> None:
    _jp_ledger[:] = [ledger]


@dataclass(frozen=True)
class LearnerTotals:
    total: int
    active: int
    completed: int
    jp_this_year: int
    jp_target: int | None = JP_TARGET_PER_YEAR  # None: no target applies

    @property
    def jp_percent(self) -> int:
        return min(100, round(100 * self.jp_this_year / self.jp_target)) if self.jp_target else 100

    @property
    def jp_reached(self) -> bool:
        return self.jp_target is None or self.jp_this_year >= self.jp_target


def learner_totals(*, user: User, year: int, with_ledger: bool = True) -> LearnerTotals:
    """Beranda's counters and the JP collected in `year` (local), in one query, and one
    more for the ledger's figure; `with_ledger=False` for pages that show only counts."""
    start, end = year_bounds(year)
    passed_this_year = Q(
        result=EnrollmentResult.PASSED, completed_at__gte=start, completed_at__lt=end
    )
    row = Enrollment.objects.filter(user=user).aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status=EnrollmentStatus.ACTIVE)),
        completed=Count("pk", filter=Q(status=EnrollmentStatus.COMPLETED)),
        jp=Coalesce(Sum("jp", filter=passed_this_year), Value(0)),
    )
    jp: int = row["jp"]
    target: int | None = JP_TARGET_PER_YEAR
    if _jp_ledger and with_ledger:
        jp, target = _jp_ledger[0](user, year)
    return LearnerTotals(
        total=row["total"],
        active=row["active"],
        completed=row["completed"],
        jp_this_year=jp,
        jp_target=target,
    )


def enrollment_list(*, user: User, status: str = "") -> QuerySet[Enrollment]:
    """The learner's enrolments with their courses; `status` narrows to one status.
    Completed ones are listed by completion, the others by enrolment, newest first.
    `certificate_state` (None without a certificate) lets a card mark a revoked one;
    it is read through the reverse one-to-one, as learning sits below certificates."""
    enrollments = (
        Enrollment.objects.filter(user=user)
        .select_related("course", "course__category")
        .annotate(certificate_state=F("certificate__state"))
    )
    if status == EnrollmentStatus.COMPLETED:
        return enrollments.filter(status=status).order_by("-completed_at", "-id")
    if status:
        enrollments = enrollments.filter(status=status)
    return enrollments.order_by("-created_at", "-id")


def enrollments_to_continue(*, user: User, limit: int = 5) -> list[Enrollment]:
    """Active enrolments for "continue learning", most recently touched first."""
    return list(
        enrollment_list(user=user, status=EnrollmentStatus.ACTIVE).order_by("-updated_at", "-id")[
            :limit
        ]
    )


@dataclass(frozen=True)
class EnrollmentRow:
    enrollment: Enrollment
    progress: Progress


def with_progress(*, user: User, enrollments: Sequence[Enrollment]) -> list[EnrollmentRow]:
    """Pair each enrolment with the learner's progress in its course (two queries)."""
    progress = progress_by_course(user=user, course_ids=[e.course_id for e in enrollments])
    return [EnrollmentRow(e, progress[e.course_id]) for e in enrollments]
