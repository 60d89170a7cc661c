"""Reads for the catalogue, course pages, Beranda, favourites and my courses.

Each selector loads what its page shows in a fixed number of queries, whatever the
number of courses, sections or materials: counts are annotated as subqueries and
related rows come in with select_related/prefetch_related. The page tests pin
those numbers (tests/test_catalog_query_counts.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from mooc.accounts.models import User
from mooc.catalog.models import (
    Category,
    Course,
    Enrollment,
    EnrollmentResult,
    EnrollmentStatus,
    Favorite,
    Level,
)
from mooc.core.timezones import institution_tz
from mooc.learning.models import Material, Section
from mooc.learning.selectors import Progress, progress_by_course

# PP 11/2017: every ASN collects at least 20 JP of training a year.
JP_TARGET_PER_YEAR = 20
# A search box is not a place for essays; more words only make the query slower.
SEARCH_MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+")


# --- Building blocks ----------------------------------------------------------------------


def _participant_count() -> Coalesce:
    """Learners enrolled in the outer course, as a correlated subquery: unlike
    Count() it needs no GROUP BY, so it combines freely with search ranking."""
    per_course = (
        Enrollment.objects.filter(course=OuterRef("pk"))
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_course, output_field=IntegerField()), Value(0))


def _course_cards() -> QuerySet[Course]:
    """Published courses with what a card shows: category and participant count."""
    return (
        Course.objects.published()
        .select_related("category")
        .annotate(participant_count=_participant_count())
    )


def _open_for_enrolment(now: dt.datetime) -> Q:
    """The date rules of `enrollment_refusal`, as a filter."""
    return (
        (Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        & (Q(enroll_opens_at__isnull=True) | Q(enroll_opens_at__lte=now))
        & (Q(enroll_closes_at__isnull=True) | Q(enroll_closes_at__gt=now))
    )


def search_words(query: str) -> list[str]:
    """The words of a search, lower-cased, without punctuation (which would also
    be syntax in a PostgreSQL tsquery)."""
    return [word.lower() for word in _WORD.findall(query)][:SEARCH_MAX_WORDS]


def _search(courses: QuerySet[Course], query: str) -> QuerySet[Course]:
    words = search_words(query)
    if not words:
        return courses.order_by("-created_at", "-id")
    if connection.vendor == "postgresql":
        return _search_postgresql(courses, query, words)
    # SQLite (development, the embedded demo): every word somewhere in title or summary.
    for word in words:
        courses = courses.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return courses.order_by("-created_at", "-id")


def _search_postgresql(courses: QuerySet[Course], query: str, words: list[str]) -> QuerySet[Course]:
    """Full-text search with the "simple" configuration (no stemming: the titles
    are Indonesian, and PostgreSQL ships no Indonesian stemmer). Every word is a
    prefix ("etik" finds "etika"), and a title containing the typed text also
    matches, so a fragment from the middle of a word still finds its course."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = SearchVector("title", weight="A", config="simple") + SearchVector(
        "summary", weight="B", config="simple"
    )
    # The words are letters and digits only, so this raw tsquery cannot be malformed.
    tsquery = SearchQuery(
        " & ".join(f"{word}:*" for word in words), search_type="raw", config="simple"
    )
    return (
        courses.annotate(search=vector, rank=SearchRank(vector, tsquery))
        .filter(Q(search=tsquery) | Q(title__icontains=query.strip()))
        .order_by("-rank", "-created_at", "-id")
    )


# --- Catalogue and home page --------------------------------------------------------------


def category_list() -> list[Category]:
    return list(Category.objects.order_by("order", "name"))


def course_list_published(
    *, category: str = "", level: str = "", query: str = ""
) -> QuerySet[Course]:
    """The catalogue: published courses, filtered by category slug and level,
    searched on title and summary; best match first when searching, else newest."""
    courses = _course_cards()
    if category:
        courses = courses.filter(category__slug=category)
    if level in Level.values:
        courses = courses.filter(level=level)
    return _search(courses, query)


def course_highlights(*, limit: int = 6) -> list[Course]:
    """The home page's courses: published and not over, newest first."""
    now = timezone.now()
    courses = _course_cards().filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
    return list(courses.order_by("-created_at", "-id")[:limit])


def favorite_course_ids(*, user: User, course_ids: Iterable[int]) -> set[int]:
    """Which of these courses carry this learner's heart (one query)."""
    ids = list(course_ids)
    if not ids:
        return set()
    return set(
        Favorite.objects.filter(user=user, course_id__in=ids).values_list("course_id", flat=True)
    )


def favorite_courses(*, user: User) -> QuerySet[Course]:
    """The learner's wishlist ("Favorite"), most recently hearted first."""
    # order_by reuses the filter's join: one favourite row per course and user.
    return _course_cards().filter(favorites__user=user).order_by("-favorites__created_at", "-id")


