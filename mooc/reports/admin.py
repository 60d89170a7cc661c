"""Admin pages: report scopes are assigned here; training done elsewhere and SIASN
batches are listed here (they are added from the report pages, through services).

Report viewers hold the reports' view permissions (their role takes every `view_`
permission of this app), so each list is narrowed to the viewer's scope, as the
report pages are; of the report scopes a viewer sees only their own.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mooc.accounts.models import User
from mooc.reports.models import ExternalTraining, ReportScope, SiasnBatch
from mooc.reports.selectors.scope import scope_for
from mooc.reports.selectors.siasn import siasn_batches

_TRAINING_FIELDS: tuple[str, ...] = (
    "user",
    "title",
    "organiser",
    "starts_on",
    "ends_on",
    "jp",
    "certificate_number",
    "evidence_link",
    "reason",
    "created_by",
    "created_at",
)


@admin.register(ReportScope)
class ReportScopeAdmin(admin.ModelAdmin[ReportScope]):
    list_display = ["user", "unit"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "unit"]
    search_fields = ["user__username", "user__full_name", "unit__name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportScope]:
        # A report viewer holds view_reportscope (their role's view_ permissions) and
        # sees their own row; the list is narrowed here, not in has_module_permission,
        # which every admin page asks for its side menu.
        scopes = super().get_queryset(request)
        if scope_for(request.user).is_admin:
            return scopes
        return scopes.filter(user_id=request.user.pk or 0)


@admin.register(ExternalTraining)
class ExternalTrainingAdmin(admin.ModelAdmin[ExternalTraining]):
    """Read-only: adding goes through the learner's report page (validated and audited)."""

    list_display = ["title", "user", "organiser", "ends_on", "jp", "created_by", "created_at"]
    list_select_related = ["user", "created_by"]
    search_fields = ["title", "organiser", "user__username", "user__full_name"]
    date_hierarchy = "ends_on"
    # The evidence is a private file (no URL): offered through the reports' own view.
    fields = _TRAINING_FIELDS
    readonly_fields = _TRAINING_FIELDS

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj: ExternalTraining) -> str:
        url = reverse("reports:external_training_evidence", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the file"))

    def get_queryset(self, request: HttpRequest) -> QuerySet[ExternalTraining]:
        scope = scope_for(request.user)
        visible = scope.users(User.objects.all()).values("pk")
        return super().get_queryset(request).filter(user__in=visible)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SiasnBatch)
class SiasnBatchAdmin(admin.ModelAdmin[SiasnBatch]):
    list_display = ["created_at", "created_by", "date_from", "date_to", "unit", "row_count"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SiasnBatch]:
        return siasn_batches(scope=scope_for(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
