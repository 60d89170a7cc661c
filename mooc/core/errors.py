"""Errors raised by services and shown to users as form errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django import forms
    from django_stubs_ext import StrPromise


class ServiceError(Exception):
    """A rule of the domain was broken; `message` is fit to show to the user.

    `field` names the form field the message belongs next to (None: the whole form).
    """

    def __init__(
        self, message: str | StrPromise, *, field: str | None = None, code: str = ""
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


def add_service_error(form: forms.BaseForm, error: ServiceError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
