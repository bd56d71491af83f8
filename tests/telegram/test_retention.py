"""The daily retention job on the running bot: users away for BOT_RETENTION_DAYS are forgotten,
in the database and in the memory of recent sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.telegram.retention import expire_inactive_users
from tests.telegram.conftest import Harness
from tests.telegram.helpers import press_shown


async def test_the_job_is_scheduled_daily(harness: Harness) -> None:
    assert harness.service.settings.retention_days == 365
    jobs = harness.app.job_queue.get_jobs_by_name("expire-inactive-users")  # type: ignore[union-attr]
    assert len(jobs) == 1


async def test_a_user_away_for_a_year_starts_from_zero(harness: Harness) -> None:
    gone, here = harness.user(7201), harness.user(7202)
    for user in (gone, here):
        await user.send("/start")
        await user.wait_reply()
        await press_shown(user, "m:worker")
        await user.wait_reply()
    assert harness.service.recent.get(gone.id) is not None
    # A year and a day later for `gone`: `here` writes then, `gone` does not.
    later = datetime.now(UTC) + timedelta(days=366)
    async with harness.db.transaction() as tx:
        await tx.users.touch(here.id, at=later)

    assert await expire_inactive_users(harness.service, now=later) == [gone.id]

    assert harness.service.recent.get(gone.id) is None
    async with harness.db.read() as r:
        assert await r.users.get(gone.id) is None
        assert await r.sessions.get(gone.id) is None
        assert await r.sessions.get(here.id) is not None
    await gone.send("/menu")
    await gone.wait_reply()
    async with harness.db.read() as r:
        record = await r.sessions.get(gone.id)
    assert record is not None and record.state.get("dialog") is None  # nothing came back
