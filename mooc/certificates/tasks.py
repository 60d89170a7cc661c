from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="mooc.certificates.tasks.certificate_render_task")
def certificate_render_task(certificate_id: int, version_id: int | None = None) -> None:
    """Render and store a certificate's PDF, so the first download is instant."""
    from mooc.certificates.models import Certificate
    from mooc.certificates.services import version_pdf_ensure

    certificate = Certificate.objects.select_related("current_version").get(pk=certificate_id)
    version = certificate.versions.get(pk=version_id) if version_id else certificate.current_version
    if version is None or not certificate.number or certificate.is_revoked:
        return
    version_pdf_ensure(version, certificate)


@shared_task(name="mooc.certificates.tasks.certificate_issued_task")
def certificate_issued_task(certificate_id: int) -> None:
    """Render and store a new certificate's PDF, then mail its holder."""
    from mooc.certificates.services import certificate_issued_finish

    certificate_issued_finish(certificate_id)


@shared_task(name="mooc.certificates.tasks.number_pending_certificates")
def number_pending_certificates() -> int:
    """Number certificates whose numbering did not run right after the grade."""
    from mooc.certificates.services import certificates_finish_pending

    numbered = certificates_finish_pending()
    if numbered:
        logger.warning("numbered %d certificate(s) left without a number", numbered)
    return numbered


@shared_task(name="mooc.certificates.tasks.certificate_export_task")
def certificate_export_task(export_id: int) -> None:
    from mooc.certificates.services import certificate_export_build

    certificate_export_build(export_id)
