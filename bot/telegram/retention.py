"""Retention: the data of users who have not written for ``BOT_RETENTION_DAYS`` days (365 by
default) is deleted by a daily job, as ``/forget`` would delete it, except that their statistics
events stay without the user id. Users still waiting for a reminder are kept. ``0`` turns the job
off (data then stays until ``/forget``).

Personal data should not be kept longer than its purpose needs: a year after the last message,
an interview's answers and checklist are stale anyway (the rules and the person's situation
change), and a user who comes back simply starts again.

Usage (``bot.telegram.features`` does this)::

    retention.install(service, application)   # schedules the daily job unless switched off
    await expire_inactive_users(service)       # one run, e.g. from a test
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from telegram.ext import Application, ContextTypes

from bot.telegram.service import BotService

logger = logging.getLogger(__name__)

RUN_EVERY = 24 * 60 * 60  # seconds
FIRST_RUN = 90  # seconds after start: out of the way of the start itself


async def expire_inactive_users(service: BotService, now: datetime | None = None) -> list[int]:
    """Delete the data of users inactive for the retention period; returns their ids."""
    days = service.settings.retention_days
    if days <= 0:
        return []
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    expired = await service.database.expire_inactive(cutoff)
    for user_id in expired:
        service.recent.drop(user_id)  # the memory of recent sessions must not bring them back
    if expired:
        logger.info("deleted the data of %d users inactive for %d days", len(expired), days)
    return expired


async def run_daily(context: ContextTypes.DEFAULT_TYPE) -> None:
    service: BotService = context.job.data  # type: ignore[union-attr]
    try:
        await expire_inactive_users(service)
    except Exception:  # storage trouble: the next run tries again; nothing is half-deleted
        logger.exception("could not delete the data of inactive users")


def install(service: BotService, application: Application) -> None:
    if service.settings.retention_days > 0 and application.job_queue is not None:
        application.job_queue.run_repeating(run_daily, interval=RUN_EVERY, first=FIRST_RUN,
                                            data=service, name="expire-inactive-users")
