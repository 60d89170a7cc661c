"""Helpers for the admin's model forms, shared by the apps' admins (catalog, learning)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.db.models import Max, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def ordered_formset_save(formset: Any, *, siblings: QuerySet[Any]) -> None:
    """Save an inline formset of ordered rows (sections, materials, attachments).

    New rows left at order 0 go after the existing ones, in the order they were typed,
    so authors need not number them by hand.
    """
    instances = formset.save(commit=False)
    following = siblings.aggregate(last=Max("order"))["last"] or 0
    for instance in instances:
        if instance.pk is None and not instance.order:
            following += 1
            instance.order = following
        instance.save()
    for gone in formset.deleted_objects:
        gone.delete()
    formset.save_m2m()


def https_formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """Form fields for a ModelForm whose links typed without a scheme become https."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


# Django stores a permission's name in English when the migration creates it ("Can add
# attempt answer") and shows it so in the role and user pickers; these say it in the
# reader's language from the model's translated name.
_PERMISSION_VERBS = {
    "add": _("Can add %(thing)s"),
    "change": _("Can change %(thing)s"),
    "delete": _("Can delete %(thing)s"),
    "view": _("Can view %(thing)s"),
}


def permission_label(permission: Any) -> str:
    """ "Bank soal dan ujian | Dapat mengubah ujian" for exams.change_exam (the content
    type must be loaded with the permission)."""
    content_type = permission.content_type
    model = content_type.model_class()
    app = apps.get_app_config(content_type.app_label).verbose_name
    verb, _sep, model_name = permission.codename.partition("_")
    if model is not None and verb in _PERMISSION_VERBS and model_name == model._meta.model_name:
        name = str(_PERMISSION_VERBS[verb] % {"thing": model._meta.verbose_name})
    else:
        name = gettext(permission.name)
    return f"{capfirst(app)} | {name}"


def with_permission_labels(field: Any) -> Any:
    """The permissions field of a role or user form, its choices said as above."""
    if field is not None:
        field.label_from_instance = permission_label
    return field


class LabelledSplitDateTime(AdminSplitDateTime):
    """Django's date + time pair, each box with its own accessible name: the field's
    label points at neither box, so screen readers (and axe-core) found them unnamed."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = _("Date")
        self.widgets[1].attrs["aria-label"] = _("Time")
