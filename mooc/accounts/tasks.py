from __future__ import annotations

import logging

from celery import shared_task

from mooc.accounts.models import User
from mooc.accounts.services.passwords import account_setup_mail
from mooc.accounts.services.registration import unactivated_accounts_purge

logger = logging.getLogger(__name__)


@shared_task(name="mooc.accounts.tasks.purge_unactivated_accounts")
def purge_unactivated_accounts() -> int:
    removed = unactivated_accounts_purge()
    logger.info("removed %d registration(s) never activated", removed)
    return removed


@shared_task(name="mooc.accounts.tasks.imported_accounts_notify")
def imported_accounts_notify(*, user_ids: list[int]) -> int:
    """Each imported account gets its set-password mail (the mails themselves go out
    through the rate-limited notice queue). Ids, not users: the task may run later."""
    sent = 0
    for user in User.objects.filter(pk__in=user_ids).exclude(email="").iterator(chunk_size=500):
        account_setup_mail(user=user)
        sent += 1
    logger.info("set-password mail queued for %d imported account(s)", sent)
    return sent
