"""A webhook server that loses no update: each is stored before Telegram gets its "200 OK".

PTB's ``run_webhook`` answers Telegram as soon as the update is in the Application's queue,
before it is handled; Telegram then forgets it, and a process killed in between never answers it
(#17 point 9). This server, on the same event loop (tornado, which PTB's webhooks extra brings):

1. takes only ``POST`` on the webhook path with Telegram's secret header
   (``X-Telegram-Bot-Api-Secret-Token``, compared in constant time; anything else gets 403), a
   JSON body of at most ``MAX_BODY`` bytes (400 otherwise);
2. stores the update in the inbox (``bot.telegram.inbox``) and commits;
3. only then answers 200 and hands the update to the Application's queue (handled as always, per
   user in order). An update stored before (Telegram delivers again when the "200 OK" was lost)
   gets its 200 and is not handled twice; one PTB cannot read gets 200 and is dropped, with its id
   in the log (a 4xx would make Telegram deliver it again and again). If the database cannot
   store it, it is handled anyway (the user gets the usual apology rather than silence).

At start the updates a killed process left pending are handed over first, then the server
listens, then ``setWebhook`` tells Telegram where to post. At the first stop signal the server
stops taking calls (Telegram keeps what it could not deliver and delivers it to the next
process) and the updates already taken are finished. The webhook stays set.

Usage (``python -m bot run --webhook`` does this)::

    asyncio.run(run_webhook(application, WebhookConfig(listen="0.0.0.0", port=8443,
                                                       url="https://bot.example.kz/tg",
                                                       secret="..."), ALLOWED_UPDATES))
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler

from bot.storage import StorageError
from bot.telegram.inbox import UpdateInbox, running
from bot.telegram.service import BotService
from bot.telegram.signals import STOP_KEY

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024
"""An update is a few kilobytes; a larger body is not Telegram's."""


@dataclass(frozen=True)
class WebhookConfig:
    listen: str
    port: int
    url: str
    """The public HTTPS URL Telegram posts to; the server listens on its path."""
    secret: str

    @property
    def path(self) -> str:
        return "/" + urlsplit(self.url).path.lstrip("/")


class DurableWebhook:
    """Receive, store, answer, hand over; see the module docstring."""

    def __init__(self, application: Application, service: BotService,
                 config: WebhookConfig) -> None:
        self.application = application
        self.config = config
        self.inbox = UpdateInbox(application, service)
        self._server: HTTPServer | None = None

    async def receive(self, secret: str | None, body: bytes) -> int:
        """One call to the webhook: the HTTP status to answer it with."""
        if not hmac.compare_digest((secret or "").encode(), self.config.secret.encode()):
            return 403
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return 400
        if not isinstance(data, dict):
            return 400
        update = None
        number = data.get("update_id")
        if isinstance(number, int) and not isinstance(number, bool):
            try:
                update = Update.de_json(data, self.application.bot)
            except Exception:  # whatever PTB cannot read, nothing here can handle
                update = None
        if update is None:
            logger.warning("dropped an update PTB cannot read (update_id %.20r)", number)
            return 200
        try:
            if not await self.inbox.receive(update):
                logger.info("update %s delivered again: already stored", update.update_id)
                return 200
        except StorageError as error:
            logger.warning("could not store update %s before handling it: %s",
                           update.update_id, error)
        await self.application.update_queue.put(update)
        return 200

    def listen(self) -> None:
        web = WebApplication([(self.config.path, _Handler, {"webhook": self})],
                             log_function=_log_request)
        self._server = HTTPServer(web, max_body_size=MAX_BODY)
        self._server.listen(self.config.port, address=self.config.listen)

    async def close(self) -> None:
        """Stop taking calls; the calls in progress are cut (Telegram delivers them again)."""
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None


class _Handler(RequestHandler):
    SUPPORTED_METHODS = ("POST",)

    def initialize(self, webhook: DurableWebhook) -> None:
        self.webhook = webhook

    async def post(self) -> None:
        self.set_status(await self.webhook.receive(self.request.headers.get(SECRET_HEADER),
                                                   self.request.body))


def _log_request(handler: RequestHandler) -> None:
    """Tornado's access log without the request line's details at INFO: only refusals."""
    status = handler.get_status()
    if status >= 400:
        logger.warning("webhook call refused: %d %s", status, handler.request.method)


async def run_webhook(application: Application, config: WebhookConfig,
                      allowed_updates: Sequence[str] | None = None) -> None:
    """What ``Application.run_webhook`` does, with :class:`DurableWebhook` for the receiving:
    initialize, ``post_init``, start, answer what was pending, listen, ``setWebhook``; at the first
    stop signal stop listening, then stop (updates taken are finished), ``post_stop``, shutdown,
    ``post_shutdown``."""
    service: BotService = application.bot_data["service"]
    webhook = DurableWebhook(application, service, config)
    stopped = asyncio.Event()
    application.bot_data[STOP_KEY] = stopped.set  # what the first SIGTERM calls
    async with running(application):
        await webhook.inbox.replay()
        webhook.listen()
        try:
            await application.bot.set_webhook(
                url=config.url, secret_token=config.secret,
                allowed_updates=list(allowed_updates) if allowed_updates else None,
                drop_pending_updates=False)
            await stopped.wait()
        finally:
            await webhook.close()
