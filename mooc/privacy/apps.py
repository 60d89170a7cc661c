from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A learner's rights over their personal data (UU PDP 27/2022): a copy of it all,
    deletion by anonymisation after an admin's approval, and the retention jobs."""

    name = "mooc.privacy"
    label = "privacy"
    verbose_name = _("Personal data protection")
