"""Certificates: issued with the grade that passes a course, numbered per institution and
year without gaps, verified publicly by an unguessable code.

- `Certificate` is the lasting record (number, code, state). What it certifies lives in
  `CertificateVersion` snapshots: version 1 is written when the learner passes; an admin
  correction adds a version (same number and code) and the verification page shows the
  newest one. Earlier versions and their PDFs are kept.
- `CertificateSequence` holds the last number used per series (the institution's short
  name) and year; numbers are taken from it in a transaction of their own right after the
  grade commits, so the exam's hot path never waits on it.
- `CertificateDesign` is the institution's design (the default one) or a course's override.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mooc.catalog.models import Course, Enrollment
from mooc.core.files import private_storage
from mooc.core.models import hex_colour


class CertificateDesign(models.Model):
    """How certificates look. Empty signatory fields and logo fall back to the site settings."""

    name = models.CharField(_("name"), max_length=100)
    is_default = models.BooleanField(
        _("institution's default"),
        default=False,
        help_text=_("Used for every course that has no design of its own."),
    )
    courses = models.ManyToManyField(
        Course,
        verbose_name=_("courses using this design"),
        blank=True,
        related_name="certificate_designs",
        help_text=_("Leave empty for the default design. A course may use one design only."),
    )
    title = models.CharField(_("title"), max_length=60, default="SERTIFIKAT")
    intro_text = models.CharField(
        _("text before the name"), max_length=200, default="diberikan kepada"
    )
    body_text = models.CharField(
        _("text before the course title"),
        max_length=300,
        default="atas keberhasilannya menyelesaikan pelatihan",
    )
    footer_text = models.CharField(_("footer text"), max_length=300, blank=True)
    place = models.CharField(
        _("place of signing"), max_length=100, blank=True, help_text=_("For example: Jakarta")
    )
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#0b3d91", validators=[hex_colour]
    )
    text_colour = models.CharField(
        _("text colour"), max_length=7, default="#1f2937", validators=[hex_colour]
    )
    show_score = models.BooleanField(_("show the score"), default=False)
    background = models.ImageField(
        _("background image"), upload_to="certificate-designs/", blank=True, storage=private_storage
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="certificate-designs/",
        blank=True,
        storage=private_storage,
        help_text=_("Leave empty to use the site's logo."),
    )
    signatory_name = models.CharField(
        _("signatory name"),
        max_length=200,
        blank=True,
        help_text=_("Leave the signatory fields empty to use the site settings."),
    )
    signatory_title = models.CharField(_("signatory title"), max_length=200, blank=True)
    signatory_nip = models.CharField(_("signatory NIP"), max_length=30, blank=True)
    signature_image = models.ImageField(
        _("signature image"), upload_to="signatures/", blank=True, storage=private_storage
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("certificate design")
        verbose_name_plural = _("certificate designs")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="certificates_one_default_design",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CertificateSequence(models.Model):
    """The last certificate number used in a series (institution) and year."""

    series = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="certificates_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series}/{self.year}: {self.last}"


class CertificateState(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class Certificate(models.Model):
    enrollment = models.OneToOneField(
        Enrollment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="certificates"
    )
    # Null for a moment after issuing: the number is taken right after the grade commits.
    number = models.CharField(_("number"), max_length=100, unique=True, null=True, blank=True)
    series = models.CharField(_("series"), max_length=30)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=CertificateState.choices, default=CertificateState.VALID
    )
    passed_at = models.DateTimeField(_("passed at"))
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    current_version = models.ForeignKey(
        "CertificateVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "sequence"], name="certificates_sequence_once"
            ),
        ]
        indexes = [models.Index(fields=["course", "state"]), models.Index(fields=["user"])]

    def __str__(self) -> str:
        return self.number or str(_("certificate being numbered"))

    @property
    def is_revoked(self) -> bool:
        return self.state == CertificateState.REVOKED


class CertificateVersion(models.Model):
    """What a certificate states, frozen when written; a correction adds a version."""

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    version = models.PositiveSmallIntegerField(_("version"))
    holder_name = models.CharField(_("name"), max_length=200)
    holder_id_label = models.CharField(_("identity number label"), max_length=20, blank=True)
    holder_id = models.CharField(_("identity number"), max_length=64, blank=True)
    holder_instansi = models.CharField(_("institution"), max_length=255, blank=True)
    course_title = models.CharField(_("course title"), max_length=300)
    jp = models.PositiveSmallIntegerField(_("JP"))
    passed_on = models.DateField(_("date passed"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    issuer_name = models.CharField(_("issuer"), max_length=200)
    # The design's texts, colours and image file names when this version was written.
    layout = models.JSONField(_("layout"), default=dict)
    design = models.ForeignKey(
        CertificateDesign,
        verbose_name=_("design"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pdf = models.FileField(
        _("PDF"), upload_to="certificates/", blank=True, storage=private_storage, max_length=200
    )
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate version")
        verbose_name_plural = _("certificate versions")
        ordering = ["certificate_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "version"], name="certificates_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate} v{self.version}"


class ExportState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Building")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class CertificateExport(models.Model):
    """A zip of one course's certificates, built by a Celery task."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ExportState.choices, default=ExportState.PENDING
    )
    total = models.PositiveIntegerField(_("certificates"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    file = models.FileField(
        _("file"), upload_to="certificate-exports/", blank=True, storage=private_storage
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate export")
        verbose_name_plural = _("certificate exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.course} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if self.state == ExportState.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    def as_progress(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
        }
