"""Stopping on SIGTERM / SIGINT: gracefully at the first signal, promptly at the second.

PTB's own handlers raise ``SystemExit`` on every signal; a second one during shutdown (a service
manager's impatience, Ctrl+C twice, a slow send) interrupted the shutdown itself, so
``post_shutdown`` never ran and the database was never closed (#17). Here the first signal asks
the Application to stop (``stop_running``: pending updates are finished, jobs stopped, the
database closed); the second cancels the updates still in progress, so the same orderly
shutdown completes at once. Run the Application with ``stop_signals=None``.

Usage (``bot.telegram.application`` does this in ``post_init``)::

    install_stop_signals(application)
"""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram.ext import Application

logger = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
STOP_KEY = "stop"
"""``application.bot_data[STOP_KEY]``, when set, is what the first signal calls instead of
``Application.stop_running`` (the bot's own polling loop, ``bot.telegram.polling``)."""
UPDATE_TASK = ":process_concurrent_update"  # how PTB names the task of each update it handles


def install_stop_signals(application: Application) -> None:
    loop = asyncio.get_running_loop()
    received: list[signal.Signals] = []

    def on_signal(sig: signal.Signals) -> None:
        received.append(sig)
        if len(received) == 1:
            logger.info("%s: stopping after the updates in progress (send it again to stop "
                        "at once)", sig.name)
            stop = application.bot_data.get(STOP_KEY)
            if stop is not None:
                stop()
            else:
                application.stop_running()
            return
        cancelled = [task for task in asyncio.all_tasks(loop)
                     if task.get_name().endswith(UPDATE_TASK) and not task.done()]
        for task in cancelled:
            task.cancel()
        logger.warning("%s again: %d update(s) in progress cancelled; closing down", sig.name,
                       len(cancelled))

    for sig in STOP_SIGNALS:
        try:
            loop.add_signal_handler(sig, on_signal, sig)
        except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
            logger.debug("cannot handle %s here", sig.name)
