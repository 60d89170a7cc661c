"""Admin pages: report scopes are assigned here; training done elsewhere and SIASN
batches are listed here (they are added from the report pages, through services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mooc.reports.models import ExternalTraining, ReportScope, SiasnBatch


@admin.register(ReportScope)
class ReportScopeAdmin(admin.ModelAdmin[ReportScope]):
    list_display = ["user", "unit"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "unit"]
    search_fields = ["user__username", "user__full_name", "unit__name"]


@admin.register(ExternalTraining)
class ExternalTrainingAdmin(admin.ModelAdmin[ExternalTraining]):
    """Read-only: adding goes through the learner's report page (validated and audited)."""

    list_display = ["title", "user", "organiser", "ends_on", "jp", "created_by", "created_at"]
    list_select_related = ["user", "created_by"]
    search_fields = ["title", "organiser", "user__username", "user__full_name"]
    date_hierarchy = "ends_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SiasnBatch)
class SiasnBatchAdmin(admin.ModelAdmin[SiasnBatch]):
    list_display = ["created_at", "created_by", "date_from", "date_to", "unit", "row_count"]
    list_select_related = ["created_by", "unit"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
