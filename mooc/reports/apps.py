from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "mooc.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from mooc.learning.selectors import jp_ledger_register
        from mooc.reports.selectors.ledger import jp_and_target_of_user

        # Beranda's JP bar counts by the ledger's rule (mooc.learning.selectors).
        jp_ledger_register(jp_and_target_of_user)
