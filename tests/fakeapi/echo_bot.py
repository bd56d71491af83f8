"""A tiny PTB 22 bot used to prove the fake Bot API works with the real library.

It answers /start with a two-button keyboard, edits the message when a button is pressed,
echoes text (escaped, in HTML), acknowledges media, answers inline queries and records errors.

Usage (against the fake server; the tests do this in a subprocess)::

    TELEGRAM_BOT_TOKEN=123:abc TELEGRAM_BASE_URL=http://127.0.0.1:PORT/bot \
        python tests/fakeapi/echo_bot.py
"""

from __future__ import annotations

import html
import logging
import os

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

logger = logging.getLogger(__name__)

KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Apple", callback_data="pick:apple"),
            InlineKeyboardButton("Pear", callback_data="pick:pear"),
        ]
    ]
)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the keyboard on /start."""
    assert update.effective_message is not None
    await update.effective_message.reply_text("Pick a fruit", reply_markup=KEYBOARD)


async def picked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button press and replace the keyboard by the choice."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer(f"Got {query.data}")
    fruit = query.data.split(":", 1)[1]
    await query.edit_message_text(f"You picked <b>{html.escape(fruit)}</b>", parse_mode="HTML")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Repeat the user's text, escaped for HTML."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await message.reply_text(f"echo: {html.escape(message.text)}", parse_mode=ParseMode.HTML)


async def media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Acknowledge a photo or a sticker."""
    message = update.effective_message
    assert message is not None
    kind = "photo" if message.photo else "sticker" if message.sticker else "other"
    await message.reply_text(f"got a {kind}")


async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer one article echoing the inline query."""
    assert update.inline_query is not None
    text = update.inline_query.query or "empty"
    result = InlineQueryResultArticle("1", f"Say {text}", InputTextMessageContent(text))
    await update.inline_query.answer([result], cache_time=0)


async def record_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Keep errors where the tests can see them (and in the log)."""
    context.bot_data.setdefault("errors", []).append(context.error)
    logger.warning("error while handling an update: %r", context.error)


async def post_init(application: Application) -> None:
    """Commands per language, as the real bot does."""
    for language in ("ru", "kk", "en", None):
        await application.bot.set_my_commands(
            [BotCommand("start", "Start"), BotCommand("help", "Help")], language_code=language
        )


def build_application(
    token: str, base_url: str, *, max_retries: int = 2, read_timeout: float | None = None
) -> Application:
    """The echo bot's Application, pointed at ``base_url``."""
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .rate_limiter(AIORateLimiter(max_retries=max_retries))
        .post_init(post_init)
    )
    if read_timeout is not None:
        builder = builder.read_timeout(read_timeout)
    application = builder.build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(picked, pattern=r"^pick:"))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_handler(MessageHandler(filters.PHOTO | filters.Sticker.ALL, media))
    application.add_handler(InlineQueryHandler(inline))
    application.add_error_handler(record_error)
    return application


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    application = build_application(
        os.environ["TELEGRAM_BOT_TOKEN"], os.environ["TELEGRAM_BASE_URL"]
    )
    application.run_polling(allowed_updates=Update.ALL_TYPES, timeout=1)


if __name__ == "__main__":
    main()
