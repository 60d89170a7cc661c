"""Sections, materials and attachments in the admin.

A course page lists its sections (see `mooc.catalog.admin`); each section's page lists
its materials, each material's page its attachments. Instructors reach only the rows
of their own courses (`mooc.catalog.permissions`), and no row moves to another
course: progress is recorded per course.

A section or material that learners have progress in is not deleted but retired
(hidden from the course, kept for the progress and reports that point to it).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mooc.catalog.permissions import (
    CourseScopedAdmin,
    EditableCourseFilter,
    can_edit_course,
    courses_editable_by,
    scope_to_editable_courses,
)
from mooc.catalog.uploads import attachment_validate, video_validate
from mooc.content.embeds import video_embed_url
from mooc.core.admin_forms import https_formfield, ordered_formset_save
from mooc.core.editor import RichTextWidget
from mooc.learning.models import Attachment, Material, MaterialProgress, Section

# Links typed without a scheme are almost always https these days.
HTTPS_URLS: dict[type[Any], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}
KEEP_PROGRESS = _("learners have progress in it; mark it as retired instead")


class PrivateFileInput(forms.ClearableFileInput):
    """Names the stored file without linking it: private files have no public URL
    (learners and staff get them through the course player's checked views)."""

    template_name = "admin/learning/widgets/private_file_input.html"

    def is_initial(self, value: Any) -> bool:
        # Django asks for `value.url`, which a private file refuses to give.
        return bool(value and getattr(value, "name", None))


# --- Forms ------------------------------------------------------------------------------------


def _editor_images_go_to(form: Any, course_id: int | None) -> None:
    """Pictures typed into a material's text are the course's private files, uploaded
    through the course builder's image view (mooc.authoring). Before the material has a
    course (a new one without `?section=`), the editor offers no upload."""
    field = form.base_fields.get("body")
    if field is not None and isinstance(field.widget, RichTextWidget):
        field.widget.upload_url = (
            reverse("admin:catalog_course_editor_image", args=[course_id]) if course_id else ""
        )


class MaterialAdminForm(forms.ModelForm[Material]):
    class Meta:
        model = Material
        formfield_callback = https_formfield
        fields = (
            "section",
            "title",
            "order",
            "body",
            "video_file",
            "video_url",
            "duration_minutes",
            "is_retired",
        )
        widgets = {"video_file": PrivateFileInput}

    def clean_video_file(self) -> Any:
        video = self.cleaned_data.get("video_file")
        if isinstance(video, UploadedFile):
            video_validate(video)
        return video

    def clean_video_url(self) -> str:
        url: str = self.cleaned_data.get("video_url") or ""
        if url and video_embed_url(url) is None:
            raise ValidationError(_("Give a YouTube or Vimeo link."), code="video_host")
        return url

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("video_file") and cleaned.get("video_url"):
            self.add_error("video_url", _("Give either a video file or a video link, not both."))
        return cleaned


class AttachmentAdminForm(forms.ModelForm[Attachment]):
    class Meta:
        model = Attachment
        formfield_callback = https_formfield
        fields = ("material", "title", "file", "order")
        widgets = {"file": PrivateFileInput}

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            attachment_validate(upload)
        return upload


class _SectionChoiceField(forms.ModelChoiceField[Section]):
    def label_from_instance(self, obj: Section) -> str:
        return f"{obj.course.title} › {obj.title}"


class _MaterialChoiceField(forms.ModelChoiceField[Material]):
    def label_from_instance(self, obj: Material) -> str:
        return f"{obj.section.course.title} › {obj.section.title} › {obj.title}"


class _KeepProgressFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """Refuses to delete rows that learners' progress points to."""

    progress_path = "material"
    message = _(
        "Learners have progress in a material marked for deletion. "
        "Mark it as retired instead: it is hidden and their progress is kept."
    )

    def clean(self) -> None:
        super().clean()
        doomed = [form.instance.pk for form in self.deleted_forms if form.instance.pk]
        lookup = {f"{self.progress_path}__in": doomed}
        if doomed and MaterialProgress.objects.filter(**lookup).exists():
            raise ValidationError(self.message)


def _with_progress_protected(
    admin_result: tuple[Any, Any, Any, Any], rows: QuerySet[Any]
) -> tuple[Any, Any, Any, Any]:
    deleted, counts, perms_needed, protected = admin_result
    extra = [format_html("{}: {}", row, KEEP_PROGRESS) for row in rows]
    return deleted, counts, perms_needed, [*protected, *extra]


def _ids(objs: Any) -> list[int]:
    return [obj.pk for obj in objs]


# --- Inlines ----------------------------------------------------------------------------------


class MaterialInline(admin.StackedInline[Material, Section]):
    model = Material
    formfield_overrides = HTTPS_URLS
    form = MaterialAdminForm
    formset = _KeepProgressFormSet
    extra = 0
    fields = (
        ("order", "title"),
        "body",
        ("video_file", "video_url"),
        ("duration_minutes", "is_retired"),
        "attachments_link",
        "key",
    )
    readonly_fields = ("attachments_link", "key")
    ordering = ("order", "id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Material]:
        return super().get_queryset(request).annotate(attachment_count=Count("attachments"))

    def get_formset(self, request: HttpRequest, obj: Section | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        _editor_images_go_to(formset.form, obj.course_id if obj is not None else None)
        return formset

    @admin.display(description=_("attachments"))
    def attachments_link(self, obj: Material) -> str:
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:learning_material_change", args=[obj.pk]),
            _("Edit attachments (%(count)s)") % {"count": getattr(obj, "attachment_count", 0)},
        )


class AttachmentInline(admin.TabularInline[Attachment, Material]):
    model = Attachment
    form = AttachmentAdminForm
    extra = 0
    fields = ("order", "title", "file")
    ordering = ("order", "id")


# --- Sections ---------------------------------------------------------------------------------


@admin.register(Section)
class SectionAdmin(CourseScopedAdmin[Section]):
    course_path = "course"
    save_returns_to_course_builder = True
    change_form_template = "admin/learning/section/change_form.html"
    list_display = ("title", "course", "order", "material_count", "is_retired")
    list_filter = (EditableCourseFilter, "is_retired")
    list_select_related = ("course",)
    search_fields = ("title", "course__title")
    show_full_result_count = False
    fields = ("course", "title", "order", "is_retired", "key")
    readonly_fields = ("key",)
    inlines = (MaterialInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Section]:
        return super().get_queryset(request).annotate(material_count=Count("materials"))

    @admin.display(description=_("materials"), ordering="material_count")
    def material_count(self, obj: Section) -> int:
        return int(getattr(obj, "material_count", 0))

    def get_readonly_fields(self, request: HttpRequest, obj: Section | None = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        # Progress is counted per course: a section never changes course.
        return (*fields, "course") if obj is not None else fields

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "course":
            kwargs["queryset"] = courses_editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Section, form: Any, change: bool) -> None:
        if not can_edit_course(request.user, obj.course):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        ordered_formset_save(formset, siblings=Material.objects.filter(section=form.instance))

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        rows = Section.objects.filter(
            pk__in=_ids(objs), materials__progress__isnull=False
        ).distinct()
        return _with_progress_protected(super().get_deleted_objects(objs, request), rows)


# --- Materials --------------------------------------------------------------------------------


class _SectionCourseFilter(EditableCourseFilter):
    course_path = "section__course"


class _AttachmentCourseFilter(EditableCourseFilter):
    course_path = "material__section__course"


@admin.register(Material)
class MaterialAdmin(CourseScopedAdmin[Material]):
    course_path = "section__course"
    save_returns_to_course_builder = True
    change_form_template = "admin/learning/material/change_form.html"
    formfield_overrides = HTTPS_URLS
    form = MaterialAdminForm
    list_display = ("title", "section", "course_title", "order", "has_video", "is_retired")
    list_filter = (_SectionCourseFilter, "is_retired")
    list_select_related = ("section__course",)
    search_fields = ("title", "section__title", "section__course__title")
    show_full_result_count = False
    fields = (
        "section",
        ("order", "title"),
        "body",
        ("video_file", "video_url"),
        ("duration_minutes", "is_retired"),
        "key",
    )
    readonly_fields = ("key",)
    inlines = (AttachmentInline,)

    @admin.display(description=_("course"), ordering="section__course__title")
    def course_title(self, obj: Material) -> str:
        return obj.section.course.title

    @admin.display(description=_("video"), boolean=True)
    def has_video(self, obj: Material) -> bool:
        return obj.has_video

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "section":
            kwargs["queryset"] = scope_to_editable_courses(
                Section.objects.select_related("course").order_by("course__title", "order"),
                request.user,
                course_path="course",
            )
            kwargs["form_class"] = _SectionChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(
        self, request: HttpRequest, obj: Material | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        field = cast(forms.ModelChoiceField[Section] | None, form.base_fields.get("section"))
        if obj is not None and field is not None and field.queryset is not None:
            # Another section of the same course only: progress is counted per course.
            field.queryset = field.queryset.filter(course_id=obj.section.course_id)
        course_id = obj.section.course_id if obj is not None else None
        section_id = request.GET.get("section", "")
        if (
            course_id is None
            and section_id.isdigit()
            and field is not None
            and field.queryset is not None
        ):
            section = field.queryset.filter(pk=int(section_id)).first()  # the user's own only
            course_id = section.course_id if section is not None else None
        _editor_images_go_to(form, course_id)
        return form

    def save_model(self, request: HttpRequest, obj: Material, form: Any, change: bool) -> None:
        if not can_edit_course(request.user, obj.section.course):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        ordered_formset_save(formset, siblings=Attachment.objects.filter(material=form.instance))

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        rows = Material.objects.filter(pk__in=_ids(objs), progress__isnull=False).distinct()
        return _with_progress_protected(super().get_deleted_objects(objs, request), rows)


# --- Attachments ------------------------------------------------------------------------------


@admin.register(Attachment)
class AttachmentAdmin(CourseScopedAdmin[Attachment]):
    course_path = "material__section__course"
    save_returns_to_course_builder = True
    change_form_template = "admin/learning/attachment/change_form.html"
    form = AttachmentAdminForm
    list_display = ("title", "material", "course_title", "order")
    list_filter = (_AttachmentCourseFilter,)
    list_select_related = ("material__section__course",)
    search_fields = ("title", "material__title", "material__section__course__title")
    show_full_result_count = False
    fields = ("material", "title", "file", "order")

    @admin.display(description=_("course"), ordering="material__section__course__title")
    def course_title(self, obj: Attachment) -> str:
        return obj.material.section.course.title

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "material":
            kwargs["queryset"] = scope_to_editable_courses(
                Material.objects.select_related("section__course").order_by(
                    "section__course__title", "section__order", "order"
                ),
                request.user,
                course_path="section__course",
            )
            kwargs["form_class"] = _MaterialChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(
        self,
        request: HttpRequest,
        obj: Attachment | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        field = cast(forms.ModelChoiceField[Material] | None, form.base_fields.get("material"))
        if obj is not None and field is not None and field.queryset is not None:
            field.queryset = field.queryset.filter(
                section__course_id=obj.material.section.course_id
            )
        return form

    def save_model(self, request: HttpRequest, obj: Attachment, form: Any, change: bool) -> None:
        if not can_edit_course(request.user, obj.material.section.course):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
