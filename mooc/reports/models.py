"""Reports read what the other apps write; the few rows kept here are the reports' own:

- `ExternalTraining`: training done elsewhere, added by an admin to a learner's JP ledger.
- `ReportScope`: the unit whose subtree a report viewer ("Pelihat Laporan") may see.
- `SiasnBatch` / `SiasnBatchRow`: each SIASN course-history export, and the passed
  enrolments it carried, so the next export can take only new rows.
- `ReportExport`: a big export built by a Celery task, with its progress and file.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mooc.core.files import private_storage

# Evidence files: a certificate scan or PDF is well under this.
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")


class ExternalTraining(models.Model):
    """Training done elsewhere, counted in the learner's JP for the year it ended."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="external_trainings",
    )
    title = models.CharField(_("training title"), max_length=300)
    organiser = models.CharField(_("organiser"), max_length=300)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    jp = models.PositiveSmallIntegerField(_("JP"))
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to="external-training/", storage=private_storage, max_length=200
    )
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training done elsewhere")
        verbose_name_plural = _("training done elsewhere")
        ordering = ["-ends_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(jp__gt=0), name="reports_external_jp_gt_0"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="reports_external_dates_forward",
            ),
        ]
        indexes = [models.Index(fields=["user", "ends_on"])]

    def __str__(self) -> str:
        return self.title


class ReportScope(models.Model):
    """The unit (and its sub-units) a report viewer sees. Without one, their own unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("report viewer"),
        on_delete=models.CASCADE,
        related_name="report_scope",
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("report scope")
        verbose_name_plural = _("report scopes")

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"


class SiasnBatch(models.Model):
    """One SIASN course-history export: who took it, when, for which period and unit."""

    created_at = models.DateTimeField(_("exported at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    only_new = models.BooleanField(_("only new rows"), default=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)

    class Meta:
        verbose_name = _("SIASN export")
        verbose_name_plural = _("SIASN exports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"SIASN {self.created_at:%Y-%m-%d %H:%M} ({self.row_count})"


class SiasnBatchRow(models.Model):
    """A passed enrolment carried by a batch; pushed ones keep SIASN's record id."""

    batch = models.ForeignKey(
        SiasnBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="rows"
    )
    enrollment = models.ForeignKey(
        "catalog.Enrollment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    siasn_id = models.CharField(_("SIASN record id"), max_length=100, blank=True)
    pushed_at = models.DateTimeField(_("sent to SIASN at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SIASN export row")
        verbose_name_plural = _("SIASN export rows")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "enrollment"], name="reports_siasn_row_once_per_batch"
            )
        ]
        indexes = [models.Index(fields=["enrollment"])]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.enrollment_id}"


class ExportState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Building")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportExport(models.Model):
    """A report export too big to build during the request."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    report = models.CharField(_("report"), max_length=40)
    fmt = models.CharField(_("format"), max_length=4)
    params = models.JSONField(_("filters"), default=dict)
    state = models.CharField(
        _("state"), max_length=10, choices=ExportState.choices, default=ExportState.PENDING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    file = models.FileField(
        _("file"), upload_to="report-exports/", blank=True, storage=private_storage, max_length=200
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.report}.{self.fmt} ({self.get_state_display()})"

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
