"""Admin: evaluation templates with their items, and each course's evaluation settings.
Responses have no admin page: an anonymous course's answers are read only through the
reports, which never show names."""

from __future__ import annotations

from django.contrib import admin

from mooc.evaluation.models import CourseEvaluation, EvaluationItem, EvaluationTemplate


class EvaluationItemInline(admin.TabularInline[EvaluationItem, EvaluationTemplate]):
    model = EvaluationItem
    extra = 1
    fields = (
        "position",
        "group",
        "text",
        "kind",
        "low_label",
        "high_label",
        "required",
        "per_instructor",
    )


@admin.register(EvaluationTemplate)
class EvaluationTemplateAdmin(admin.ModelAdmin[EvaluationTemplate]):
    list_display = ("name", "key", "updated_at")
    search_fields = ("name", "key")
    inlines = (EvaluationItemInline,)


@admin.register(CourseEvaluation)
class CourseEvaluationAdmin(admin.ModelAdmin[CourseEvaluation]):
    list_display = ("course", "template", "anonymous", "required_for_certificate")
    list_filter = ("anonymous", "required_for_certificate")
    list_select_related = ("course", "template")
    search_fields = ("course__title",)
    autocomplete_fields = ("course",)
