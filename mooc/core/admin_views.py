"""Helpers for the admin's own pages (a reason form, an import, an export): every
custom admin page renders through `admin_page`, and the pages that ask for a reason use
`ReasonForm` and the template admin/action_form.html (or one extending it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern
from django.utils.translation import gettext_lazy as _

from mooc.core.services import AUDIT_REASON_MAX_LENGTH

# Pages another app adds to a model's admin, by model label: the course packages'
# upload and download live in the course admin, yet catalog does not import packages.
_EXTRA_URLS: dict[str, list[Callable[[Any], list[URLPattern]]]] = {}


class ReasonForm(forms.Form):
    """The form of every admin page that asks for a reason (an audited action); pages
    with more to ask subclass it. The service checks the reason again
    (`core.services.audit_reason_clean`), this only spares a round trip."""

    reason_help_text = _("Kept in the audit log.")

    reason = forms.CharField(
        label=_("Reason"),
        max_length=AUDIT_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = self.reason_help_text


def admin_page(
    model_admin: admin.ModelAdmin[Any], request: HttpRequest, template: str, **context: Any
) -> TemplateResponse:
    """A page inside `model_admin`: the admin site's context, `opts`, then `context`."""
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(
        request,
        template,
        {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, **context},
    )


def admin_urls_add(model: type[Model], urls: Callable[[Any], list[URLPattern]]) -> None:
    """Add the pages `urls(model_admin)` returns to `model`'s admin; call it from the
    adding app's admin module (autodiscovered before the URLs are built)."""
    _EXTRA_URLS.setdefault(model._meta.label, []).append(urls)


def admin_urls_extra(model_admin: admin.ModelAdmin[Any]) -> list[URLPattern]:
    """The pages other apps added to `model_admin`'s model (for its `get_urls`)."""
    added = _EXTRA_URLS.get(model_admin.model._meta.label, [])
    return [pattern for urls in added for pattern in urls(model_admin)]
