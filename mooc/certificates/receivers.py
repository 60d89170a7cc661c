"""How certificates follow the exams app's events (`mooc.exams.signals`), connected in
`CertificatesConfig.ready`. Both run inside the exams app's transaction."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from mooc.catalog.models import Enrollment
from mooc.certificates.models import Certificate, CertificateState
from mooc.certificates.services import certificate_issue
from mooc.core.errors import ServiceError


def certificate_issue_on_pass(sender: Any, *, enrollment: Enrollment, **kwargs: Any) -> None:
    """A final exam was passed: the certificate is issued with the grade."""
    certificate_issue(enrollment)


def pass_withdrawal_refuse_if_certified(
    sender: Any, *, enrollment: Enrollment, **kwargs: Any
) -> None:
    """A reset may not silently take a pass away from under a valid certificate."""
    if Certificate.objects.filter(enrollment=enrollment, state=CertificateState.VALID).exists():
        raise ServiceError(
            _(
                "This attempt passed the course and its certificate is valid: revoke the "
                "certificate first (Certificates), then reset the attempt."
            ),
            code="certified",
        )
