from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mooc.core.files import private_storage
from mooc.core.vocabulary import Vocabulary, VocabularyProfile, vocabulary_for

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #0b3d91."))


def validate_certificate_number_format(value: str) -> None:
    """A number format must use {year} and {seq} and nothing else but {short_name}."""
    import string

    try:
        fields = [
            (name, spec)
            for _text, name, spec, _conv in string.Formatter().parse(value)
            if name is not None
        ]
        value.format(short_name="X", year=2026, seq=1)
    except (ValueError, KeyError, IndexError):
        raise ValidationError(
            _("Use only {short_name}, {year} and {seq}, for example {short_name}/{year}/{seq:06d}.")
        ) from None
    names = {name for name, _spec in fields}
    if not names <= {"short_name", "year", "seq"} or not {"year", "seq"} <= names:
        raise ValidationError(
            _("Use only {short_name}, {year} and {seq}, for example {short_name}/{year}/{seq:06d}.")
        )


class SiteSettings(models.Model):
    """The institution's branding: one row, edited in the admin.

    Read through `mooc.core.selectors.site_settings_get`, which caches it; saving
    clears that cache so every worker sees a change on its next request.
    """

    SINGLETON_ID: ClassVar[int] = 1

    name = models.CharField(_("institution name"), max_length=200, default="MOOC BPSDM")
    short_name = models.CharField(
        _("short name"),
        max_length=30,
        default="BPSDM",
        help_text=_("Used in certificate numbers and page titles."),
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    logo = models.ImageField(_("logo"), upload_to="branding/", blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#0b3d91", validators=[hex_colour]
    )
    vocabulary_profile = models.CharField(
        _("vocabulary profile"),
        max_length=20,
        choices=VocabularyProfile.choices,
        default=VocabularyProfile.KEMENKUM,
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    footer_text = models.TextField(_("footer text"), blank=True)
    time_zone_label = models.CharField(
        _("time zone label"),
        max_length=10,
        blank=True,
        help_text=_("Leave empty to derive it from TIME_ZONE (WIB, WITA or WIT)."),
    )
    certificate_number_format = models.CharField(
        _("certificate number format"),
        max_length=100,
        default="{short_name}/{year}/{seq:06d}",
        validators=[validate_certificate_number_format],
        help_text=_(
            "Placeholders: {short_name}, {year} and {seq} (the running number, restarting each "
            "year; {seq:06d} pads it to six digits). {year} and {seq} are required."
        ),
    )
    signatory_name = models.CharField(_("certificate signatory name"), max_length=200, blank=True)
    signatory_title = models.CharField(_("certificate signatory title"), max_length=200, blank=True)
    signatory_nip = models.CharField(_("certificate signatory NIP"), max_length=30, blank=True)
    # A signature must not be downloadable by URL: it is kept with the private files.
    signature_image = models.ImageField(
        _("signature image"), upload_to="signatures/", blank=True, storage=private_storage
    )
    # The JP ledger (mooc.reports): the yearly target per employee type (empty: no
    # target, e.g. for external learners) and how long one JP lasts.
    jp_target_internal = models.PositiveSmallIntegerField(
        _("yearly JP target for internal employees"),
        null=True,
        blank=True,
        default=20,
        help_text=_("Leave empty for no target."),
    )
    jp_target_external = models.PositiveSmallIntegerField(
        _("yearly JP target for external learners"),
        null=True,
        blank=True,
        default=None,
        help_text=_("Leave empty for no target."),
    )
    minutes_per_jp = models.PositiveSmallIntegerField(
        _("minutes per JP"), null=True, blank=True, default=45, help_text=_("Empty: 45.")
    )
    # SIASN course history ("riwayat kursus"): the fixed fields of every exported row.
    siasn_instansi_id = models.CharField(_("SIASN instansiId"), max_length=64, blank=True)
    siasn_institusi_penyelenggara = models.CharField(
        _("SIASN institusiPenyelenggara"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the institution name."),
    )
    siasn_jenis_diklat_id = models.CharField(_("SIASN jenisDiklatId"), max_length=64, blank=True)
    siasn_jenis_kursus = models.CharField(_("SIASN jenisKursus"), max_length=64, blank=True)
    siasn_jenis_kursus_sertipikat = models.CharField(
        _("SIASN jenisKursusSertipikat"), max_length=64, blank=True
    )
    siasn_lokasi_id = models.CharField(_("SIASN lokasiId"), max_length=64, blank=True)
    siasn_hours_in_jp = models.BooleanField(
        _("SIASN jumlahJam counts JP"),
        default=True,
        help_text=_("Off: jumlahJam carries clock hours (the course duration, rounded up)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="site_settings_singleton"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.id = self.SINGLETON_ID
        super().save(*args, **kwargs)
        from mooc.core.selectors import site_settings_clear_cache

        site_settings_clear_cache()

    @property
    def vocabulary(self) -> Vocabulary:
        return vocabulary_for(self.vocabulary_profile)


class AuditLog(models.Model):
    """Who did what to which object, and why. Rows are never changed or deleted."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A copy of the actor's name, kept when the account is later removed.
    actor_label = models.CharField(_("actor name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("target type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True, db_index=True)
    target_label = models.CharField(_("target"), max_length=300, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        # In the institution's time, as everywhere on the admin (the stored value is UTC).
        moment = timezone.localtime(self.created_at) if self.created_at else None
        return f"{moment:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Audit log entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Audit log entries are append-only.")
