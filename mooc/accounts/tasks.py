from __future__ import annotations

import logging

from celery import shared_task

from mooc.accounts.services.registration import unactivated_accounts_purge

logger = logging.getLogger(__name__)


@shared_task(name="mooc.accounts.tasks.purge_unactivated_accounts")
def purge_unactivated_accounts() -> int:
    removed = unactivated_accounts_purge()
    logger.info("removed %d registration(s) never activated", removed)
    return removed
