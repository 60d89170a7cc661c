"""Forms of the question bank admin: a question with its options, and the import upload."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mooc.catalog.models import Course
from mooc.core.errors import ServiceError
from mooc.core.images import PixelLimitedImageField, image_reencode
from mooc.exams.models import Option, Question, QuestionCategory
from mooc.exams.services.banks import (
    question_file_max_bytes,
    question_key_derive,
    question_options_validate,
)

IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_MAX_SIDE = 1200


class PrivateImageInput(forms.ClearableFileInput):
    """Names the stored picture and links the admin's checked view of it: a private
    file has no public URL (Django's widget would ask for one)."""

    template_name = "admin/exams/widgets/private_image_input.html"
    preview_url = ""

    def is_initial(self, value: Any) -> bool:
        return bool(value and getattr(value, "name", None))

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["preview_url"] = self.preview_url
        return context


class CategoryChoiceField(forms.ModelChoiceField[QuestionCategory]):
    """Categories of several courses share names ("Bab 1"): say whose each one is."""

    def label_from_instance(self, obj: QuestionCategory) -> str:
        return f"{obj.course.title} — {obj.name}"


class QuestionAdminForm(forms.ModelForm[Question]):
    class Meta:
        model = Question
        fields = (
            "course",
            "category",
            "key",
            "qtype",
            "text",
            "image",
            "general_feedback",
            "is_active",
        )
        field_classes = {"category": CategoryChoiceField, "image": PixelLimitedImageField}
        widgets = {"image": PrivateImageInput}
        help_texts = {
            "key": _(
                "The question's stable id, unique in the course: the GIFT title. Leave it "
                "empty to derive one from the text; importing a file matches questions by it."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "key" in self.fields:
            self.fields["key"].required = False
        widget = self.fields["image"].widget if "image" in self.fields else None
        if isinstance(widget, PrivateImageInput) and self.instance.pk and self.instance.image:
            widget.preview_url = reverse("admin:exams_question_image", args=[self.instance.pk])

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            try:
                return image_reencode(
                    image, max_bytes=IMAGE_MAX_BYTES, max_side=IMAGE_MAX_SIDE, field="image"
                )
            except ServiceError as error:
                raise ValidationError(error.message, code=error.code or "invalid") from None
        return image

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # On a change the course is read-only, hence not in the form.
        course: Course | None = cleaned.get("course") or (
            self.instance.course if self.instance.course_id else None
        )
        category: QuestionCategory | None = cleaned.get("category")
        if course is not None and category is not None and category.course_id != course.pk:
            self.add_error("category", _("This category belongs to another course."))
        if not (cleaned.get("key") or "").strip() and cleaned.get("text"):
            cleaned["key"] = question_key_derive(
                category=category.name if category else "", text=cleaned["text"]
            )
        key = cleaned.get("key")
        if course is not None and key and self._key_taken(course, key):
            self.add_error("key", _("Another question of this course has this id."))
        return cleaned

    def _key_taken(self, course: Course, key: str) -> bool:
        others = Question.objects.filter(course=course, key=key)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        return others.exists()


class QuestionCategoryAdminForm(forms.ModelForm[QuestionCategory]):
    class Meta:
        model = QuestionCategory
        fields = ("course", "name")
        help_texts = {
            "name": _("The full path, as in GIFT's $CATEGORY: line, e.g. Orientasi/Bab 1."),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # On a change the course is read-only, so Django leaves the unique name unchecked.
        course = cleaned.get("course") or (
            self.instance.course if self.instance.course_id else None
        )
        name = (cleaned.get("name") or "").strip()
        others = QuestionCategory.objects.filter(course=course, name=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if course is not None and name and others.exists():
            self.add_error("name", _("This course already has a category with this name."))
        return cleaned


class OptionInlineFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """The options of a question, checked by the same rules as an import."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        qtype = getattr(self.instance, "qtype", "")
        if not qtype:
            return  # the question's own form says the type is missing
        weights: list[Decimal] = [
            form.cleaned_data.get("weight") or Decimal(0)
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk is not None or form.has_changed())
        ]
        try:
            question_options_validate(qtype=qtype, weights=weights)
        except ServiceError as error:
            raise ValidationError(error.message, code=error.code or "options") from None


class OptionForm(forms.ModelForm[Option]):
    class Meta:
        model = Option
        fields = ("order", "text", "weight", "feedback")
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2, "cols": 40}),
            "feedback": forms.Textarea(attrs={"rows": 2, "cols": 30}),
        }


FORMAT_CHOICES = (
    ("", _("Recognise from the file")),
    ("gift", "GIFT"),
    ("aiken", "Aiken"),
)


class QuestionImportForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.none(), label=_("Course"))
    file = forms.FileField(
        label=_("Question file (GIFT or Aiken)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".gift,.txt,text/plain"}),
    )
    format = forms.ChoiceField(choices=FORMAT_CHOICES, required=False, label=_("Format"))

    def __init__(self, *args: Any, courses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["course"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = courses

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = question_file_max_bytes()
        # Refused before reading: the bytes are only read once the size is known to be sane.
        if upload.size is not None and upload.size > limit:
            raise ValidationError(
                _("The file is too large: at most %(size)s.") % {"size": filesizeformat(limit)},
                code="too_large",
            )
        return upload


class QuestionExportForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.none(), label=_("Course"))

    def __init__(self, *args: Any, courses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["course"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = courses
