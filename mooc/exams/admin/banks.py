"""Question banks in the admin: questions with their options, categories, and the pages
to import a GIFT/Aiken file (→ a report) and to download a bank as GIFT.

Who sees what follows `mooc.catalog.permissions`: managers every course's bank,
instructors the banks of the courses listing them as staff. Importing needs
`exams.add_question` and `exams.change_question` (an import updates questions already
in the bank) and a course the user may edit; exporting `exams.view_question`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from mooc.catalog.permissions import (
    CourseScopedAdmin,
    EditableCourseFilter,
    can_edit_course,
    courses_editable_by,
)
from mooc.core.admin_views import admin_page
from mooc.core.errors import ServiceError, add_service_error
from mooc.core.files import private_file_response
from mooc.exams.admin.pickers import label_with_course
from mooc.exams.forms import (
    OptionForm,
    OptionInlineFormSet,
    QuestionAdminForm,
    QuestionCategoryAdminForm,
    QuestionExportForm,
    QuestionImportForm,
)
from mooc.exams.models import Option, Question, QuestionCategory
from mooc.exams.selectors.banks import question_bank_courses, question_categories_for, question_get
from mooc.exams.services.banks import (
    ImportReport,
    issue_kind_label,
    question_bank_export_gift,
    question_category_versions_bump,
    question_content,
    question_file_max_bytes,
    question_file_parse,
    question_version_bump_if_changed,
    questions_import,
)

IMPORT_PERMISSIONS = ("exams.add_question", "exams.change_question")


class QuestionCategoryFilter(admin.SimpleListFilter):
    """Categories of the user's courses only; of the chosen course when one is."""

    title = _("category")
    parameter_name = "category"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        categories = question_categories_for(user=request.user)
        course = request.GET.get("course", "")
        if course.isdigit():
            categories = categories.filter(course_id=int(course))
        return [(str(category.pk), str(category)) for category in categories]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(category__pk=int(value))
        return None


class OptionInline(admin.TabularInline[Option, Question]):
    """A question's options. They are part of the question: whoever may change the
    question may add, change and remove its options."""

    model = Option
    form = OptionForm
    formset = OptionInlineFormSet
    fields = ("order", "text", "weight", "feedback")
    ordering = ("order", "id")

    def get_extra(self, request: HttpRequest, obj: Question | None = None, **kwargs: Any) -> int:
        return 4 if obj is None else 0

    def _may_edit(self, request: HttpRequest, obj: Question | None) -> bool:
        return obj is None or can_edit_course(request.user, obj.course)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("exams.view_question") and self._may_edit(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj)

    def _may_change(self, request: HttpRequest, obj: Question | None) -> bool:
        perm = "exams.change_question" if obj is not None else "exams.add_question"
        return request.user.has_perm(perm) and self._may_edit(request, obj)


