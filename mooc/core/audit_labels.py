"""The audit log's actions as sentences for the admin ("Sertifikat dicabut", not
`certificate.revoke`). The codes stay in the database, stable for searches and exports;
these are only how the list and the filter say them. A code missing here is shown as
it is, so a new action is never hidden — add its sentence here when you add it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

ACTION_LABELS: dict[str, StrOrPromise] = {
    # Accounts
    "user.activated": _("Account activated by its owner"),
    "user.activated_by_admin": _("Account activated by an admin"),
    "user.activation_resent": _("Activation link sent again"),
    "user.created_by_admin": _("Account created by an admin"),
    "user.updated_by_admin": _("Account changed by an admin"),
    "user.deactivated": _("Account deactivated"),
    "user.reactivated": _("Account reactivated"),
    "user.unlocked": _("Account unlocked"),
    "user.locked_not_me": _("Account locked: the owner said a password change was not theirs"),
    "user.email_corrected": _("E-mail address corrected"),
    "user.nip_released": _("NIP released"),
    "user.password_changed": _("Password changed by its owner"),
    "user.password_reset": _("Password reset (Forgot Password)"),
    "user.password_set_by_admin": _("Password set by an admin"),
    "user.account_setup": _("First password set from the import mail"),
    "users.imported": _("Users imported"),
    "units.imported": _("Units imported"),
    "mfa_enrolled": _("Two-step verification turned on"),
    "mfa_disabled": _("Two-step verification turned off"),
    "mfa_reset": _("Two-step verification reset by an admin"),
    "mfa_recovery_code_used": _("Recovery code used"),
    "mfa_recovery_codes_renewed": _("Recovery codes renewed"),
    # Courses and enrolments
    "course.published": _("Course published"),
    "course.unpublished": _("Course unpublished"),
    "course.staff_changed": _("Course staff changed"),
    "course.package_imported": _("Course package imported"),
    "course.learners_enrolled_in_bulk": _("Learners enrolled in bulk"),
    "course.enrolments_exported": _("Enrolments exported"),
    "enrolment.deleted": _("Enrolment deleted"),
    # Exams
    "exam.created": _("Exam created"),
    "exam.settings_changed": _("Exam settings changed"),
    "exam.deleted": _("Exam deleted"),
    "exams.attempt_extend": _("Attempt given more time"),
    "exams.attempt_reset": _("Attempt reset"),
    "exams.exam_extend_running": _("Running attempts given more time"),
    "attempt.auto_submitted": _("Attempt submitted when time ran out"),
    "questions.imported": _("Questions imported"),
    # Certificates
    "certificate.reissue": _("Certificate reissued"),
    "certificate.revoke": _("Certificate revoked"),
    "certificate.export": _("Certificates downloaded as a zip"),
    # Reports
    "reports.export": _("Report exported"),
    "reports.siasn_export": _("SIASN file exported"),
    "reports.siasn_push": _("Course history sent to SIASN"),
    "reports.external_training_add": _("Training elsewhere recorded"),
    # Personal data
    "privacy.export_requested": _("Personal data export requested"),
    "privacy.export_downloaded": _("Personal data export downloaded"),
    "privacy.deletion_requested": _("Account deletion requested"),
    "privacy.deletion_cancelled": _("Account deletion request cancelled"),
    "privacy.deletion_rejected": _("Account deletion request rejected"),
    "privacy.account_anonymised": _("Account anonymised"),
}


def action_label(code: str) -> StrOrPromise:
    return ACTION_LABELS.get(code, code)
