"""What one turn of the engine takes and gives: the input, the reply and its events.

Apart from ``dialogs.engine`` so that the engine's helpers (the deadline calculators, the
hand-off) build replies without importing the engine, and the engine imports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogs.records import NoRecords, UserRecords
from dialogs.reply import Reply


@dataclass(frozen=True)
class UserInput:
    text: str | None = None
    press: str | None = None
    # A phone number the user shared with the "share my phone number" key (Telegram).
    contact: str | None = None
    # The adapter can pass this user's case to a consultant now (a consultants' chat is set and
    # the chat is private: the hand-off sends personal data); else "contact" shows the contacts.
    handoff: bool = False


@dataclass(frozen=True)
class Event:
    """Something worth storing for statistics or for admins (see ``Reply.events``)."""

    kind: str  # flow_started | flow_finished | faq_answered | unanswered | ...
    data: dict[str, Any]


class EngineReply(Reply):
    def __init__(self, reminders_available: bool = False) -> None:
        super().__init__()
        self.events: list[Event] = []
        # Whether the adapter can send reminders (Telegram can; the console cannot).
        self.reminders_available = reminders_available
        # What the adapter stores about the user, for the screens that read it (the checklist).
        self.records: UserRecords = NoRecords()
        # Whether the hand-off may be offered in this turn (the input's ``handoff``).
        self.handoff = False
