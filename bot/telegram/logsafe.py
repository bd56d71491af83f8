"""Logging set-up for the bot: the level from BOT_LOG_LEVEL, secrets never written.

httpx logs every request URL, and Bot API URLs contain the token, so httpx and httpcore are held
at WARNING; on top of that every formatted line (tracebacks included) has the token and the
webhook secret replaced by a mask, whatever library produced it.

Usage::

    configure_logging(settings)
"""

from __future__ import annotations

import logging

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
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # APScheduler announces every scheduler start and job addition at INFO; the bot logs what
    # matters (reminders restored, sent) itself.
    if settings.log_level != "DEBUG":
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
