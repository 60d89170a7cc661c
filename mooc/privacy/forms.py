from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mooc.core.admin_views import ReasonForm


class DeletionRequestForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm that it is you asking."),
    )


class DecisionForm(ReasonForm):
    """An admin's decision on a deletion request: the reason is audited and mailed."""

    reason_help_text = _("Kept in the audit log and sent to the learner.")
