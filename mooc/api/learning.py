"""The course player: the outline with progress, a material, mark done."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from mooc.api.auth import me
from mooc.api.files import signed_file_url
from mooc.api.http import conditional
from mooc.api.problems import COMMON, ApiProblem, Problem, not_found
from mooc.catalog.models import Course
from mooc.catalog.selectors import course_get
from mooc.content.embeds import video_embed_url
from mooc.exams.selectors.attempts import course_exams_for_user
from mooc.learning import services
from mooc.learning.permissions import StudyAccess, study_access
from mooc.learning.selectors import CourseOutline, course_outline_get, material_get_for_study

router = Router(tags=["player"])


def _study(request: HttpRequest, slug: str) -> tuple[Course, StudyAccess]:
    """The course if the caller may study it: 404 for an unknown or unpublished one,
    403 when they have not enrolled."""
    course = course_get(slug=slug[:120], include_unpublished=True)
    if course is None:
        raise not_found()
    access = study_access(me(request), course)
    if access is None:
        if not course.is_published:
            raise not_found()
        raise ApiProblem(403, "not_enrolled", _("Enrol in the course first."))
    return course, access


class MaterialItem(Schema):
    id: int
    title: str
    has_video: bool
    duration_minutes: int | None
    done: bool


class OutlineSectionOut(Schema):
    title: str
    materials: list[MaterialItem]


class ExamItem(Schema):
    id: int
    title: str
    is_final: bool
    state: str


class OutlineOut(Schema):
    course: str
    title: str
    done: int
    total: int
    percent: int
    all_done: bool
    next_material_id: int | None
    sections: list[OutlineSectionOut]
    exams: list[ExamItem]


def _outline(outline: CourseOutline) -> list[OutlineSectionOut]:
    return [
        OutlineSectionOut(
            title=part.section.title,
            materials=[
                MaterialItem(
                    id=m.pk,
                    title=m.title,
                    has_video=bool(m.video_file or m.video_url),
                    duration_minutes=m.duration_minutes,
                    done=m.pk in outline.done_ids,
                )
                for m in part.materials
            ],
        )
        for part in outline.sections
    ]


@router.get(
    "/courses/{slug}/outline/",
    response={200: OutlineOut, 304: None, 403: Problem, **COMMON},
    summary="The player's outline with my progress (ETag)",
)
def outline(request: HttpRequest, slug: str) -> HttpResponse:
    course, _access = _study(request, slug)
    user = me(request)
    found = course_outline_get(course=course, user=user)
    progress = found.progress
    first = found.first_unfinished()
    exams = course_exams_for_user(course=course, user=user)
    return conditional(
        request,
        OutlineOut(
            course=course.slug,
            title=course.title,
            done=progress.done,
            total=progress.total,
            percent=progress.percent,
            all_done=found.all_done,
            next_material_id=first.pk if first is not None else None,
            sections=_outline(found),
            exams=[
                ExamItem(
                    id=entry.exam.pk,
                    title=entry.exam.title,
                    is_final=entry.exam.is_final,
                    state=entry.state.value,
                )
                for entry in exams.entries
            ],
        ),
    )


class AttachmentOut(Schema):
    id: int
    title: str
    url: str


class MaterialOut(Schema):
    id: int
    title: str
    section: str
    body_html: str
    video_embed_url: str | None
    video_url: str | None
    duration_minutes: int | None
    attachments: list[AttachmentOut]
    done: bool
    previous_id: int | None
    next_id: int | None


@router.get(
    "/courses/{slug}/materials/{material_id}/",
    response={200: MaterialOut, 403: Problem, **COMMON},
    summary="A material: sanitized HTML, signed links for its video and attachments",
)
def material(request: HttpRequest, slug: str, material_id: int) -> MaterialOut:
    course, _access = _study(request, slug)
    user = me(request)
    found = course_outline_get(course=course, user=user)
    current = (
        material_get_for_study(course=course, material_id=material_id)
        if found.get(material_id)
        else None
    )
    if current is None:
        raise not_found()
    previous, following = found.previous(current), found.next(current)
    return MaterialOut(
        id=current.pk,
        title=current.title,
        section=current.section.title,
        body_html=current.body,  # sanitized when saved (the nh3 policy of RichTextField)
        video_embed_url=video_embed_url(current.video_url) if current.video_url else None,
        video_url=signed_file_url(request, kind="video", object_id=current.pk, user=user)
        if current.video_file
        else None,
        duration_minutes=current.duration_minutes,
        attachments=[
            AttachmentOut(
                id=a.pk,
                title=a.title,
                url=signed_file_url(request, kind="attachment", object_id=a.pk, user=user),
            )
            for a in current.attachments.order_by("order", "id")
        ],
        done=current.pk in found.done_ids,
        previous_id=previous.pk if previous is not None else None,
        next_id=following.pk if following is not None else None,
    )


class DoneOut(Schema):
    material_id: int
    done: bool
    next_id: int | None


@router.post(
    "/courses/{slug}/materials/{material_id}/done/",
    response={200: DoneOut, 403: Problem, 409: Problem, **COMMON},
    summary="Mark a material done (twice is harmless)",
)
def material_done(request: HttpRequest, slug: str, material_id: int) -> DoneOut:
    course, access = _study(request, slug)
    found = course_outline_get(course=course, user=me(request))
    current = found.get(material_id)
    if current is None:
        raise not_found()
    if access is StudyAccess.LEARNER:
        services.material_complete(user=me(request), material=current)
    following = found.next(current)
    return DoneOut(
        material_id=current.pk,
        done=access is StudyAccess.LEARNER,
        next_id=following.pk if following is not None else None,
    )
