"""Logging set-up for the bot: the level from BOT_LOG_LEVEL, secrets and user texts never written.

httpx logs every request URL, and Bot API URLs contain the token, so httpx and httpcore are held
at WARNING; on top of that every formatted line (tracebacks included) has the token and the
webhook secret replaced by a mask, whatever library produced it.

When PTB cannot parse an update it logs the raw data at CRITICAL, users' texts and names
included, and with polling it fetches the same batch again and again (#17: 42,000 such lines in
three minutes). :class:`PrivacyFilter` replaces that data by the update ids and their kinds, and
:class:`FloodGuard` lets at most ``FloodGuard.burst`` lines of one kind through per minute, then
says how many it held back.

Usage::

    configure_logging(settings)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from bot.config import Settings, mask_token

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    """A formatter that replaces each secret by its mask in the finished line."""

    def __init__(self, secrets: dict[str, str], fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        # Longest first, so a secret containing another is replaced whole.
        self.secrets = sorted(((s, m) for s, m in secrets.items() if s), key=lambda p: -len(p[0]))

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        for secret, mask in self.secrets:
            line = line.replace(secret, mask)
        return line


class PrivacyFilter(logging.Filter):
    """PTB's "Received data was %r" lines: the update ids and kinds instead of the data."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if record.name.startswith("telegram") and "Received data was" in message and record.args:
            record.msg = message.split("Received data was")[0] + "Received data was %s"
            record.args = (_summary(record.args[0] if isinstance(record.args, tuple)
                                    else record.args),)
            if record.exc_info and record.exc_info[0] is not None:
                # the traceback's messages may quote the data too: its type is enough here
                record.msg += f" ({record.exc_info[0].__name__})"
                record.exc_info, record.exc_text = None, None
        return True


def _summary(data: Any) -> str:
    updates = data if isinstance(data, list) else [data]
    parts = []
    for update in updates[:10]:
        if isinstance(update, dict):
            kinds = sorted(k for k in update if k != "update_id")
            parts.append(f"update {update.get('update_id')} ({', '.join(kinds)})")
        else:
            parts.append(type(update).__name__)
    more = f" and {len(updates) - 10} more" if len(updates) > 10 else ""
    return f"[{'; '.join(parts)}{more}] (content not logged)"


class FloodGuard(logging.Filter):
    """At most ``burst`` lines with the same logger, level and message per ``window`` seconds;
    the first line after a quiet spell says how many were held back."""

    def __init__(self, burst: int = 5, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.burst, self.window, self.clock = burst, window, clock
        self._seen: dict[tuple[str, int, str], list[float]] = {}  # key -> [start, count, held]

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, str(record.msg))
        now = self.clock()
        state = self._seen.get(key)
        if state is None or now - state[0] >= self.window:
            held = int(state[2]) if state else 0
            self._seen[key] = [now, 1, 0]
            if len(self._seen) > 1000:  # forget old kinds; a few hundred exist at most
                self._seen = {k: v for k, v in self._seen.items() if now - v[0] < self.window}
            if held:
                record.msg = f"({held} similar lines held back in the last minute) {record.msg}"
            return True
        state[1] += 1
        if state[1] <= self.burst:
            return True
        state[2] += 1
        return False


def secrets_of(settings: Settings) -> dict[str, str]:
    secrets = {settings.token: mask_token(settings.token)}
    _bot_id, _sep, token_secret = settings.token.partition(":")
    if token_secret:
        secrets[token_secret] = "***"
    if settings.webhook_secret:
        secrets[settings.webhook_secret] = "***"
    return secrets


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(secrets_of(settings)))
    handler.addFilter(PrivacyFilter())
    handler.addFilter(FloodGuard())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # APScheduler announces every scheduler start and job addition at INFO; the bot logs what
    # matters (reminders restored, sent) itself.
    if settings.log_level != "DEBUG":
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
