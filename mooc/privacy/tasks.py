from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="mooc.privacy.tasks.data_export_build_task")
def data_export_build_task(export_id: int) -> None:
    from mooc.privacy.services.export import data_export_build

    data_export_build(export_id)


@shared_task(name="mooc.privacy.tasks.purge_expired_account_tokens")
def purge_expired_account_tokens() -> int:
    from mooc.privacy.services.retention import account_tokens_purge

    removed = account_tokens_purge()
    logger.info("removed %d expired account token(s)", removed)
    return removed


@shared_task(name="mooc.privacy.tasks.purge_expired_captchas")
def purge_expired_captchas() -> int:
    from mooc.privacy.services.retention import captchas_purge

    removed = captchas_purge()
    logger.info("removed %d expired captcha(s)", removed)
    return removed


@shared_task(name="mooc.privacy.tasks.purge_expired_data_exports")
def purge_expired_data_exports() -> int:
    from mooc.privacy.services.retention import data_exports_purge

    removed = data_exports_purge()
    logger.info("removed %d expired data export(s)", removed)
    return removed
