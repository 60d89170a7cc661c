"""The password rule: the manuals' default, or the BSSN 4/2021 profile."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class ComplexityValidator:
    """At least 8 characters with upper case, lower case and a digit ("seed");
    with PASSWORD_POLICY=bssn at least 12 characters and a symbol as well."""

    def _policy(self) -> tuple[int, bool]:
        return (12, True) if settings.PASSWORD_POLICY == "bssn" else (8, False)  # noqa: S105

    def validate(self, password: str, user: Any = None) -> None:
        min_length, needs_symbol = self._policy()
        problems = []
        if len(password) < min_length:
            problems.append(
                _("Password must be at least %(min)d characters long.") % {"min": min_length}
            )
        if not re.search(r"[A-Z]", password):
            problems.append(_("Password must contain an upper-case letter."))
        if not re.search(r"[a-z]", password):
            problems.append(_("Password must contain a lower-case letter."))
        if not re.search(r"[0-9]", password):
            problems.append(_("Password must contain a digit."))
        if needs_symbol and not re.search(r"[^A-Za-z0-9]", password):
            problems.append(_("Password must contain a symbol, such as ! ? # or @."))
        if problems:
            raise ValidationError(problems, code="password_too_weak")

    def get_help_text(self) -> str:
        min_length, needs_symbol = self._policy()
        if needs_symbol:
            return _(
                "At least %(min)d characters, with upper-case and lower-case letters, a digit "
                "and a symbol."
            ) % {"min": min_length}
        return _(
            "At least %(min)d characters, with upper-case and lower-case letters and a digit."
        ) % {"min": min_length}