# --- Course detail ------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseDetail:
    course: Course
    # Current (not retired) sections, each with `current_materials`.
    sections: list[Section]
    participant_count: int
    is_enrolled: bool
    is_favorite: bool
    has_passed: bool = False

    @property
    def material_count(self) -> int:
        counts: list[int] = [len(section.current_materials) for section in self.sections]  # type: ignore[attr-defined]
        return sum(counts)


def course_get_detail(
    *, slug: str, user: User | None, include_unpublished: bool = False
) -> CourseDetail | None:
    """Everything the course page shows, or None when there is no such course
    (or it is unpublished and the reader may not preview it)."""
    courses = Course.objects.select_related("category").annotate(
        participant_count=_participant_count()
    )
    if not include_unpublished:
        courses = courses.published()
    if user is not None:
        courses = courses.annotate(
            is_enrolled=Exists(Enrollment.objects.filter(user=user, course=OuterRef("pk"))),
            is_favorite=Exists(Favorite.objects.filter(user=user, course=OuterRef("pk"))),
            has_passed=Exists(
                Enrollment.objects.filter(
                    user=user, course=OuterRef("pk"), result=EnrollmentResult.PASSED
                )
            ),
        )
    materials = Material.objects.filter(is_retired=False).only("id", "section_id", "title")
    sections = Section.objects.current().prefetch_related(
        Prefetch("materials", queryset=materials, to_attr="current_materials")
    )
    course = (
        courses.prefetch_related(
            "instructors", Prefetch("sections", queryset=sections, to_attr="current_sections")
        )
        .filter(slug=slug)
        .first()
    )
    if course is None:
        return None
    return CourseDetail(
        course=course,
        sections=course.current_sections,  # type: ignore[attr-defined]
        participant_count=course.participant_count,  # type: ignore[attr-defined]
        is_enrolled=bool(getattr(course, "is_enrolled", False)),
        is_favorite=bool(getattr(course, "is_favorite", False)),
        has_passed=bool(getattr(course, "has_passed", False)),
    )


def course_get(*, slug: str, include_unpublished: bool = False) -> Course | None:
    """One course for enrolling or the heart; unpublished ones only for previewers."""
    courses = Course.objects.all() if include_unpublished else Course.objects.published()
    return courses.filter(slug=slug).first()


def enrollment_exists(*, user: User, course: Course) -> bool:
    return Enrollment.objects.filter(user=user, course=course).exists()


# --- Beranda and my courses ---------------------------------------------------------------


@dataclass(frozen=True)
class LearnerTotals:
    total: int
    active: int
    completed: int
    jp_this_year: int
    jp_target: int = JP_TARGET_PER_YEAR

    @property
    def jp_percent(self) -> int:
        return min(100, round(100 * self.jp_this_year / self.jp_target)) if self.jp_target else 100


def _local_year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """1 January 00:00 of `year` and of the next year, in the institution's time
    zone: a course passed on 31 December at 23:30 WIB counts for that year."""
    tz = institution_tz()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def learner_totals(*, user: User, year: int) -> LearnerTotals:
    """Beranda's counters and the JP collected in `year` (local), in one query."""
    start, end = _local_year_bounds(year)
    passed_this_year = Q(
        result=EnrollmentResult.PASSED, completed_at__gte=start, completed_at__lt=end
    )
    row = Enrollment.objects.filter(user=user).aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status=EnrollmentStatus.ACTIVE)),
        completed=Count("pk", filter=Q(status=EnrollmentStatus.COMPLETED)),
        jp=Coalesce(Sum("jp", filter=passed_this_year), Value(0)),
    )
    return LearnerTotals(
        total=row["total"], active=row["active"], completed=row["completed"], jp_this_year=row["jp"]
    )


def enrollment_list(*, user: User, status: str = "") -> QuerySet[Enrollment]:
    """The learner's enrolments with their courses; `status` narrows to one status.
    Completed ones are listed by completion, the others by enrolment, newest first."""
    enrollments = Enrollment.objects.filter(user=user).select_related("course", "course__category")
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


def courses_available(*, user: User, limit: int = 4) -> list[Course]:
    """Courses this learner could enrol in right now and has not: published,
    within their dates and enrolment window, internal-only ones for internal staff."""
    courses = (
        _course_cards()
        .filter(_open_for_enrolment(timezone.now()))
        .exclude(Exists(Enrollment.objects.filter(user=user, course=OuterRef("pk"))))
    )
    if not user.is_internal:
        courses = courses.filter(internal_only=False)
    return list(courses.order_by("-created_at", "-id")[:limit])


@dataclass(frozen=True)
class EnrollmentRow:
    enrollment: Enrollment
    progress: Progress


def with_progress(*, user: User, enrollments: Sequence[Enrollment]) -> list[EnrollmentRow]:
    """Pair each enrolment with the learner's progress in its course (two queries)."""
    progress = progress_by_course(user=user, course_ids=[e.course_id for e in enrollments])
    return [EnrollmentRow(e, progress[e.course_id]) for e in enrollments]
