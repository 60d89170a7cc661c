"""Data exports and deletion requests (UU PDP 27/2022; docs/security.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mooc.core.files import private_storage


class DataExportState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Could not be prepared")


class DataExport(models.Model):
    """A zip of everything the platform holds about one learner, built by a Celery task,
    kept in private storage until `expires_at` and handed only to its owner."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=DataExportState.choices,
        default=DataExportState.PENDING,
    )
    file = models.FileField(
        _("file"), upload_to="data-exports/", blank=True, storage=private_storage, max_length=200
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "state"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M} ({self.state})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_downloadable(self) -> bool:
        return self.state == DataExportState.DONE and bool(self.file) and not self.is_expired


class DeletionState(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved: account anonymised")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Withdrawn by the learner")


class DeletionRequest(models.Model):
    """A learner's request to delete their account. An admin approves it (the account is
    anonymised) or rejects it, with a reason; both go to the audit log."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="deletion_requests",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DeletionState.choices, default=DeletionState.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state="pending"),
                name="privacy_one_pending_deletion_request",
            ),
        ]

    def __str__(self) -> str:
        # No name or NIP: this label is copied into audit entries.
        return str(_("Deletion request #%(id)s")) % {"id": self.pk}

    @property
    def is_pending(self) -> bool:
        return self.state == DeletionState.PENDING
