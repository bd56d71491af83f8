"""Hand-off to a human consultant: the screens, when the adapter can pass a case on.

When the adapter says it can pass a case on (``UserInput(handoff=True)``: a consultants' chat
is set and the chat is private), the engine asks for consent, then for a contact, and reads
what the user types; the adapter (``bot.telegram.handoff``) stores the request with its card
and posts it to the consultants' chat when it sees the event ``handoff_requested``. Without a
consultants' chat (the console, or ``BOT_CONSULTANT_CHAT_ID`` unset), and in groups, "Talk to a
consultant" shows the firm's contacts from the knowledge base instead.

1. ``contact`` pressed: what will be passed on, "✅ Yes" / "No, just show the contacts"
   (``ho:yes`` / ``ho:no``, valid only while this question is the current one);
2. a contact: a key that shares the phone number, or a typed phone or e-mail
   (:mod:`dialogs.contact`). A text that looks like a failed attempt gets a hint; "Cancel" ends
   the hand-off; any other text (a question, a command) ends it too and is answered as usual;
3. ``handoff_requested`` {contact kind, value} and "Thank you": the adapter stores and posts.

The stage is ``session.awaiting`` ("handoff_consent", then "handoff") with the time it was
asked: a contact typed more than ``STAGE_TTL`` later is a plain text again. A person may send
``MAX_PER_DAY`` requests in 24 hours; after that they are told, and shown the contacts.

Usage (inside ``ChatEngine``)::

    self.handoff = HandoffChat(now=now, contacts=self._contact)
    self.handoff.offer(session, reply)          # "contact" pressed, when UserInput.handoff
    self.handoff.text(session, text, reply)     # True when the text was the hand-off's
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from dialogs.buttons import encode
from dialogs.contact import Contact, looks_like_contact, parse_contact, shared_phone
from dialogs.i18n import LANGUAGES, translator
from dialogs.reply import Block, Button, Key
from dialogs.state import Session
from dialogs.turn import EngineReply, Event

OFFERED, CONSENTED = "handoff_offered", "handoff_consented"
REQUESTED, CANCELLED = "handoff_requested", "handoff_cancelled"
CONSENT, CONTACT = "handoff_consent", "handoff"  # session.awaiting
STAGE_TTL = dt.timedelta(minutes=30)
MAX_PER_DAY = 3
"""Requests one person may send in 24 hours: 15 in a row once posted 15 cards (#17)."""


def cancel_label(lang: str) -> str:
    return translator(lang).gettext("Cancel")


class HandoffChat:
    def __init__(self, *, now: Callable[[], dt.datetime],
                 contacts: Callable[[Session, EngineReply], None]) -> None:
        self.now = now
        self.contacts = contacts  # the engine's contacts screen (the knowledge base's)

    def offer(self, session: Session, reply: EngineReply) -> None:
        """"Talk to a consultant": consent first, or the contacts when the limit is reached."""
        tr = translator(session.lang)
        _ = tr.gettext
        if reply.records.handoffs_today() >= MAX_PER_DAY:
            reply.add([Block("text", tr.ngettext(
                "You have already sent {count} request to a consultant today; they will "
                "contact you. For anything urgent, use the contacts below.",
                "You have already sent {count} requests to a consultant today; they will "
                "contact you. For anything urgent, use the contacts below.",
                MAX_PER_DAY).format(count=MAX_PER_DAY))])
            reply.events.append(Event(CANCELLED, {"why": "limit"}))
            self.contacts(session, reply)
            return
        self._await(session, CONSENT)
        reply.add(
            [Block("title", _("Talk to a consultant")),
             Block("text", _("I can pass your case to a consultant of the firm: your language, "
                             "route, answers, checklist progress and your recent questions to "
                             "the bot, with the phone number or e-mail you give me. A "
                             "consultant will contact you. Do you agree?"))],
            [[Button(encode("ho", "yes"), _("✅ Yes, pass it on"))],
             [Button(encode("ho", "no"), _("No, just show the contacts"))]],
        )
        reply.events.append(Event(OFFERED, {}))

    def press(self, session: Session, answer: str, reply: EngineReply) -> bool:
        """``ho:yes`` / ``ho:no``; False (out of date) unless consent is the current question."""
        if not self._waiting(session, CONSENT) or answer not in ("yes", "no"):
            return False
        if answer == "no":
            session.awaiting = session.awaiting_at = None
            reply.events.append(Event(CANCELLED, {"why": "declined"}))
            self.contacts(session, reply)
            return True
        self._await(session, CONTACT)
        reply.events.append(Event(CONSENTED, {}))
        self._ask(session, reply, _hint=False)
        return True

    def text(self, session: Session, text: str, reply: EngineReply) -> bool:
        """A text while a contact is asked for: True when it was the hand-off's to answer; an
        unrelated text ends the hand-off (with a note) and returns False, to be answered."""
        if self._waiting(session, CONSENT):
            session.awaiting = session.awaiting_at = None  # moved on without answering
            return False
        if not self._waiting(session, CONTACT):
            return False
        _ = translator(session.lang).gettext
        if text.strip() in {cancel_label(lang) for lang in LANGUAGES}:
            self._cancel(session, reply)
            return True
        contact = parse_contact(text)
        if contact is not None:
            self._request(session, contact, reply)
            return True
        if looks_like_contact(text):
            self._ask(session, reply, _hint=True)
            return True
        self._cancel(session, reply)
        return False

    def shared(self, session: Session, phone: str, reply: EngineReply) -> bool:
        """A phone number shared with the key; False when no contact was asked for."""
        if not self._waiting(session, CONTACT):
            return False
        self._request(session, Contact("phone", shared_phone(phone)), reply)
        return True

    # ---- helpers -----------------------------------------------------------------------------

    def _await(self, session: Session, stage: str) -> None:
        session.awaiting = stage
        session.awaiting_at = int(self.now().timestamp())

    def _waiting(self, session: Session, stage: str) -> bool:
        if session.awaiting != stage or session.awaiting_at is None:
            return False
        asked = dt.datetime.fromtimestamp(session.awaiting_at, dt.UTC)
        if self.now() - asked > STAGE_TTL:
            session.awaiting = session.awaiting_at = None
            return False
        return True

    def _ask(self, session: Session, reply: EngineReply, *, _hint: bool) -> None:
        _ = translator(session.lang).gettext
        text = (_("That does not look like a phone number or an e-mail address. Type the phone "
                  "number with the country code (for example +7 701 123 45 67), or an e-mail "
                  "such as name@example.com.") if _hint else
                _("Send your phone number with the button below, or type a phone number with "
                  "the country code (for example +7 701 123 45 67) or an e-mail address."))
        reply.add([Block("text", text)],
                  keys=(Key(_("📱 Share my phone number"), request_contact=True),
                        Key(cancel_label(session.lang))))

    def _cancel(self, session: Session, reply: EngineReply) -> None:
        _ = translator(session.lang).gettext
        session.awaiting = session.awaiting_at = None
        reply.add([Block("text", _("OK, nothing was sent to a consultant."))], clear_keys=True)
        reply.events.append(Event(CANCELLED, {"why": "cancelled"}))

    def _request(self, session: Session, contact: Contact, reply: EngineReply) -> None:
        _ = translator(session.lang).gettext
        session.awaiting = session.awaiting_at = None
        reply.events.append(Event(REQUESTED, {"contact": contact.kind, "value": contact.value}))
        reply.add([Block("text", _(
            "Thank you! I have passed your request to a consultant; they will contact you at "
            "{contact}. Send /menu to continue.").format(contact=contact.value))],
            clear_keys=True)

