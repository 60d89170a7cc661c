"""Exams and attempts in the admin.

- **Exams**: settings of quizzes and the final exam, limited to the courses the user
  may edit, and the page *Extend running attempts* (an outage: every running attempt
  gets the same extra minutes, with a reason, audited).
- **Attempts**: read-only. The list shows learner, exam, number, state, score and the
  clock; the change page shows each question as the learner saw it (the copy taken
  when the attempt started), its options with their weights, which are correct and
  which the learner chose, and the points. Two pages act on one attempt, both with a
  reason and both audited: *Grant extra time* (a running attempt) and *Reset attempt*
  (deletes it and recomputes the enrolment, see `mooc.exams.services.staff.attempt_reset`).

Who sees what follows `mooc.catalog.permissions`: managers every course, instructors
their own courses (another course's exam or attempt opened by URL is a 404).
Granting time needs `exams.change_attempt`, resetting `exams.delete_attempt`,
extending a whole exam `exams.change_exam` — each on a course the user may edit.
Django's own delete is switched off for attempts: a reset must have a reason.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mooc.catalog.permissions import (
    CourseScopedAdmin,
    EditableCourseFilter,
    can_edit_course,
    courses_editable_by,
)
from mooc.core.admin_views import ReasonForm, admin_page
from mooc.core.errors import ServiceError, add_service_error
from mooc.exams.admin.pickers import label_with_course
from mooc.exams.models import (
    Attempt,
    AttemptState,
    Exam,
    ExamCategoryQuota,
    Question,
)
from mooc.exams.selectors.attempts import attempt_review_rows
from mooc.exams.selectors.banks import question_categories_for, question_pool_size
from mooc.exams.services.exam_settings import (
    exam_deleted_record,
    exam_settings_record,
    exam_settings_snapshot,
)
from mooc.exams.services.staff import (
    MAX_EXTENSION_MINUTES,
    attempt_extend,
    attempt_reset,
    exam_extend_running,
)
from mooc.learning.models import Section

# --- Forms ------------------------------------------------------------------------------------


class ExtendForm(ReasonForm):
    minutes = forms.IntegerField(
        label=_("Extra minutes"), min_value=1, max_value=MAX_EXTENSION_MINUTES
    )

    field_order = ["minutes", "reason"]


class ExamAdminForm(forms.ModelForm[Exam]):
    class Meta:
        model = Exam
        fields = (
            "course",
            "is_final",
            "is_pretest",
            "section",
            "title",
            "question_count",
            "categories",
            "shuffle_questions",
            "shuffle_options",
            "time_limit_minutes",
            "passing_grade",
            "max_attempts",
            "wait_minutes_between_attempts",
            "require_materials_completed",
            "allow_retake_after_pass",
            "review_mode",
            "available_from",
            "available_until",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        course = data.get("course") or getattr(self.instance, "course", None)
        section = data.get("section")
        if course is not None and section is not None and section.course_id != course.pk:
            self.add_error("section", _("Choose a section of the exam's course."))
        categories = data.get("categories")
        if (
            course is not None
            and categories
            and any(category.course_id != course.pk for category in categories)
        ):
            self.add_error("categories", _("Choose categories of the exam's course."))
        count = data.get("question_count")
        if course is not None and count and not self.has_error("section"):
            available = question_pool_size(course=course, categories=categories or ())
            if count > available:
                message = (
                    gettext(
                        "The exam would draw %(count)d questions, but the chosen categories "
                        "hold only %(available)d active questions. Import more questions or "
                        "draw fewer."
                    )
                    if categories
                    else gettext(
                        "The exam would draw %(count)d questions, but its bank holds only "
                        "%(available)d active questions. Import more questions or draw fewer."
                    )
                )
                self.add_error("question_count", message % {"count": count, "available": available})
        opens, closes = data.get("available_from"), data.get("available_until")
        if opens and closes and closes <= opens:
            self.add_error("available_until", _("Must be later than “available from”."))
        if data.get("is_final") and data.get("is_pretest"):
            self.add_error("is_pretest", _("The final exam cannot also be the pre-test."))
        return data


class QuotaInlineFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """Quotas must add up to the exam's number of questions, come from its course's
    bank, and not ask a category for more active questions than it has."""

    def clean(self) -> None:
        super().clean()
        exam: Exam = self.instance
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("category") is not None
            and not form.cleaned_data.get("DELETE")
            and form not in self.deleted_forms
        ]
        if not kept:
            return
        course_id = getattr(exam, "course_id", None)
        problems: list[str] = []
        seen: set[int] = set()
        # A category listed twice is refused by the formset's own unique check.
        for form in kept:
            category = form.cleaned_data["category"]
            seen.add(category.pk)
            if course_id is not None and category.course_id != course_id:
                problems.append(
                    gettext("The category “%(category)s” is not in the exam's course.")
                    % {"category": category}
                )
        available = dict(
            Question.objects.filter(category_id__in=seen, is_active=True)
            .values("category_id")
            .annotate(n=Count("id"))
            .values_list("category_id", "n")
        )
        for form in kept:
            category, count = form.cleaned_data["category"], form.cleaned_data.get("count") or 0
            if count > available.get(category.pk, 0):
                problems.append(
                    ngettext(
                        "The category “%(category)s” has only %(available)d active "
                        "question; its quota is %(count)d.",
                        "The category “%(category)s” has only %(available)d active "
                        "questions; its quota is %(count)d.",
                        available.get(category.pk, 0),
                    )
                    % {
                        "category": category,
                        "available": available.get(category.pk, 0),
                        "count": count,
                    }
                )
        total = sum(form.cleaned_data.get("count") or 0 for form in kept)
        if exam.question_count and total != exam.question_count:
            problems.append(
                gettext(
                    "The quotas add up to %(total)d questions, but the exam draws "
                    "%(count)d (number of questions). Make them equal."
                )
                % {"total": total, "count": exam.question_count}
            )
        if problems:
            raise ValidationError(problems)


class QuotaInline(admin.TabularInline[ExamCategoryQuota, Exam]):
    """Per-category quotas: part of the exam, so whoever may change the exam may
    change them."""

    model = ExamCategoryQuota
    formset = QuotaInlineFormSet
    fields = ("category", "count")
    extra = 0
    verbose_name_plural = _("questions per category (optional)")

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "category":
            kwargs["queryset"] = question_categories_for(user=request.user)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name == "category":
            field.label_from_instance = label_with_course  # type: ignore[method-assign]
        return field

    def _may_change(self, request: HttpRequest, obj: Exam | None) -> bool:
        perm = "exams.change_exam" if obj is not None else "exams.add_exam"
        return request.user.has_perm(perm) and (
            obj is None or can_edit_course(request.user, obj.course)
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("exams.view_exam") and (
            obj is None or can_edit_course(request.user, obj.course)
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj)


# --- Exams ------------------------------------------------------------------------------------


@admin.register(Exam)
class ExamAdmin(CourseScopedAdmin[Exam]):
    save_returns_to_course_builder = True
    form = ExamAdminForm
    inlines = (QuotaInline,)
    change_form_template = "admin/exams/exam/change_form.html"
    list_display = (
        "title",
        "course",
        "is_final",
        "is_pretest",
        "question_count",
        "time_limit_minutes",
        "passing_grade",
        "max_attempts",
        "attempt_total",
    )
    list_filter = (EditableCourseFilter, "is_final", "is_pretest")
    list_select_related = ("course",)
    search_fields = ("title", "course__title")
    filter_horizontal = ("categories",)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("course", "is_final", "is_pretest", "section", "title")}),
        (
            _("Questions"),
            {
                "fields": ("question_count", "categories", "shuffle_questions", "shuffle_options"),
                "description": _(
                    "With questions per category (below the form), every attempt draws "
                    "exactly those numbers and the categories chosen here are not used."
                ),
            },
        ),
        (
            _("Rules"),
            {
                "fields": (
                    "time_limit_minutes",
                    "passing_grade",
                    "max_attempts",
                    "wait_minutes_between_attempts",
                    "require_materials_completed",
                    "allow_retake_after_pass",
                    "review_mode",
                )
            },
        ),
        (_("Availability"), {"fields": ("available_from", "available_until")}),
        (_("Revision"), {"fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Exam]:
        return super().get_queryset(request).annotate(attempt_count=Count("attempts"))

    # --- The audit log: settings before the save, compared once inlines are saved ---------

    def save_model(self, request: HttpRequest, obj: Exam, form: Any, change: bool) -> None:
        stored = Exam.objects.filter(pk=obj.pk).first() if change else None
        request._exam_before = (  # type: ignore[attr-defined]
            exam_settings_snapshot(stored) if stored is not None else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        exam_settings_record(
            exam=form.instance,
            actor=request.user,
            before=getattr(request, "_exam_before", None),
            request=request,
        )

    def delete_model(self, request: HttpRequest, obj: Exam) -> None:
        exam_deleted_record(exam=obj, actor=request.user, request=request)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Exam]) -> None:
        with transaction.atomic():
            for exam in queryset:
                exam_deleted_record(exam=exam, actor=request.user, request=request)
            super().delete_queryset(request, queryset)

    @admin.display(description=_("attempts"), ordering="attempt_count")
    def attempt_total(self, obj: Exam) -> int:
        return int(getattr(obj, "attempt_count", 0))

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, str | list[str]]:
        """The first exam of a course that gives a certificate starts ticked as final:
        forgotten, no certificate would ever be issued."""
        initial = super().get_changeform_initial_data(request)
        course_id = str(initial.get("course") or "")
        if course_id.isdigit():
            course = courses_editable_by(request.user).filter(pk=int(course_id)).first()
            if course is not None and course.gives_certificate and not course.exams.exists():
                initial["is_final"] = "on"  # a ticked checkbox, as a GET parameter would say
        return initial

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "course":
            kwargs["queryset"] = courses_editable_by(request.user).order_by("title")
        elif db_field.name == "section":
            kwargs["queryset"] = (
                Section.objects.filter(course__in=courses_editable_by(request.user).values("pk"))
                .current()
                .select_related("course")
                .order_by("course__title", "order")
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name == "section":
            field.label_from_instance = label_with_course  # type: ignore[method-assign]
        return field

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        if db_field.name == "categories":
            kwargs["queryset"] = question_categories_for(user=request.user)
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name == "categories":
            field.label_from_instance = label_with_course  # type: ignore[method-assign]
        return field

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:exam_id>/extend-running/",
                wrap(self.extend_running_view),
                name="exams_exam_extend_running",
            ),
            *super().get_urls(),
        ]

    def may_extend(self, request: HttpRequest, exam: Exam) -> bool:
        return request.user.has_perm("exams.change_exam") and can_edit_course(
            request.user, exam.course
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        exam = self.get_object(request, object_id)
        extra = {"may_extend": exam is not None and self.may_extend(request, exam)}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def extend_running_view(self, request: HttpRequest, exam_id: int) -> HttpResponse:
        exam = self.get_object(request, str(exam_id))
        if exam is None:
            raise Http404
        if not self.may_extend(request, exam):
            raise PermissionDenied
        running = exam.attempts.filter(state=AttemptState.IN_PROGRESS).count()
        form = ExtendForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                count = exam_extend_running(
                    exam=exam,
                    minutes=form.cleaned_data["minutes"],
                    actor=request.user,  # type: ignore[arg-type]
                    reason=form.cleaned_data["reason"],
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d running attempt got %(minutes)d more minutes.",
                        "%(count)d running attempts got %(minutes)d more minutes.",
                        count,
                    )
                    % {"count": count, "minutes": form.cleaned_data["minutes"]},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(
                        "admin:exams_exam_change", args=[exam.pk], current_app=self.admin_site.name
                    )
                )
        return admin_page(
            self,
            request,
            "admin/exams/exam/extend_running.html",
            title=gettext("Extend running attempts: %(exam)s") % {"exam": exam},
            original=exam,
            form=form,
            running=running,
            submit_label=gettext("Extend"),
        )


# --- Attempts ---------------------------------------------------------------------------------


class AttemptCourseFilter(EditableCourseFilter):
    course_path = "exam__course"


def _two_decimals(value: Decimal) -> Decimal:
    """The attempt page writes points with two decimals ("0.50 of 1.00")."""
    return value.quantize(Decimal("0.01"))


@admin.register(Attempt)
class AttemptAdmin(CourseScopedAdmin[Attempt]):
    course_path = "exam__course"
    change_form_template = "admin/exams/attempt/change_form.html"
    list_display = (
        "learner_nip",
        "learner_name",
        "exam",
        "number",
        "state",
        "score",
        "passed",
        "started_at",
        "deadline",
        "submitted_at",
    )
    list_filter = (AttemptCourseFilter, "exam__is_final", "state", "passed", "started_at")
    list_select_related = ("user", "exam", "exam__course")
    search_fields = ("user__username", "user__full_name")
    search_help_text = _("NIP/Username or name of the learner")
    show_full_result_count = False
    date_hierarchy = None
    ordering = ("-started_at",)
    fields = (
        "exam",
        "course",
        "user",
        "number",
        "state",
        "score",
        "passed",
        "started_at",
        "deadline",
        "extra_minutes",
        "submitted_at",
        "graded_at",
    )
    readonly_fields = fields

    @admin.display(description=_("NIP/Username"), ordering="user__username")
    def learner_nip(self, obj: Attempt) -> str:
        return obj.user.username

    @admin.display(description=_("name"), ordering="user__full_name")
    def learner_name(self, obj: Attempt) -> str:
        return obj.user.full_name

    @admin.display(description=_("course"))
    def course(self, obj: Attempt) -> str:
        return str(obj.exam.course)

    # Read-only: attempts are made by learners and changed by the audited pages only.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Attempt | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Attempt | None = None) -> bool:
        return False

    def may_reset(self, request: HttpRequest, attempt: Attempt) -> bool:
        return request.user.has_perm("exams.delete_attempt") and can_edit_course(
            request.user, attempt.exam.course
        )

    def may_extend(self, request: HttpRequest, attempt: Attempt) -> bool:
        return (
            attempt.state == AttemptState.IN_PROGRESS
            and request.user.has_perm("exams.change_attempt")
            and can_edit_course(request.user, attempt.exam.course)
        )

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:attempt_id>/reset/", wrap(self.reset_view), name="exams_attempt_reset"),
            path("<int:attempt_id>/extend/", wrap(self.extend_view), name="exams_attempt_extend"),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        attempt = self.get_object(request, object_id)
        extra: dict[str, Any] = {}
        if attempt is not None and self.has_view_permission(request, attempt):
            extra = {
                "question_rows": attempt_review_rows(
                    attempt=attempt, with_key=True, rounding=_two_decimals
                ),
                "may_reset": self.may_reset(request, attempt),
                "may_extend": self.may_extend(request, attempt),
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _attempt_or_404(self, request: HttpRequest, attempt_id: int) -> Attempt:
        attempt = self.get_object(request, str(attempt_id))
        if attempt is None or not self.has_view_permission(request, attempt):
            raise Http404
        return attempt

    def reset_view(self, request: HttpRequest, attempt_id: int) -> HttpResponse:
        attempt = self._attempt_or_404(request, attempt_id)
        if not self.may_reset(request, attempt):
            raise PermissionDenied
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                attempt_reset(
                    attempt=attempt,
                    actor=request.user,  # type: ignore[arg-type]
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                self.message_user(
                    request,
                    gettext("The attempt was reset; the enrolment was recomputed."),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:exams_attempt_changelist", current_app=self.admin_site.name)
                )
        return admin_page(
            self,
            request,
            "admin/action_form.html",
            title=gettext("Reset attempt: %(attempt)s") % {"attempt": _attempt_label(attempt)},
            original=attempt,
            form=form,
            warning=gettext(
                "The attempt is deleted with its answers, as if it had never been taken: "
                "the learner gets the attempt back, and the enrolment's result is "
                "recomputed from the remaining attempts."
            ),
            submit_label=gettext("Reset attempt"),
        )

    def extend_view(self, request: HttpRequest, attempt_id: int) -> HttpResponse:
        attempt = self._attempt_or_404(request, attempt_id)
        if not self.may_extend(request, attempt):
            raise PermissionDenied
        form = ExtendForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                attempt_extend(
                    attempt=attempt,
                    minutes=form.cleaned_data["minutes"],
                    actor=request.user,  # type: ignore[arg-type]
                    reason=form.cleaned_data["reason"],
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                self.message_user(
                    request,
                    gettext("The attempt got %(minutes)d more minutes.")
                    % {"minutes": form.cleaned_data["minutes"]},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(
                        "admin:exams_attempt_change",
                        args=[attempt.pk],
                        current_app=self.admin_site.name,
                    )
                )
        return admin_page(
            self,
            request,
            "admin/action_form.html",
            title=gettext("Grant extra time: %(attempt)s") % {"attempt": _attempt_label(attempt)},
            original=attempt,
            form=form,
            warning="",
            submit_label=gettext("Grant extra time"),
        )


def _attempt_label(attempt: Attempt) -> str:
    return gettext("%(learner)s, %(exam)s, attempt %(number)d") % {
        "learner": attempt.user.full_name or attempt.user.username,
        "exam": attempt.exam.title,
        "number": attempt.number,
    }
