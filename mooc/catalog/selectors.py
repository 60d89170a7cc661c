"""Reads for the catalogue, course pages, favourites and Beranda's courses to enrol in
(the learner's own enrolments and progress are read in `mooc.learning.selectors`).

Each selector loads what its page shows in a fixed number of queries, whatever the
number of courses, sections or materials: counts are annotated as subqueries and
related rows come in with select_related/prefetch_related. The page tests pin
those numbers (tests/test_catalog_query_counts.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
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
    Favorite,
    Level,
    instructors_prefetch,
)
from mooc.learning.models import Material, Section

# A search box is not a place for essays; more words only make the query slower.
SEARCH_MAX_WORDS = 8
# certificates.models.CertificateState.REVOKED, named here because catalog sits below it.
CERTIFICATE_REVOKED = "revoked"
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
    certificate_revoked: bool = False

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
            # Through the reverse one-to-one: catalog sits below certificates.
            certificate_revoked=Exists(
                Enrollment.objects.filter(
                    user=user, course=OuterRef("pk"), certificate__state=CERTIFICATE_REVOKED
                )
            ),
        )
    materials = Material.objects.filter(is_retired=False).only("id", "section_id", "title")
    sections = Section.objects.current().prefetch_related(
        Prefetch("materials", queryset=materials, to_attr="current_materials")
    )
    course = (
        courses.prefetch_related(
            instructors_prefetch(),
            Prefetch("sections", queryset=sections, to_attr="current_sections"),
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
        certificate_revoked=bool(getattr(course, "certificate_revoked", False)),
    )


def course_get(*, slug: str, include_unpublished: bool = False) -> Course | None:
    """One course for enrolling or the heart; unpublished ones only for previewers."""
    courses = Course.objects.all() if include_unpublished else Course.objects.published()
    return courses.filter(slug=slug).first()


def enrollment_exists(*, user: User, course: Course) -> bool:
    return Enrollment.objects.filter(user=user, course=course).exists()


# --- Beranda ----------------------------------------------------------------------------


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
