"""The Telegram adapter: python-telegram-bot 22 around the dialog engine, state in SQLite.

Modules, one job each:

- ``application``: builds the PTB Application (endpoint, defaults, rate limiter, ordering,
  profile texts);
- ``service``: the one path of an update (load → engine → commit → reply), /forget, errors;
- ``delivery``: sending and editing messages, "typing…";
- ``formatting``: blocks → escaped HTML split below 4,096 characters, inline keyboards;
- ``checklist``: "My checklist" of the route's documents;
- ``addressing``: when a group message is meant for the bot;
- ``ordering``: one user's updates in order while users run in parallel;
- ``retry``: 429 / network / 5xx retries;
- ``texts``: the adapter's own interface strings; ``logsafe``: logging without secrets.

Usage::

    from bot.telegram import build_application
    build_application(settings, engine).run_polling()    # or: python -m bot run
"""

from bot.telegram.application import ALLOWED_UPDATES, build_application

__all__ = ["ALLOWED_UPDATES", "build_application"]