@admin.register(Question)
class QuestionAdmin(CourseScopedAdmin[Question]):
    form = QuestionAdminForm
    change_list_template = "admin/exams/question/change_list.html"
    list_display = ("key", "qtype", "category", "course", "version", "is_active")
    list_filter = (EditableCourseFilter, QuestionCategoryFilter, "qtype", "is_active")
    list_select_related = ("course", "category")
    search_fields = ("key", "text", "category__name")
    search_help_text = _("Question id, text or category")
    show_full_result_count = False
    readonly_fields = ("version", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("course", "category", "key", "qtype", "is_active")}),
        (_("Question"), {"fields": ("text", "image", "general_feedback")}),
        (_("Revision"), {"fields": ("version", "created_at", "updated_at")}),
    )
    inlines = (OptionInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Question | None = None) -> Any:
        # A question stays in its course: its id is unique there, and attempts point to it.
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "course") if obj is not None else fields

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "course":
            kwargs["queryset"] = question_bank_courses(user=request.user)
        elif db_field.name == "category":
            kwargs["queryset"] = question_categories_for(user=request.user)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name == "category":
            field.label_from_instance = label_with_course  # type: ignore[method-assign]
        return field

    # --- Saving: the version goes up when what learners see changes ------------------------

    def save_model(self, request: HttpRequest, obj: Question, form: Any, change: bool) -> None:
        if change and obj.pk:
            form.content_before = question_content(question_get(pk=obj.pk))
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        # New options left at order 0 go after the others, in the order they were typed.
        following = Option.objects.filter(question=form.instance).aggregate(last=Max("order"))
        last = following["last"] or 0
        for instance in instances:
            if instance.pk is None and not instance.order:
                last += 1
                instance.order = last
            instance.save()
        for gone in formset.deleted_objects:
            gone.delete()
        formset.save_m2m()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        before = getattr(form, "content_before", None)
        if before is not None:
            question_version_bump_if_changed(
                question=form.instance,
                before=before,
                image_changed="image" in form.changed_data,
            )

    # --- Import and export -------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="exams_question_import"),
            path("export/", wrap(self.export_view), name="exams_question_export"),
            path("<int:question_id>/image/", wrap(self.image_view), name="exams_question_image"),
            *super().get_urls(),
        ]

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perms(IMPORT_PERMISSIONS)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        course = request.GET.get("course", "")
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
            "chosen_course": course if course.isdigit() else "",
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = QuestionImportForm(
            request.POST or None,
            request.FILES or None,
            courses=question_bank_courses(user=request.user),
            initial={"course": request.GET.get("course")},
        )
        report: ImportReport | None = None
        if request.method == "POST" and form.is_valid():
            course = form.cleaned_data["course"]
            if not can_edit_course(request.user, course):
                raise PermissionDenied
            report = self._import(request, form)
        return admin_page(
            self,
            request,
            "admin/exams/question/import.html",
            title=_("Import questions"),
            form=form,
            report=report,
            issues=_issue_rows(report),
            max_size=question_file_max_bytes(),
        )

    def _import(self, request: HttpRequest, form: QuestionImportForm) -> ImportReport | None:
        upload = form.cleaned_data["file"]
        try:
            result = question_file_parse(
                data=upload.read(),
                filename=upload.name or "",
                fmt=form.cleaned_data["format"] or None,
            )
        except ServiceError as error:
            add_service_error(form, error)
            return None
        return questions_import(
            course=form.cleaned_data["course"], result=result, actor=request.user, request=request
        )

    def image_view(self, request: HttpRequest, question_id: int) -> HttpResponseBase:
        """The question's picture, for those who may see the question (it is private:
        learners must not find it before the exam)."""
        question = self.get_object(request, str(question_id))
        if question is None or not question.image:
            raise Http404
        if not self.has_view_permission(request, question):
            raise PermissionDenied
        return private_file_response(request, question.image.name)

    def export_view(self, request: HttpRequest) -> HttpResponseBase:
        if not request.user.has_perm("exams.view_question"):
            raise PermissionDenied
        form = QuestionExportForm(
            request.GET or None, courses=question_bank_courses(user=request.user)
        )
        if not form.is_valid():
            return admin_page(
                self,
                request,
                "admin/exams/question/export.html",
                title=_("Export to GIFT"),
                form=form,
            )
        course = form.cleaned_data["course"]
        return HttpResponse(
            question_bank_export_gift(course=course),
            content_type="text/plain; charset=utf-8",
            # A slug is plain ASCII: no quoting needed.
            headers={"Content-Disposition": f'attachment; filename="{course.slug}.gift"'},
        )


def _issue_rows(report: ImportReport | None) -> list[dict[str, Any]]:
    if report is None:
        return []
    return [
        {
            "line": issue.line,
            "kind": issue.kind,
            "kind_label": issue_kind_label(issue.kind),
            "name": issue.name,
            "reason": issue.reason,
        }
        for issue in report.issues
    ]


@admin.register(QuestionCategory)
class QuestionCategoryAdmin(CourseScopedAdmin[QuestionCategory]):
    form = QuestionCategoryAdminForm
    list_display = ("name", "course", "question_count")
    list_filter = (EditableCourseFilter,)
    list_select_related = ("course",)
    search_fields = ("name",)
    fields = ("course", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: QuestionCategory | None = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "course") if obj is not None else fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuestionCategory]:
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description=_("questions"), ordering="question_total")
    def question_count(self, obj: QuestionCategory) -> int:
        return int(getattr(obj, "question_total", 0))

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "course":
            kwargs["queryset"] = courses_editable_by(request.user).order_by("title")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: QuestionCategory, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            question_category_versions_bump(categories=[obj])

    def delete_model(self, request: HttpRequest, obj: QuestionCategory) -> None:
        question_category_versions_bump(categories=[obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[QuestionCategory]) -> None:
        question_category_versions_bump(categories=list(queryset))
        super().delete_queryset(request, queryset)
