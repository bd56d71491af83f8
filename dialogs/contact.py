"""The contact a user gives for a consultant: a phone number or an e-mail address (no Telegram
imports: the engine reads typed contacts, the adapter passes a shared one).

A phone is ``+`` and 7 to 15 digits (the international E.164 length), spaces and dashes allowed
between them: ``+7 701 123-45-67``. An e-mail is checked for shape only (one ``@``, a dotted
domain with a top-level part of at least two letters); whether it exists is the consultant's
business. A phone shared with Telegram's button comes without formatting, sometimes without the
``+``; :func:`shared_phone` normalises it.

Usage::

    parse_contact(" +7 701 123 45 67 ")    # Contact(kind="phone", value="+7 701 123 45 67")
    parse_contact("Name@Example.kz")        # Contact(kind="email", value="Name@Example.kz")
    parse_contact("hello")                  # None
    looks_like_contact("+7 70")             # True: an attempt, worth a hint
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PHONE = re.compile(r"^\+\d(?:[ -]?\d){6,14}$")
EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$"
)
MAX_EMAIL = 254


@dataclass(frozen=True)
class Contact:
    kind: str  # phone | email
    value: str


def parse_contact(text: str) -> Contact | None:
    """A valid phone number or e-mail address in ``text`` (alone), else None."""
    value = " ".join(text.split())
    if PHONE.match(value):
        return Contact("phone", value)
    if len(value) <= MAX_EMAIL and EMAIL.match(value) and ".." not in value:
        return Contact("email", value)
    return None


def looks_like_contact(text: str) -> bool:
    """Whether a text that is not a valid contact was probably meant as one (so the user gets a
    hint instead of having the hand-off cancelled): an ``@`` in one word, or mostly digits."""
    value = text.strip()
    if not value or len(value) > MAX_EMAIL:
        return False
    if "@" in value and " " not in value:
        return True
    if value.startswith("+") and any(ch.isdigit() for ch in value):
        return True
    digits = sum(ch.isdigit() for ch in value)
    return digits >= 5 and digits >= len(value.replace(" ", "")) * 0.6


def shared_phone(phone_number: str) -> str:
    """A phone from Telegram's share-contact button, with its ``+``."""
    digits = "".join(ch for ch in phone_number if ch.isdigit())
    return f"+{digits}" if digits else phone_number.strip()
