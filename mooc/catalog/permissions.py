"""Who may edit which course: the object-level rule behind the Instruktur role.

Two kinds of staff author courses:

* **Course managers** — superusers and the members of the "Admin" and "Admin Konten"
  groups — edit every course, publish and unpublish, and choose each course's
  instructors and staff.
* **Everyone else with catalog/learning model permissions** (the "Instruktur" role)
  works on the courses whose `Course.staff` lists their account, and on nothing else:
  not the course page, sections, materials, attachments or enrolments of any other
  course. The model permissions say *what* they may do, this module says *where*.

The rule keys on group membership, not on `has_perm("catalog.change_course")`:
instructors hold that permission too (they edit their own courses), so holding it
says nothing about which courses. A permission granted to an account directly,
outside the two manager roles, therefore stays limited to the account's own courses.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar, cast

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mooc.accounts.roles import ROLE_ADMIN, ROLE_CONTENT_ADMIN
from mooc.catalog.models import Course

MANAGER_ROLES = (ROLE_ADMIN, ROLE_CONTENT_ADMIN)
# Per-request cache on the user object, as Django's backends cache permissions.
_CACHE_ATTRIBUTE = "_catalog_is_course_manager"

M = TypeVar("M", bound=Model)


def is_course_manager(user: Any) -> bool:
    """Superuser, or an active member of "Admin" or "Admin Konten": every course is theirs."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = user.groups.filter(name__in=MANAGER_ROLES).exists()
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return bool(cached)


def courses_editable_by(user: Any) -> QuerySet[Course]:
    """Every course for a manager; the courses listing the account as staff otherwise."""
    if is_course_manager(user):
        return Course.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Course.objects.none()
    return Course.objects.filter(staff=user)


def can_edit_course(user: Any, course: Course) -> bool:
    """May this account change the course and what hangs under it (sections, materials,
    attachments, enrolments)? Model permissions are checked separately by the caller."""
    if is_course_manager(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # An admin page asks several times (view, change, delete, each inline): once is enough.
    cache = _course_access_cache(user)
    if course.pk not in cache:
        cache[course.pk] = course.staff.filter(pk=user.pk).exists()
    return cache[course.pk]


def can_manage_course_people(user: Any) -> bool:
    """Publishing and choosing a course's instructors and staff are for managers only:
    an instructor must not add colleagues to a course, or publish an unreviewed one."""
    return is_course_manager(user)


def scope_to_editable_courses(queryset: QuerySet[M], user: Any, *, course_path: str) -> QuerySet[M]:
    """Narrow `queryset` to rows under courses the user may edit.

    `course_path` leads from the model to its course: "" for Course itself,
    "course" for a section or an enrolment, "section__course" for a material.
    A subquery rather than a join, so annotations (counts) are not multiplied.
    """
    if is_course_manager(user):
        return queryset
    lookup = f"{course_path}__in" if course_path else "pk__in"
    return queryset.filter(**{lookup: courses_editable_by(user).values("pk")})


def _course_access_cache(user: Any) -> dict[int, bool]:
    cache: dict[int, bool] | None = getattr(user, "_catalog_course_access", None)
    if cache is None:
        cache = {}
        user._catalog_course_access = cache
    return cache


# --- The rule in the admin ------------------------------------------------------------


class CourseScopedAdmin(admin.ModelAdmin[M], Generic[M]):
    """An admin whose rows belong to a course: lists show only the user's courses, and
    another course's row opened by URL is a 404 (the object-level permissions below
    refuse it too, should it be reached another way).

    `course_path` leads from the model to its course ("" for Course itself).
    """

    course_path: ClassVar[str] = "course"
    # "Simpan" on a row of a course (a section, a material, an exam) goes back to the
    # course builder (mooc.authoring), not to the list of every course's rows.
    save_returns_to_course_builder: ClassVar[bool] = False

    def course_of(self, obj: M) -> Course:
        target: Any = obj
        for name in self.course_path.split("__") if self.course_path else ():
            target = getattr(target, name)
        return cast(Course, target)

    def response_post_save_add(self, request: HttpRequest, obj: M) -> HttpResponseRedirect:
        if self.save_returns_to_course_builder:
            return self._course_builder_redirect(obj)
        return super().response_post_save_add(request, obj)

    def response_post_save_change(self, request: HttpRequest, obj: M) -> HttpResponseRedirect:
        if self.save_returns_to_course_builder:
            return self._course_builder_redirect(obj)
        return super().response_post_save_change(request, obj)

    def _course_builder_redirect(self, obj: M) -> HttpResponseRedirect:
        course = self.course_of(obj)
        return HttpResponseRedirect(reverse("admin:catalog_course_builder", args=[course.pk]))

    def get_queryset(self, request: HttpRequest) -> QuerySet[M]:
        return scope_to_editable_courses(
            super().get_queryset(request), request.user, course_path=self.course_path
        )

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> M | None:
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not is_course_manager(request.user):
            # Not "deleted?" as Django would say: the row may exist in another course.
            raise Http404
        return obj

    def _may_touch(self, request: HttpRequest, obj: M | None) -> bool:
        return obj is None or can_edit_course(request.user, self.course_of(obj))

    def has_view_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return super().has_view_permission(request, obj) and self._may_touch(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj)


class EditableCourseFilter(admin.SimpleListFilter):
    """A "course" filter that lists only the courses the user may edit (Django's own
    related-field filter would show every course's title to every instructor)."""

    title = _("course")
    parameter_name = "course"
    course_path = "course"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        courses = courses_editable_by(request.user).order_by("title").values_list("pk", "title")
        return [(str(pk), title) for pk, title in courses]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{f"{self.course_path}__pk": int(value)})
        return None
