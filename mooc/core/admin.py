from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from mooc.core.audit_labels import action_label
from mooc.core.images import PixelLimitedImageField
from mooc.core.models import AuditLog, SiteSettings
from mooc.core.timezones import institution_tz, tz_label


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


class AuditActionFilter(admin.SimpleListFilter):
    """The actions that occur in the log, said as sentences (not their codes)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        codes = AuditLog.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((code, action_label(code)) for code in codes), key=lambda c: str(c[1]))

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        return queryset.filter(action=self.value()) if self.value() else None


class AuditTargetTypeFilter(admin.SimpleListFilter):
    """The kinds of object the log names, of this project's own apps only (not the ~45
    content types of Django and the libraries: sessions, permissions, OTP devices …)."""

    title = _("object type")
    parameter_name = "target_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        used = AuditLog.objects.order_by().values_list("target_type", flat=True).distinct()
        choices: list[tuple[str, Any]] = []
        for content_type in ContentType.objects.filter(pk__in=used, app_label__in=_DOMAIN_APPS):
            model = content_type.model_class()
            if model is not None:
                choices.append((str(content_type.pk), capfirst(model._meta.verbose_name)))
        return sorted(choices, key=lambda choice: str(choice[1]))

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        value = self.value()
        return queryset.filter(target_type_id=int(value)) if value and value.isdigit() else None


# The apps whose objects the audit log names; the filter offers only their types.
_DOMAIN_APPS = (
    "accounts",
    "catalog",
    "certificates",
    "content",
    "core",
    "exams",
    "learning",
    "packages",
    "privacy",
    "reports",
)


def _local(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(institution_tz())
    return f"{date_format(local, 'j M Y H:i:s')} {tz_label()}"


_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)$")


def _shown(value: Any) -> str:
    """A before/after value as people read it: moments (stored as ISO text, often UTC)
    in the institution's time, lists joined, nothing as a dash."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        return _local(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_shown(item)}" for key, item in value.items()) or "–"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin[AuditLog]):
    # Five columns that fit a 1280 px screen: the reason is cut (whole on the entry's
    # page) and the address sits under the actor.
    list_display = ["time", "actor_and_ip", "action_sentence", "target_label", "short_reason"]
    list_filter = [AuditActionFilter, AuditTargetTypeFilter]
    search_fields = ["actor_label", "action", "target_label", "target_id", "reason", "request_id"]
    date_hierarchy = "created_at"
    list_select_related = ["target_type"]
    fields = (
        "time",
        "actor_label",
        "action_sentence",
        "target_type",
        "target_id",
        "target_label",
        "reason",
        "changes",
        "ip",
        "request_id",
    )
    readonly_fields = fields

    @admin.display(description=_("time"), ordering="created_at")
    def time(self, obj: AuditLog) -> str:
        return _local(obj.created_at)

    @admin.display(description=_("actor"), ordering="actor_label")
    def actor_and_ip(self, obj: AuditLog) -> str:
        if not obj.ip:
            return obj.actor_label
        return format_html('{}<br><span class="quiet">{}</span>', obj.actor_label, obj.ip)

    @admin.display(description=_("action"), ordering="action")
    def action_sentence(self, obj: AuditLog) -> str:
        return format_html('<span title="{}">{}</span>', obj.action, action_label(obj.action))

    @admin.display(description=_("reason"))
    def short_reason(self, obj: AuditLog) -> str:
        return Truncator(obj.reason).chars(60)

    @admin.display(description=_("changes"))
    def changes(self, obj: AuditLog) -> str:
        before, after = obj.before or {}, obj.after or {}
        if not isinstance(before, dict) or not isinstance(after, dict):
            return _shown(after)
        names = list(dict.fromkeys([*before, *after]))
        if not names:
            return "–"
        rows = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
            ((name, _shown(before.get(name)), _shown(after.get(name))) for name in names),
        )
        return format_html(
            '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("field"),
            _("before"),
            _("after"),
            rows,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
