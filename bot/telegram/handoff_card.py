"""The card a consultant receives when a user asks for a human, as Telegram HTML.

The engine writes it (:func:`dialogs.admin.handoff_card`) in the knowledge base's default
language (the consultants'); here the Telegram user becomes the card's client (name, @username,
id) and every text is escaped (``render_html``), user input included.

Usage::

    chunks = card_html(engine, session, user, contact, ticks)   # HTML messages, in order
"""

from __future__ import annotations

from telegram import User

from bot.telegram.formatting import render_html
from dialogs.admin import Client, handoff_card
from dialogs.contact import Contact
from dialogs.engine import ChatEngine
from dialogs.state import Session


def card_html(engine: ChatEngine, session: Session, user: User, contact: Contact,
              ticks: dict[str, bool], lang: str | None = None) -> list[str]:
    """The engine's card (:func:`dialogs.admin.handoff_card`) as HTML messages in the
    consultants' language (default: the base's default)."""
    lang = lang or engine.kb.meta.default_language
    client = Client(user.full_name, user.username, user.id)
    return render_html(handoff_card(engine.kb, engine.walkers, session, client, contact, ticks,
                                    lang))
