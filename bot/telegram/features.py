"""The adapter's features around the engine, installed on the service and the application:
shared-result links, inline answers, hand-off to a consultant, admin commands, retention.

Usage (``bot.telegram.application`` does this)::

    install_features(service, application)
"""

from __future__ import annotations

from telegram.ext import Application

from bot.telegram import admin, handoff, inline, retention, share
from bot.telegram.service import BotService


def install_features(service: BotService, application: Application) -> None:
    share.install(service, application)
    inline.install(service, application)
    handoff.install(service, application)
    admin.install(service, application)
    retention.install(service, application)
