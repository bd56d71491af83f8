"""Kazakhstan's local time and today's date there.

Kazakhstan has used a single time zone, UTC+5, since 1 March 2024. The zone rules come from the
`tzdata` package (a declared dependency) rather than from the operating system, so a machine
with an old system database (which would still say UTC+6 for Almaty) gets the same answer.

Usage::

    from knowledge.clock import today_kz
    today_kz()                                   # the date in Kazakhstan right now
    today_kz(datetime(2026, 3, 20, 20, 0, tzinfo=UTC))   # -> 2026-03-21 (01:00 in Almaty)
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime
from importlib import resources
from zoneinfo import ZoneInfo

ZONE_NAME = "Asia/Almaty"


@functools.cache
def kz_zone() -> ZoneInfo:
    """Return Kazakhstan's zone, read from the `tzdata` package when it is installed."""
    try:
        zone_file = resources.files("tzdata.zoneinfo").joinpath(*ZONE_NAME.split("/"))
        with zone_file.open("rb") as handle:
            return ZoneInfo.from_file(handle, key=ZONE_NAME)
    except (ModuleNotFoundError, FileNotFoundError):
        # Without tzdata, the system database is the only source left.
        return ZoneInfo(ZONE_NAME)


def now_kz(now: datetime | None = None) -> datetime:
    """Return ``now`` (default: the current instant) as Kazakhstan local time.

    A naive ``now`` is taken to be UTC, as servers and Telegram timestamps are.
    """
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(kz_zone())


def today_kz(now: datetime | None = None) -> date:
    """Return the calendar date in Kazakhstan at ``now`` (default: the current instant)."""
    return now_kz(now).date()
