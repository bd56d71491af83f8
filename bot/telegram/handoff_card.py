"""The card a consultant receives when a user asks for a human: who, how to reach them, and
their case as the bot knows it.

It is written in the knowledge base's default language (the consultants' language) and holds:
the user's name, @username and Telegram id, the contact they gave, the language they use, the
interview and route, their answers as "question — answer", checklist progress, and their last
questions to the bot. Every text is escaped (``render_html``), user input included.

Usage::

    chunks = card_html(engine, session, user, contact, ticks)   # HTML messages, in order
"""

from __future__ import annotations

from telegram import User

from bot.telegram.formatting import render_html
from dialogs.contact import Contact
from dialogs.engine import ChatEngine, language_name
from dialogs.i18n import translator
from dialogs.outcome import session_outcome
from dialogs.render import short
from dialogs.reply import Block
from dialogs.state import Session


def card_blocks(engine: ChatEngine, session: Session, user: User, contact: Contact,
                ticks: dict[str, bool], lang: str) -> list[Block]:
    kb = engine.kb
    _ = translator(lang).gettext
    who = user.full_name + (f" (@{user.username})" if user.username else "")
    blocks = [
        Block("title", _("🙋 Request for a consultant")),
        Block("item", _("Client: {name}, Telegram id {id}").format(name=who, id=user.id)),
        Block("item", _("Contact: {contact}").format(contact=contact.value)),
        Block("item", _("Language: {language}").format(language=language_name(session.lang))),
    ]
    dialog = session.dialog
    walker = engine.walkers.get(dialog.flow) if dialog else None
    if dialog and walker:
        blocks.append(Block("item", _("Interview: {title}").format(
            title=kb.text(kb.flows[dialog.flow].title, lang))))
    route = kb.routes.get(session.last_route or "")
    blocks.append(Block("item", _("Route: {title}").format(title=kb.text(route.title, lang))
                        if route else _("Route: not determined yet")))
    if dialog and walker:
        answered = walker.answered_questions(dialog)
        if answered:
            blocks.append(Block("heading", _("Answers")))
        for node, _node_id, option_id in answered:
            label = next((kb.text(o.label, lang) for o in node.options if o.id == option_id),
                         option_id)
            question = short(kb.text(node.text, lang).splitlines()[0], 90)
            blocks.append(Block("item", f"{question} — {label}"))
    docs = session_outcome(kb, engine.walkers, session)
    if docs is not None and docs.documents:
        done = sum(1 for doc_id, _doc in docs.documents if ticks.get(doc_id))
        blocks.append(Block("text", _("Checklist: {done} of {total} documents ready").format(
            done=done, total=len(docs.documents))))
    if session.recent_questions:
        blocks.append(Block("heading", _("Recent questions")))
        blocks += [Block("item", question) for question in session.recent_questions]
    return blocks


def card_html(engine: ChatEngine, session: Session, user: User, contact: Contact,
              ticks: dict[str, bool], lang: str | None = None) -> list[str]:
    """The card as HTML messages in the consultants' language (default: the base's default)."""
    lang = lang or engine.kb.meta.default_language
    return render_html(card_blocks(engine, session, user, contact, ticks, lang))
