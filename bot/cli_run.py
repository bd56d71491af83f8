"""``python -m bot run [--webhook]``: the Telegram bot.

Usage::

    TELEGRAM_BOT_TOKEN=123456:ABC... python -m bot run            # long polling
    BOT_WEBHOOK_URL=https://bot.example.kz/tg BOT_WEBHOOK_SECRET=$(openssl rand -hex 24) \\
        TELEGRAM_BOT_TOKEN=... python -m bot run --webhook          # a webhook server

Settings come from environment variables (see ``bot.config``). The webhook server listens on
BOT_WEBHOOK_LISTEN:BOT_WEBHOOK_PORT at the path of BOT_WEBHOOK_URL (so a reverse proxy can pass
the URL through unchanged) and accepts only calls that carry BOT_WEBHOOK_SECRET. Both ways store
each update before Telegram is told it arrived (``bot.telegram.inbox``).

Exit codes: 0 stopped normally (Ctrl+C, SIGTERM); 1 the knowledge base has errors (the validator
report is printed) or the Bot API could not be reached at start; 2 a setting is missing or
malformed, Telegram refused the token, or the database cannot be used. Each failure is one line
on stderr that names the cause; the token is never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from urllib.parse import urlsplit

from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from bot.config import ConfigError, Settings
from bot.runtime import load_or_exit
from bot.storage import Database, StorageError
from bot.telegram import ALLOWED_UPDATES, build_application
from bot.telegram.logsafe import configure_logging
from bot.telegram.polling import run_polling
from bot.telegram.reminders import reminders_available, test_delays_from_env
from bot.telegram.webhook import WebhookConfig, run_webhook
from dialogs.engine import ChatEngine

logger = logging.getLogger(__name__)

EXIT_KNOWLEDGE = 1
EXIT_UNREACHABLE = 1
EXIT_CONFIG = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the Telegram bot",
        description="Run the Telegram bot (long polling, or a webhook server with --webhook). "
        "Configuration comes from environment variables such as TELEGRAM_BOT_TOKEN.",
    )
    parser.add_argument(
        "--webhook",
        action="store_true",
        help="receive updates on a webhook (needs BOT_WEBHOOK_URL and BOT_WEBHOOK_SECRET)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env(webhook=args.webhook)
        reminder_test_delays = test_delays_from_env()  # tests only: a shortened clock
    except ConfigError as error:
        return fail(f"configuration error: {error}", EXIT_CONFIG)
    configure_logging(settings)
    kb = load_or_exit(str(settings.knowledge_dir) if settings.knowledge_dir else None)
    try:
        asyncio.run(check_bot_api(settings))
        asyncio.run(check_database(settings.db_path))
    except InvalidToken:
        return token_refused()
    except NetworkError as error:
        return unreachable(settings, error)
    except StorageError as error:
        return fail(f"storage error: {error}", EXIT_CONFIG)
    # "Remind me" is offered only where the JobQueue (APScheduler) can send the reminders.
    engine = ChatEngine(kb, reminders=reminders_available())
    application = build_application(settings, engine, reminder_test_delays=reminder_test_delays)
    logger.info(
        "starting (%s, token %s, knowledge base %s, database %s)",
        "webhook" if args.webhook else "long polling",
        settings.masked_token, kb.version, settings.db_path,
    )
    try:
        if args.webhook:
            assert settings.webhook_url is not None and settings.webhook_secret is not None
            asyncio.run(run_webhook(application, WebhookConfig(
                listen=settings.webhook_listen, port=settings.webhook_port,
                url=settings.webhook_url, secret=settings.webhook_secret), ALLOWED_UPDATES))
        else:
            asyncio.run(run_polling(application, allowed_updates=ALLOWED_UPDATES))
    except InvalidToken:
        return token_refused()
    except StorageError as error:
        return fail(f"storage error: {error}", EXIT_CONFIG)
    except NetworkError as error:
        return unreachable(settings, error)
    return 0


async def check_bot_api(settings: Settings) -> str:
    """Call getMe once before starting, so a refused token or an unreachable Bot API is one
    clear line instead of the library's retry loop; returns the bot's @username."""
    async with Bot(settings.token, base_url=settings.base_url) as bot:  # initialize() = getMe
        return bot.username


def token_refused() -> int:
    return fail("configuration error: TELEGRAM_BOT_TOKEN: Telegram refused the token "
                "(value hidden)", EXIT_CONFIG)


def unreachable(settings: Settings, error: NetworkError) -> int:
    host = urlsplit(settings.base_url).netloc
    return fail(f"cannot reach the Bot API at {host}: {error.message}", EXIT_UNREACHABLE)


async def check_database(path: Path) -> None:
    """Open and migrate the database once before starting, so a bad file fails fast."""
    database = await Database.open(path)
    await database.close()


def fail(line: str, code: int) -> int:
    print(line, file=sys.stderr)
    return code
