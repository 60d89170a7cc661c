from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mooc.core.images import PixelLimitedImageField
from mooc.core.models import AuditLog, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin[SiteSettings]):
    # Stored as uploaded and decoded later: the pixel limit is checked first (issue 14, F3).
    formfield_overrides = {models.ImageField: {"form_class": PixelLimitedImageField}}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "tagline", "logo", "primary_colour"]}),
        (_("Vocabulary"), {"fields": ["vocabulary_profile"]}),
        (_("Contact"), {"fields": ["contact_email", "contact_phone", "address", "footer_text"]}),
        (_("Time"), {"fields": ["time_zone_label"]}),
        (
            _("Certificate signatory"),
            {"fields": ["signatory_name", "signatory_title", "signatory_nip", "signature_image"]},
        ),
        (
            _("JP ledger"),
            {"fields": ["jp_target_internal", "jp_target_external", "minutes_per_jp"]},
        ),
        (
            _("SIASN course history"),
            {
                "fields": [
                    "siasn_instansi_id",
                    "siasn_institusi_penyelenggara",
                    "siasn_jenis_diklat_id",
                    "siasn_jenis_kursus",
                    "siasn_jenis_kursus_sertipikat",
                    "siasn_lokasi_id",
                    "siasn_hours_in_jp",
                ]
            },
        ),
    ]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "signature_image":
            # A private file has no URL to link to: a plain upload field, no "currently: …" link.
            kwargs["widget"] = forms.FileInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        # One row only: the list page would be a detour.
        row, _ = SiteSettings.objects.get_or_create(id=SiteSettings.SINGLETON_ID)
        return HttpResponseRedirect(reverse("admin:core_sitesettings_change", args=[row.pk]))


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin[AuditLog]):
    list_display = ["created_at", "actor_label", "action", "target_label", "ip", "reason"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "action", "target_label", "target_id", "reason", "request_id"]
    date_hierarchy = "created_at"
    list_select_related = ["target_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
