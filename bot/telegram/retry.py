"""Telegram calls that survive flood limits and network trouble.

``RetryingRateLimiter`` is PTB's ``AIORateLimiter`` (which keeps under Telegram's flood limits and
on 429 waits ``retry_after`` before retrying) with one addition: network errors, timeouts and
5xx answers are retried with exponential backoff. A 400 (``BadRequest``) or 403 (``Forbidden``)
is final and goes to the caller at once.

A timed-out request may have reached Telegram, so its retry can, rarely, show a message twice;
we prefer that to a message the user never gets.

Usage::

    ApplicationBuilder().rate_limiter(RetryingRateLimiter(max_retries=3))
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

logger = logging.getLogger(__name__)

Json = bool | dict[str, Any] | list[dict[str, Any]]


class RetryingRateLimiter(AIORateLimiter):
    def __init__(
        self,
        *,
        max_retries: int = 3,
        network_retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
    ) -> None:
        super().__init__(max_retries=max_retries)
        self.network_retries = network_retries
        self.backoff = backoff
        self.max_backoff = max_backoff

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Json]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Json:
        delay = self.backoff
        for attempt in range(self.network_retries + 1):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest:
                raise  # a subclass of NetworkError in PTB, but the request itself is wrong
            except NetworkError as exc:  # includes TimedOut and 5xx answers
                if attempt == self.network_retries:
                    raise
                logger.warning(
                    "%s failed (%s); retry %d of %d in %.1f s",
                    endpoint, exc.message, attempt + 1, self.network_retries, delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_backoff)
        raise AssertionError("unreachable")  # pragma: no cover
