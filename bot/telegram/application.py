"""The PTB ``Application`` of the bot, ready for ``run_polling`` or ``run_webhook``.

Usage::

    application = build_application(settings, ChatEngine(load_knowledge()))
    application.run_polling(allowed_updates=ALLOWED_UPDATES)

What it sets up: the Bot API endpoint from TELEGRAM_BASE_URL; HTML as the default parse mode
(link previews off: source links would otherwise fill the screen); flood control with retries
(``RetryingRateLimiter``); updates of different users in parallel but each user's in order
(``PerUserUpdateProcessor``); in ``post_init`` the database and the command lists and
descriptions in ru, kk, en and a default, and the jobs of pending reminders; in
``post_shutdown`` the database is closed.
"""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot.config import Settings
from bot.telegram.features import install_features
from bot.telegram.ordering import PerUserUpdateProcessor
from bot.telegram.reminders import Reminders
from bot.telegram.retry import RetryingRateLimiter
from bot.telegram.service import BotService
from bot.telegram.signals import install_stop_signals
from dialogs import commands
from dialogs.engine import ChatEngine
from dialogs.i18n import LANGUAGES

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
    Update.INLINE_QUERY,
]
SERVICE_KEY = "service"  # application.bot_data[SERVICE_KEY] is the BotService
REMINDERS_KEY = "reminders"  # ... and [REMINDERS_KEY] the Reminders (when the JobQueue runs)


FLOOD_RETRIES = 8
"""429s in a row a message survives (each retried after Telegram's ``retry_after``): a burst of
five or six must not turn an answer into an apology (#17)."""

def build_application(
    settings: Settings,
    engine: ChatEngine,
    *,
    max_concurrent_updates: int = 256,
    read_timeout: float | None = None,
    network_retries: int = 3,
    backoff: float = 0.5,
    reminder_test_delays: tuple[float, ...] | None = None,
) -> Application:
    """The Application with every handler; nothing touches the network or disk until it runs.

    ``reminder_test_delays``: the shortened reminder clock of tests (``bot.telegram.reminders``).
    """
    service = BotService(engine, settings)
    reminders: Reminders | None = None

    async def post_init(application: Application) -> None:
        install_stop_signals(application)  # run with stop_signals=None (bot.telegram.signals)
        await service.open()
        if reminders is not None:
            await reminders.restore()  # jobs for the pending reminders: a restart loses none
        await publish_profile(application, engine.kb.meta.default_language,
                              admin_ids=settings.admin_ids)

    async def post_shutdown(application: Application) -> None:
        await service.close()

    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(RetryingRateLimiter(max_retries=FLOOD_RETRIES,
                                          network_retries=network_retries,
                                          backoff=backoff))
        .concurrent_updates(PerUserUpdateProcessor(max_concurrent_updates))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if read_timeout is not None:
        builder = builder.read_timeout(read_timeout)
    application = builder.build()
    service.register(application)
    install_features(service, application)  # share links, inline, hand-off, admin
    application.bot_data[SERVICE_KEY] = service
    if application.job_queue is not None:  # the job-queue extra (APScheduler) is installed
        reminders = Reminders(service, application.job_queue, hour=settings.reminder_hour,
                              test_delays=reminder_test_delays)
        reminders.install()
        application.bot_data[REMINDERS_KEY] = reminders
    return application


async def publish_profile(application: Application, default_language: str,
                          admin_ids: frozenset[int] = frozenset()) -> None:
    """Commands, description and short description per language, plus the default; in each
    admin's own chat the command menu also lists the admin commands.

    A failure here is logged, not fatal: the bot works without its profile texts.
    """
    bot = application.bot
    for admin_id in sorted(admin_ids):
        scope = BotCommandScopeChat(admin_id)
        for lang in (*LANGUAGES, None):
            menu = [BotCommand(name, text)
                    for name, text in commands.admin_command_list(lang or default_language)]
            try:
                await bot.set_my_commands(menu, scope=scope, language_code=lang)
            except TelegramError as error:  # e.g. the admin has not started the bot yet
                logger.warning("could not set the admin commands for %s: %s", admin_id, error)
                break
    for lang in (*LANGUAGES, None):
        texts_lang = lang or default_language
        menu = [BotCommand(name, text) for name, text in commands.command_list(texts_lang)]
        try:
            await bot.set_my_commands(menu, language_code=lang)
            await bot.set_my_description(commands.description(texts_lang), language_code=lang)
            await bot.set_my_short_description(
                commands.short_description(texts_lang), language_code=lang
            )
        except TelegramError as error:
            logger.warning("could not set the bot profile for language %s: %s", lang, error)
