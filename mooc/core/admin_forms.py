"""Helpers for the admin's model forms, shared by the apps' admins (catalog, learning)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.db.models import Max, QuerySet


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
