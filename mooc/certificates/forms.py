from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mooc.catalog.models import Course
from mooc.certificates.services import CODE_LENGTH, code_normalise


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_("The code printed under the QR code of the certificate."),
    )

    def clean_code(self) -> str:
        code = code_normalise(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(
                _("A verification code has %(count)d letters and digits.") % {"count": CODE_LENGTH}
            )
        return code


class VerifyNumberForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=100)
    name = forms.CharField(
        label=_("Holder's name"),
        max_length=200,
        help_text=_("As printed on the certificate; academic titles may be left out."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for field in ("number", "name"):
            if field in cleaned:
                cleaned[field] = " ".join(str(cleaned[field]).split())
        return cleaned


class ExportForm(forms.Form):
    course: forms.ModelChoiceField[Course] = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.none()
    )

    def __init__(self, *args: Any, courses: QuerySet[Course], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]
