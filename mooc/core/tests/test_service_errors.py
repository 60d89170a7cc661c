from __future__ import annotations

from django import forms

from mooc.core.errors import ServiceError, add_service_error


class EmailForm(forms.Form):
    email = forms.EmailField()


def test_an_error_naming_a_field_is_shown_next_to_that_field() -> None:
    form = EmailForm({"email": "budi@example.org"})
    assert form.is_valid()
    add_service_error(form, ServiceError("Email sudah terdaftar.", field="email", code="taken"))
    assert form.errors == {"email": ["Email sudah terdaftar."]}


def test_an_error_without_a_known_field_belongs_to_the_whole_form() -> None:
    form = EmailForm({"email": "budi@example.org"})
    assert form.is_valid()
    add_service_error(form, ServiceError("Terlalu banyak percobaan.", field="no_such_field"))
    assert form.non_field_errors() == ["Terlalu banyak percobaan."]
    assert str(ServiceError("x", code="c")) == "x"
