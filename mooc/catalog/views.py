"""Catalogue, course detail, enrolling, favourites, Beranda and my courses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from mooc.accounts.models import User
from mooc.catalog import selectors, services
from mooc.catalog.forms import CatalogueFilterForm
from mooc.catalog.models import Course, EnrollmentStatus
from mooc.content.embeds import video_embed_url
from mooc.core.errors import ServiceError
from mooc.core.timezones import local_year
from mooc.learning import selectors as progress

CATALOGUE_PER_PAGE = 12
FAVORITES_PER_PAGE = 12
MY_COURSES_PER_PAGE = 20
# Long enough to absorb a crowd opening the same course page, short enough that a
# newly published course or a closed enrolment window shows within a minute.
VISITOR_MAX_AGE = 60
# The tabs of "Kursus yang Diikuti": query value → enrolment status ("" = all).
MY_COURSES_TABS = {"": "", "aktif": EnrollmentStatus.ACTIVE, "selesai": EnrollmentStatus.COMPLETED}

View = Callable[..., HttpResponse]
M = TypeVar("M", bound=Model)


def visitor_cacheable(view: View) -> View:
    """Visitors' pages hold nothing personal, so browsers and shared caches may keep
    them for a minute; `Vary: Cookie` keeps a signed-in learner's page apart."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ("Cookie",))
        flashed = getattr(request, "_messages", None)
        shareable = (
            not request.user.is_authenticated
            and response.status_code == 200
            and not (flashed is not None and flashed.used)  # a one-off message was shown
        )
        if shareable:
            patch_cache_control(response, public=True, max_age=VISITOR_MAX_AGE)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    return wrapper


def _learner(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _learner_or_none(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _can_preview(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and request.user.is_staff)


def _paginate(request: HttpRequest, items: QuerySet[M], per_page: int) -> dict[str, Any]:
    paginator = Paginator(items, per_page)
    page = paginator.get_page(request.GET.get("page"))
    page_range = paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return {"page": page, "page_range": page_range}


def _favorite_ids(request: HttpRequest, courses: Page[Course] | Sequence[Course]) -> set[int]:
    user = _learner_or_none(request)
    if user is None:
        return set()
    return selectors.favorite_course_ids(user=user, course_ids=[course.pk for course in courses])


def _course_start_url(course: Course) -> str:
    """Where an enrolled learner continues: the course player (next material)."""
    return reverse("learning:course_start", args=[course.slug])


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_safe
@visitor_cacheable
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET, categories=selectors.category_list())
    filters = form.filters()
    courses = selectors.course_list_published(
        category=filters["category"], level=filters["level"], query=filters["q"]
    )
    context = {
        "form": form,
        "filtered": any(filters.values()),
        **_paginate(request, courses, CATALOGUE_PER_PAGE),
    }
    context["favorite_ids"] = _favorite_ids(request, context["page"])
    return render(request, "catalog/catalogue.html", context)


@require_safe
@visitor_cacheable
def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = _learner_or_none(request)
    detail = selectors.course_get_detail(
        slug=slug, user=user, include_unpublished=_can_preview(request)
    )
    if detail is None:
        raise Http404("No published course with this slug.")
    course = detail.course
    context = {
        "detail": detail,
        "course": course,
        # A visitor gets the course-wide reasons only; who they are is known after login.
        "refusal": None
        if detail.is_enrolled
        else services.enrollment_refusal(user=user, course=course),
        "preview_embed_url": video_embed_url(course.preview_video_url)
        if course.preview_video_url
        else None,
    }
    return render(request, "catalog/course_detail.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enroll(request: HttpRequest, slug: str) -> HttpResponse:
    """POST enrols (twice is harmless). GET, where a visitor lands after logging in
    from the course page, only asks to confirm: a link must never enrol anybody."""
    user = _learner(request)
    course = selectors.course_get(slug=slug, include_unpublished=user.is_staff)
    if course is None:
        raise Http404("No published course with this slug.")
    if request.method == "POST":
        try:
            _enrollment, created = services.enrollment_create(user=user, course=course)
        except ServiceError as error:
            messages.error(request, str(error.message))
            return redirect(course)
        if created:
            messages.success(
                request, _("You are enrolled in “%(course)s”.") % {"course": course.title}
            )
        return redirect(_course_start_url(course))
    if selectors.enrollment_exists(user=user, course=course):
        return redirect(_course_start_url(course))
    refusal = services.enrollment_refusal(user=user, course=course)
    return render(request, "catalog/enroll_confirm.html", {"course": course, "refusal": refusal})


@login_required
@require_http_methods(["GET", "POST"])
def favorite_toggle(request: HttpRequest, slug: str) -> HttpResponse:
    """The heart. With htmx the button is swapped in place; without JavaScript the
    form posts and the learner goes back to the page it came from."""
    user = _learner(request)
    course = selectors.course_get(slug=slug, include_unpublished=user.is_staff)
    if course is None:
        raise Http404("No published course with this slug.")
    if request.method == "GET":
        # Only reached through the login page after a session expired: change nothing.
        return redirect(course)
    is_favorite = services.favorite_toggle(user=user, course=course)
    next_url = _safe_next(request, fallback=course.get_absolute_url())
    if request.headers.get("HX-Request") == "true":
        context = {"course": course, "is_favorite": is_favorite, "next": next_url}
        return render(request, "catalog/_favorite_button.html", context)
    messages.success(
        request,
        _("Added to your favourites.") if is_favorite else _("Removed from your favourites."),
    )
    return redirect(next_url)


@login_required
@require_safe
def favorites(request: HttpRequest) -> HttpResponse:
    courses = selectors.favorite_courses(user=_learner(request))
    context = _paginate(request, courses, FAVORITES_PER_PAGE)
    context["favorite_ids"] = {course.pk for course in context["page"]}
    return render(request, "catalog/favorites.html", context)


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _learner(request)
    available = selectors.courses_available(user=user)
    continuing = progress.enrollments_to_continue(user=user)
    context = {
        "me": user,
        "year": local_year(),
        "totals": progress.learner_totals(user=user, year=local_year()),
        "continuing": progress.with_progress(user=user, enrollments=continuing),
        "available": available,
        "favorite_ids": _favorite_ids(request, available),
    }
    return render(request, "catalog/dashboard.html", context)


@login_required
@require_safe
def my_courses(request: HttpRequest) -> HttpResponse:
    user = _learner(request)
    tab = request.GET.get("tab", "")
    tab = tab if tab in MY_COURSES_TABS else ""
    enrollments = progress.enrollment_list(user=user, status=MY_COURSES_TABS[tab])
    context = {"tab": tab, **_paginate(request, enrollments, MY_COURSES_PER_PAGE)}
    context["rows"] = progress.with_progress(user=user, enrollments=list(context["page"]))
    # The tabs' counts only: the JP figure is Beranda's.
    context["totals"] = progress.learner_totals(user=user, year=local_year(), with_ledger=False)
    return render(request, "catalog/my_courses.html", context)
