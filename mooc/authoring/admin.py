"""The course builder: one page per course, inside the course admin.

`admin/catalog/course/<id>/builder/` shows the course as an outline (sections, their
materials and attachments, the exams) with links to add and edit each item in the
admin, move buttons (and drag and drop) to reorder, the readiness checks, publish /
unpublish and "Preview as learner". The pages are added to the course admin through
`mooc.core.admin_views.admin_urls_add`, as the course packages' are.

Who: those who may edit the course (`mooc.catalog.permissions.courses_editable_by`);
another instructor's course, or an item of another course, is a 404. Reordering needs
"change course"; publishing is for course managers, as in the course form.

Also here: the rich-text editor's image uploads (`.../builder/image/` for a course's
materials, private; `admin/catalog/course/public-image/` for news, FAQ and course
descriptions, public media).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from mooc.accounts.models import User
from mooc.catalog.models import Course
from mooc.catalog.permissions import can_manage_course_people, courses_editable_by
from mooc.core.admin_views import admin_page, admin_urls_add
from mooc.core.errors import ServiceError

from . import services
from .readiness import course_readiness
from .selectors import course_builder_outline

# Public pictures go into news, FAQ answers and course descriptions.
PUBLIC_IMAGE_PERMISSIONS = (
    "content.add_news",
    "content.change_news",
    "content.add_faq",
    "content.change_faq",
    "catalog.change_course",
)


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _builder_url(course: Course) -> str:
    return reverse("admin:catalog_course_builder", args=[course.pk])


def _course_urls(model_admin: admin.ModelAdmin[Course]) -> list[URLPattern]:
    wrap = model_admin.admin_site.admin_view

    def course_for(request: HttpRequest, course_id: int, *, change: bool = False) -> Course:
        """The course if this user may work on it, else 404 (not yours, or no such)."""
        if not request.user.has_perm("catalog.view_course"):
            raise Http404
        course = courses_editable_by(request.user).filter(pk=course_id).first()
        if course is None:
            raise Http404
        if change and not request.user.has_perm("catalog.change_course"):
            raise PermissionDenied
        return course

    def builder(request: HttpRequest, course_id: int) -> HttpResponse:
        course = course_for(request, course_id)
        return admin_page(
            model_admin,
            request,
            "admin/authoring/builder.html",
            title=gettext("Course builder: %(course)s") % {"course": course.title},
            course=course,
            outline=course_builder_outline(course=course),
            readiness=course_readiness(course=course),
            may_change=request.user.has_perm("catalog.change_course"),
            may_publish=can_manage_course_people(request.user),
        )

    def move(request: HttpRequest, course_id: int) -> HttpResponseBase:
        """A move button: one item up or down. Without JavaScript, back to the page."""
        course = course_for(request, course_id, change=True)
        kind = request.POST.get("kind", "")
        item = request.POST.get("item", "")
        offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""), 0)
        try:
            if not item.isdigit():
                raise ServiceError(gettext("Unknown move."), code="bad_request")
            title, position = services.course_item_move(
                course=course,
                kind=kind,  # type: ignore[arg-type]
                item_id=int(item),
                offset=offset,
            )
        except ServiceError as error:
            if error.code == "not_found":
                raise Http404 from None
            if _wants_json(request):
                return JsonResponse({"error": str(error.message)}, status=400)
            messages.error(request, error.message)
            return HttpResponseRedirect(_builder_url(course))
        text = gettext("“%(title)s” is now at position %(position)d.") % {
            "title": title,
            "position": position,
        }
        if _wants_json(request):
            return JsonResponse({"message": text, "position": position})
        messages.success(request, text)
        return HttpResponseRedirect(f"{_builder_url(course)}#{kind}-{item}")

    def reorder(request: HttpRequest, course_id: int) -> HttpResponseBase:
        """Drag and drop: a JSON body {"kind": ..., "ids": [...]} with every sibling."""
        course = course_for(request, course_id, change=True)
        try:
            data = json.loads(request.body or b"{}")
            kind = data.get("kind", "")
            ids = [int(pk) for pk in data.get("ids", [])]
        except (ValueError, TypeError, AttributeError):
            return JsonResponse({"error": gettext("Unknown move.")}, status=400)
        try:
            services.course_items_reorder(course=course, kind=kind, ids=ids)
        except ServiceError as error:
            if error.code == "not_found":
                raise Http404 from None
            return JsonResponse({"error": str(error.message)}, status=400)
        return JsonResponse({"message": gettext("The new order is saved.")})

    def publish(request: HttpRequest, course_id: int) -> HttpResponse:
        """GET: the readiness checks and a confirm button; POST: publish."""
        course = course_for(request, course_id)
        if not can_manage_course_people(request.user):
            raise PermissionDenied
        problem = None
        if request.method == "POST":
            try:
                services.course_publish(
                    course=course,
                    actor=_user(request),
                    confirmed=request.POST.get("confirm") == "1",
                    request=request,
                )
            except ServiceError as error:
                problem = error.message
            else:
                messages.success(
                    request, gettext("“%(course)s” is published.") % {"course": course.title}
                )
                return HttpResponseRedirect(_builder_url(course))
        return admin_page(
            model_admin,
            request,
            "admin/authoring/publish_confirm.html",
            title=gettext("Publish %(course)s") % {"course": course.title},
            course=course,
            readiness=course_readiness(course=course),
            problem=problem,
        )

    def unpublish(request: HttpRequest, course_id: int) -> HttpResponseBase:
        course = course_for(request, course_id)
        if not can_manage_course_people(request.user):
            raise PermissionDenied
        services.course_unpublish(course=course, actor=_user(request), request=request)
        messages.success(
            request,
            gettext("“%(course)s” is no longer published.") % {"course": course.title},
        )
        return HttpResponseRedirect(_builder_url(course))

    def course_image(request: HttpRequest, course_id: int) -> JsonResponse:
        course = course_for(request, course_id)
        if not (
            request.user.has_perm("learning.change_material")
            or request.user.has_perm("learning.add_material")
        ):
            raise PermissionDenied
        return _image_response(
            request, lambda upload: services.course_image_store(course=course, upload=upload)
        )

    def public_image(request: HttpRequest) -> JsonResponse:
        if not any(request.user.has_perm(perm) for perm in PUBLIC_IMAGE_PERMISSIONS):
            raise PermissionDenied
        return _image_response(request, lambda upload: services.public_image_store(upload=upload))

    return [
        path("<int:course_id>/builder/", wrap(builder), name="catalog_course_builder"),
        path(
            "<int:course_id>/builder/move/",
            wrap(require_POST(move)),
            name="catalog_course_builder_move",
        ),
        path(
            "<int:course_id>/builder/reorder/",
            wrap(require_POST(reorder)),
            name="catalog_course_builder_reorder",
        ),
        path(
            "<int:course_id>/builder/publish/",
            wrap(publish),
            name="catalog_course_builder_publish",
        ),
        path(
            "<int:course_id>/builder/unpublish/",
            wrap(require_POST(unpublish)),
            name="catalog_course_builder_unpublish",
        ),
        path(
            "<int:course_id>/builder/image/",
            wrap(require_POST(course_image)),
            name="catalog_course_editor_image",
        ),
        path(
            "public-image/",
            wrap(require_POST(public_image)),
            name="catalog_course_editor_public_image",
        ),
    ]


def _image_response(request: HttpRequest, store: Callable[[Any], str]) -> JsonResponse:
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": gettext("Choose an image file.")}, status=400)
    try:
        url = store(upload)
    except ServiceError as error:
        return JsonResponse({"error": str(error.message)}, status=400)
    return JsonResponse({"url": url})


admin_urls_add(Course, _course_urls)
