"""#17 point 13: an update PTB cannot parse must not flood the log with users' texts."""

from __future__ import annotations

import io
import logging

from bot.telegram.logsafe import FloodGuard, PrivacyFilter, RedactingFormatter


def _handler(clock: list[float]) -> tuple[logging.Handler, io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(RedactingFormatter({}))
    handler.addFilter(PrivacyFilter())
    handler.addFilter(FloodGuard(clock=lambda: clock[0]))
    return handler, out


def test_an_unparsable_update_logs_ids_not_texts_and_does_not_flood() -> None:
    clock = [0.0]
    handler, out = _handler(clock)
    logger = logging.getLogger("telegram.Bot")
    logger.addHandler(handler)
    logger.propagate = False
    data = [{"update_id": 7, "message": {"text": "my passport AB1234567, Aigerim",
                                          "from": {"first_name": "Aigerim"}}}]
    try:
        for _ in range(42_000):  # PTB refetches the same batch over and over
            try:
                raise ValueError(f"cannot parse {data!r}")
            except ValueError as error:
                logger.critical("Error while parsing updates! Received data was %r", data,
                                exc_info=error)
        clock[0] += 61  # a minute later, the next one says how many were held back
        logger.critical("Error while parsing updates! Received data was %r", data,
                        exc_info=ValueError("again"))
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    lines = out.getvalue().splitlines()
    assert len(lines) == 6, lines[:8]
    assert "AB1234567" not in out.getvalue() and "Aigerim" not in out.getvalue()
    assert "update 7 (message)" in lines[0] and "(ValueError)" in lines[0]
    assert "CRITICAL telegram.Bot: (41995 similar lines held back in the last minute)" in lines[-1]


def test_other_lines_pass_unchanged() -> None:
    handler, _out = _handler([0.0])
    record = logging.LogRecord("bot.telegram.service", logging.INFO, __file__, 1,
                               "user %s started", (42,), None)
    assert handler.filter(record)
    assert handler.format(record).endswith("user 42 started")
