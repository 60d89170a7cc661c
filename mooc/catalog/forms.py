from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mooc.catalog.models import Category, Level

SEARCH_MAX_LENGTH = 100


class CatalogueFilterForm(forms.Form):
    """The catalogue's GET filters. Categories come from the view's one query, so
    rendering and validating the select costs nothing more."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All levels")), *Level.choices],
    )

    def __init__(self, *args: Any, categories: Sequence[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("All categories")),
            *((category.slug, category.name) for category in categories),
        ]

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid one (an unknown category in an old link)
        is dropped rather than emptying the whole list."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in ("q", "category", "level")}
