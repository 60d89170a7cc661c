"""The course player: materials in order, "Sebelumnya" / "Selanjutnya", videos and attachments.

Every view here, the file views included, goes through `study_required`: a guessed
URL opens nothing that the player's links would not.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from mooc.accounts.models import User
from mooc.catalog.models import Course
from mooc.content.embeds import video_embed_url
from mooc.core.errors import ServiceError
from mooc.core.files import private_file_response
from mooc.core.selectors import site_settings_get
from mooc.learning import services
from mooc.learning.images import course_image_storage_name
from mooc.learning.models import Material
from mooc.learning.permissions import StudyAccess, study_access
from mooc.learning.selectors import (
    CourseOutline,
    attachment_get_for_study,
    course_outline_get,
    material_get_for_study,
)

StudyView = Callable[..., HttpResponseBase]


def study_required(view: StudyView) -> StudyView:
    """Load the course from the URL's slug and let in only those who may study it.

    Visitors go to login; signed-in users without an enrolment go to the course
    page to enrol; an unpublished course does not exist for them.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            # After login a POST URL would answer 405: come back to the course instead.
            if request.method == "POST":
                return redirect_to_login(reverse("learning:course_start", args=[slug]))
            return redirect_to_login(request.get_full_path())
        assert isinstance(request.user, User)
        course = get_object_or_404(Course, slug=slug)
        access = study_access(request.user, course)
        if access is None:
            if not course.is_published:
                raise Http404
            enroll = site_settings_get().vocabulary.enroll
            messages.info(
                request,
                _("To open the materials, press “%(enroll)s” first.") % {"enroll": enroll},
            )
            return redirect(course)
        return view(request, course, access, **kwargs)

    return wrapper


def _learner(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _material_url(course: Course, material: Material | None) -> str:
    if material is None:
        return reverse("learning:course_end", args=[course.slug])
    return reverse("learning:material", args=[course.slug, material.pk])


def _player_context(course: Course, access: StudyAccess, outline: CourseOutline) -> dict[str, Any]:
    return {
        "course": course,
        "outline": outline,
        "progress": outline.progress,
        "previewing": access is StudyAccess.STAFF,
    }


@require_safe
@never_cache
@study_required
def course_start(request: HttpRequest, course: Course, access: StudyAccess) -> HttpResponse:
    outline = course_outline_get(course=course, user=_learner(request))
    first = outline.first_unfinished()
    if first is None:
        return render(
            request, "learning/no_materials.html", _player_context(course, access, outline)
        )
    return redirect(_material_url(course, first))


@require_safe
@never_cache
@study_required
def material(
    request: HttpRequest, course: Course, access: StudyAccess, material_id: int
) -> HttpResponse:
    outline = course_outline_get(course=course, user=_learner(request))
    # The outline holds titles only; the text is loaded for the one material shown.
    current = None
    if outline.get(material_id) is not None:
        current = material_get_for_study(course=course, material_id=material_id)
    if current is None:
        raise Http404
    context = _player_context(course, access, outline)
    context.update(
        material=current,
        previous=outline.previous(current),
        embed_url=video_embed_url(current.video_url) if current.video_url else None,
        video_type=mimetypes.guess_type(current.video_file.name or "")[0] or "",
    )
    return render(request, "learning/material.html", context)


@require_POST
@study_required
def material_complete(
    request: HttpRequest, course: Course, access: StudyAccess, material_id: int
) -> HttpResponse:
    """ "Selanjutnya": mark this material done and open the next one (or the end)."""
    outline = course_outline_get(course=course, user=_learner(request))
    current = outline.get(material_id)
    if current is None:
        raise Http404
    if access is StudyAccess.LEARNER:
        try:
            services.material_complete(user=_learner(request), material=current)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(_material_url(course, current))
    return redirect(_material_url(course, outline.next(current)))


@require_safe
@never_cache
@study_required
def course_end(request: HttpRequest, course: Course, access: StudyAccess) -> HttpResponse:
    outline = course_outline_get(course=course, user=_learner(request))
    context = _player_context(course, access, outline)
    if not outline.materials:
        return render(request, "learning/no_materials.html", context)
    context.update(
        all_done=outline.all_done,
        first_unfinished=None if outline.all_done else outline.first_unfinished(),
        last=outline.materials[-1],
    )
    return render(request, "learning/course_end.html", context)


@require_safe
@study_required
def material_video(
    request: HttpRequest, course: Course, access: StudyAccess, material_id: int
) -> HttpResponseBase:
    found = material_get_for_study(course=course, material_id=material_id)
    if found is None or not found.video_file:
        raise Http404
    response = private_file_response(request, found.video_file.name)
    # Browsers may keep it for seeking back; shared caches must not.
    patch_cache_control(response, private=True)
    return response


@require_safe
@study_required
def attachment(
    request: HttpRequest, course: Course, access: StudyAccess, attachment_id: int
) -> HttpResponseBase:
    found = attachment_get_for_study(course=course, attachment_id=attachment_id)
    if found is None:
        raise Http404
    name = found.file.name
    response = private_file_response(
        request, name, download_name=name.rsplit("/", 1)[-1], as_attachment=True
    )
    patch_cache_control(response, private=True)
    return response


@require_safe
@study_required
def material_image(
    request: HttpRequest, course: Course, access: StudyAccess, name: str
) -> HttpResponseBase:
    """A picture of this course's materials, to those who may study the course."""
    stored = course_image_storage_name(course_id=course.pk, name=name)
    if stored is None:
        raise Http404
    response = private_file_response(request, stored)
    # Each upload has a new name: the browser may keep it, shared caches must not.
    patch_cache_control(response, private=True, max_age=86400)
    return response
