"""The one error type of the deadline tools: bad user input, with a code the UI translates.

Usage::

    try:
        parse_date(text, "ru")
    except DeadlineInputError as error:
        reply(describe_error(error, "ru"))      # dialogs.deadlines.format
        error.code                              # e.g. "impossible_date"
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

ErrorCode = Literal[
    "empty",  # nothing typed
    "unrecognised",  # not a date in any form we know
    "impossible_date",  # looks like a date but does not exist (31.02.2026)
    "too_far_past",  # more than the allowed years before today
    "too_far_future",  # more than the allowed years after today
    "bad_year",  # a year outside what the calculators accept
    "bad_stay",  # an EAEU stay that is not "ENTRY:EXIT" or "ENTRY:"
    "exit_before_entry",  # a stay that ends before it starts
    "stays_overlap",  # two stays share days
    "stay_in_future",  # a stay that starts after the reference date
]


class DeadlineInputError(ValueError):
    """Input the calculators cannot use; ``code`` says why, ``params`` fill the message."""

    def __init__(self, code: ErrorCode, text: str = "", **params: Any) -> None:
        self.code: ErrorCode = code
        self.text = text
        self.params: Mapping[str, Any] = params
        super().__init__(f"{code}: {text!r}" if text else code)
