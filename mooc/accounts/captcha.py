"""Captcha: the self-hosted image captcha by default, Google reCAPTCHA when keys are set.

With CAPTCHA_TEST_MODE (refused when DEBUG is off) the image captcha accepts the
answer PASSED, for automated tests.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mooc.core.net import client_ip_key
from mooc.core.ratelimit import ratelimit_hit

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


# Each refresh stores a new challenge row. A person asks for a handful; a script
# asked for 300 in 1.3 s (issue 14, F9). Per client IP (an IPv6 /64), generous
# enough for an office behind one address.
REFRESH_LIMIT = 60
REFRESH_WINDOW = 600  # seconds


def captcha_refresh(request: HttpRequest) -> HttpResponse:
    """django-simple-captcha's refresh view behind a per-IP limit. Over the limit it
    answers 429 with a JSON body without a `key`, which js/captcha.js leaves alone
    (the current picture stays)."""
    from captcha.views import captcha_refresh as refresh

    limit = ratelimit_hit(
        "captcha-refresh", client_ip_key(request), limit=REFRESH_LIMIT, window=REFRESH_WINDOW
    )
    if not limit.allowed:
        response = JsonResponse(
            {
                "error": gettext("Too many new codes requested. Please wait a few minutes."),
                "retry_after": limit.retry_after,
            },
            status=429,
        )
        response["Retry-After"] = str(limit.retry_after)
        return response
    return refresh(request)  # type: ignore[no-any-return]
