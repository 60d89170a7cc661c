"""Categories, the catalogue, course detail, enrolment, favourites, Beranda, my courses."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mooc.accounts.models import User
from mooc.api.auth import bearer, me
from mooc.api.http import MAX_PAGE_SIZE, PageInfo, conditional, paginate
from mooc.api.problems import COMMON, Problem, not_found
from mooc.catalog import selectors, services
from mooc.catalog.models import Course, EnrollmentStatus
from mooc.core.timezones import local_year
from mooc.learning import selectors as progress

router = Router(tags=["catalogue"])


class CategoryOut(Schema):
    slug: str
    name: str
    description: str


@router.get(
    "/categories/", auth=None, response={200: list[CategoryOut], **COMMON}, summary="Categories"
)
def categories(request: HttpRequest) -> list[CategoryOut]:
    return [
        CategoryOut(slug=c.slug, name=c.name, description=c.description)
        for c in selectors.category_list()
    ]


class CourseCard(Schema):
    slug: str
    title: str
    summary: str
    category: str | None
    level: str
    jp: int
    duration_minutes: int | None
    gives_certificate: bool
    participant_count: int
    cover_image_url: str | None


class CoursePage(Schema):
    page: PageInfo
    results: list[CourseCard]


def _card(course: Course) -> CourseCard:
    return CourseCard(
        slug=course.slug,
        title=course.title,
        summary=course.summary,
        category=course.category.name if course.category_id else None,
        level=course.level,
        jp=course.jp,
        duration_minutes=course.duration_minutes,
        gives_certificate=course.gives_certificate,
        participant_count=getattr(course, "participant_count", 0),
        cover_image_url=course.cover_image.url if course.cover_image else None,
    )


class CatalogueQuery(Schema):
    q: str = Field("", max_length=200, description="Words in the title or summary")
    category: str = Field("", max_length=120, description="A category's slug")
    level: Literal["", "dasar", "menengah", "lanjut"] = ""
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(12, ge=1, le=MAX_PAGE_SIZE)


@router.get(
    "/courses/",
    auth=None,
    response={200: CoursePage, 304: None, **COMMON},
    summary="The catalogue (search, filters, pages; ETag)",
)
def catalogue(request: HttpRequest, filters: Query[CatalogueQuery]) -> HttpResponse:
    courses = selectors.course_list_published(
        category=filters.category, level=filters.level, query=filters.q
    )
    items, info = paginate(courses, page=filters.page, page_size=filters.page_size)
    return conditional(request, CoursePage(page=info, results=[_card(c) for c in items]))


class SectionOut(Schema):
    title: str
    materials: list[str]


class CourseDetailOut(CourseCard):
    description: str
    instructors: list[str]
    sections: list[SectionOut]
    material_count: int
    starts_at: str | None
    ends_at: str | None
    is_enrolled: bool
    is_favorite: bool
    has_passed: bool
    enrol_refusal: str | None


@router.get(
    "/courses/{slug}/",
    auth=None,
    response={200: CourseDetailOut, 304: None, **COMMON},
    summary="A course (ETag)",
)
def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = _optional_user(request)
    detail = selectors.course_get_detail(slug=slug[:120], user=user)
    if detail is None:
        raise not_found()
    course = detail.course
    refusal = None if detail.is_enrolled else services.enrollment_refusal(user=user, course=course)
    card = _card(course)
    card.participant_count = detail.participant_count
    out = CourseDetailOut(
        **card.model_dump(),
        description=str(getattr(course, "description", "")),
        instructors=[i.name for i in course.instructors.all()],
        sections=[
            SectionOut(title=s.title, materials=[m.title for m in s.current_materials])  # type: ignore[attr-defined]
            for s in detail.sections
        ],
        material_count=detail.material_count,
        starts_at=course.starts_at.isoformat() if course.starts_at else None,
        ends_at=course.ends_at.isoformat() if course.ends_at else None,
        is_enrolled=detail.is_enrolled,
        is_favorite=detail.is_favorite,
        has_passed=detail.has_passed,
        enrol_refusal=str(refusal.message) if refusal is not None else None,
    )
    return conditional(request, out)


def _optional_user(request: HttpRequest) -> User | None:
    """The caller when an access token came with a public endpoint (a bad one is a
    401, so the app knows to refresh), else None."""
    if "HTTP_AUTHORIZATION" not in request.META:
        return None
    user = bearer(request)
    assert isinstance(user, User)
    return user


def _course_for(request: HttpRequest, slug: str) -> Course:
    course = selectors.course_get(slug=slug[:120])
    if course is None:
        raise not_found()
    return course


class EnrolOut(Schema):
    course: str
    created: bool
    status: str


@router.post(
    "/courses/{slug}/enrol/",
    response={200: EnrolOut, 201: EnrolOut, 409: Problem, **COMMON},
    summary="Enrol (twice is harmless)",
)
def enrol(request: HttpRequest, slug: str) -> Status[EnrolOut]:
    course = _course_for(request, slug)
    enrollment, created = services.enrollment_create(user=me(request), course=course)
    return Status(
        201 if created else 200,
        EnrolOut(course=course.slug, created=created, status=enrollment.status),
    )


@router.put("/me/favourites/{slug}/", response={204: None, **COMMON}, summary="Add a favourite")
def favourite_add(request: HttpRequest, slug: str) -> Status[None]:
    services.favorite_set(user=me(request), course=_course_for(request, slug), favorite=True)
    return Status(204, None)


@router.delete(
    "/me/favourites/{slug}/", response={204: None, **COMMON}, summary="Remove a favourite"
)
def favourite_remove(request: HttpRequest, slug: str) -> Status[None]:
    services.favorite_set(user=me(request), course=_course_for(request, slug), favorite=False)
    return Status(204, None)


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(12, ge=1, le=MAX_PAGE_SIZE)


@router.get("/me/favourites/", response={200: CoursePage, **COMMON}, summary="My favourites")
def favourites(request: HttpRequest, paging: Query[PageQuery]) -> CoursePage:
    items, info = paginate(
        selectors.favorite_courses(user=me(request)), page=paging.page, page_size=paging.page_size
    )
    return CoursePage(page=info, results=[_card(c) for c in items])


class TotalsOut(Schema):
    year: int
    total: int
    active: int
    completed: int
    jp_this_year: int
    jp_target: int | None
    jp_percent: int
    jp_reached: bool


@router.get("/me/dashboard/", response={200: TotalsOut, **COMMON}, summary="Beranda's totals")
def dashboard(request: HttpRequest) -> TotalsOut:
    year = local_year()
    totals = progress.learner_totals(user=me(request), year=year)
    return TotalsOut(
        year=year,
        total=totals.total,
        active=totals.active,
        completed=totals.completed,
        jp_this_year=totals.jp_this_year,
        jp_target=totals.jp_target,
        jp_percent=totals.jp_percent,
        jp_reached=totals.jp_reached,
    )


class MyCourse(Schema):
    course: CourseCard
    status: str
    result: str | None
    final_score: str | None
    enrolled_at: str
    completed_at: str | None
    materials_done: int
    materials_total: int
    percent: int


class MyCoursePage(Schema):
    page: PageInfo
    results: list[MyCourse]


_TABS = {"": "", "aktif": EnrollmentStatus.ACTIVE, "selesai": EnrollmentStatus.COMPLETED}


class MyCoursesQuery(PageQuery):
    tab: Literal["", "aktif", "selesai"] = ""


@router.get("/me/courses/", response={200: MyCoursePage, **COMMON}, summary="My courses by tab")
def my_courses(request: HttpRequest, filters: Query[MyCoursesQuery]) -> MyCoursePage:
    user = me(request)
    enrollments = progress.enrollment_list(user=user, status=_TABS[filters.tab])
    items, info = paginate(enrollments, page=filters.page, page_size=filters.page_size)
    rows = progress.with_progress(user=user, enrollments=items)
    return MyCoursePage(
        page=info,
        results=[
            MyCourse(
                course=_card(row.enrollment.course),
                status=row.enrollment.status,
                result=row.enrollment.result or None,
                final_score=str(row.enrollment.final_score)
                if row.enrollment.final_score is not None
                else None,
                enrolled_at=row.enrollment.created_at.isoformat(),
                completed_at=row.enrollment.completed_at.isoformat()
                if row.enrollment.completed_at
                else None,
                materials_done=row.progress.done,
                materials_total=row.progress.total,
                percent=row.progress.percent,
            )
            for row in rows
        ],
    )
