"""Captcha: the self-hosted image captcha by default, Google reCAPTCHA when keys are set.

With CAPTCHA_TEST_MODE (refused when DEBUG is off) the image captcha accepts the
answer PASSED, for automated tests.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Letters people don't confuse with each other or with digits.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ"

CAPTCHA_FAILED = _("Validation failed! Try again!")


def readable_challenge() -> tuple[str, str]:
    challenge = "".join(secrets.choice(_ALPHABET) for _ in range(settings.CAPTCHA_LENGTH))
    return challenge, challenge


def captcha_field() -> forms.Field:
    if settings.CAPTCHA_BACKEND == "recaptcha" and not settings.CAPTCHA_TEST_MODE:
        from django_recaptcha.fields import ReCaptchaField
        from django_recaptcha.widgets import ReCaptchaV2Checkbox

        field: forms.Field = ReCaptchaField(widget=ReCaptchaV2Checkbox, label="Captcha")
    else:
        from captcha.fields import CaptchaField

        field = CaptchaField(
            label=_("Type the code in the picture"),
            help_text=_("Letters are not case-sensitive. Use the refresh button for a new code."),
        )
    field.error_messages = {
        **field.error_messages,
        "invalid": CAPTCHA_FAILED,
        "required": CAPTCHA_FAILED,
    }
    return field


def is_captcha_error(form: forms.Form, field_name: str = "captcha") -> bool:
    return field_name in form.errors


def captcha_context() -> dict[str, Any]:
    return {"captcha_backend": settings.CAPTCHA_BACKEND}
