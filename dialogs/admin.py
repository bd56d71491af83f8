"""The screens staff read: admins' statistics, unanswered questions and ``/reload`` report, the
consultants' hand-off card, and the note to admins when a card cannot be posted. The adapters
collect the data (storage, the reload) and deliver; the texts are written here, like every other
screen, through gettext in the reader's language.

Usage::

    blocks = stats_blocks(statistics, kb, "en")          # /stats and python -m bot stats
    blocks = unanswered_blocks(rows, "ru")                # /unanswered and python -m bot unanswered
    messages = reload_messages(outcome, "kk")             # /reload
    blocks = handoff_card(kb, walkers, session, Client("Aziz", "aziz", 42), contact, ticks, "ru")
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from dialogs.contact import Contact
from dialogs.i18n import language_name, translator
from dialogs.outcome import session_outcome
from dialogs.render import short
from dialogs.reply import Block, Message
from dialogs.state import Session
from dialogs.walker import FlowWalker
from knowledge.diff import ReloadOutcome
from knowledge.model import KnowledgeBase

TOP_FAQ = 10
TOP_DROPOFF = 10
MAX_PROBLEMS = 60  # more than this would flood the chat; the validator shows them all
MAX_IDS = 8  # ids listed per kind of change; the rest are counted


@dataclass
class Statistics:
    users_total: int = 0
    users_blocked: int = 0
    by_language: dict[str, int] = field(default_factory=dict)
    active_7: int = 0
    active_30: int = 0
    started: Counter[str] = field(default_factory=Counter)  # flow -> interviews started
    finished: Counter[str] = field(default_factory=Counter)  # flow -> interviews finished
    routes: Counter[str] = field(default_factory=Counter)  # route -> results shown
    dropoff: Counter[tuple[str, str]] = field(default_factory=Counter)  # (flow, node or "")
    in_progress: int = 0
    faq: Counter[str] = field(default_factory=Counter)  # FAQ id -> answers given
    unanswered_total: int = 0
    unanswered_30: int = 0


class UnansweredRow(Protocol):
    """One distinct unanswered question as storage summarises it."""

    @property
    def text(self) -> str: ...
    @property
    def lang(self) -> str: ...
    @property
    def count(self) -> int: ...  # people who asked it


@dataclass(frozen=True)
class Client:
    """Who asked for a consultant, as the messenger knows them."""

    name: str
    username: str | None
    id: int


def stats_blocks(stats: Statistics, kb: KnowledgeBase, lang: str) -> list[Block]:
    """The statistics as blocks (Telegram renders them as HTML, the command line as text)."""
    _ = translator(lang).gettext
    not_chosen = _("not chosen")  # outside the f-string, where pybabel can extract it
    languages = ", ".join(f"{code or not_chosen}: {count}"
                          for code, count in stats.by_language.items()) or "—"
    blocks = [
        Block("title", _("Statistics")),
        Block("item", _("Users: {total} (blocked the bot: {blocked})").format(
            total=stats.users_total, blocked=stats.users_blocked)),
        Block("item", _("By language: {languages}").format(languages=languages)),
        Block("item", _("Active in the last 7 days: {week}; in the last 30 days: {month}")
              .format(week=stats.active_7, month=stats.active_30)),
        Block("heading", _("Interviews")),
    ]
    flows = list(dict.fromkeys([*kb.flows, *stats.started, *stats.finished]))
    for flow in flows:
        blocks.append(Block("item", _("{title}: started {started}, finished {finished}").format(
            title=_title(kb, "flow", flow, lang), started=stats.started[flow],
            finished=stats.finished[flow])))
    if stats.routes:
        blocks.append(Block("heading", _("Results by route")))
        blocks += [Block("item", f"{_title(kb, 'route', route, lang)}: {count}")
                   for route, count in stats.routes.most_common()]
    blocks.append(Block("heading", _("Where unfinished interviews stopped")))
    if not stats.dropoff:
        blocks.append(Block("text", _("No unfinished interviews.")))
    for (flow, node), count in stats.dropoff.most_common(TOP_DROPOFF):
        where = (_("after “{question}”").format(question=_question(kb, flow, node, lang))
                 if node else _("before the first answer"))
        blocks.append(Block("item", f"{_title(kb, 'flow', flow, lang)}: {where}: {count}"))
    blocks.append(Block("note", _("Counted: interviews idle for more than a day. In progress "
                                  "now: {count}.").format(count=stats.in_progress)))
    blocks.append(Block("heading", _("Top FAQ answers")))
    if not stats.faq:
        blocks.append(Block("text", _("No FAQ answers yet.")))
    for faq_id, count in stats.faq.most_common(TOP_FAQ):
        blocks.append(Block("item", f"{_faq_title(kb, faq_id, lang)}: {count}"))
    blocks.append(Block("text", _("Unanswered questions: {total} ({recent} in the last 30 "
                                  "days).").format(total=stats.unanswered_total,
                                                   recent=stats.unanswered_30)))
    return blocks


def _title(kb: KnowledgeBase, kind: str, key: str, lang: str) -> str:
    item = kb.flows.get(key) if kind == "flow" else kb.routes.get(key)
    return short(kb.text(item.title, lang), 60) if item is not None else key or "?"


def _question(kb: KnowledgeBase, flow: str, node_id: str, lang: str) -> str:
    node = kb.flows[flow].nodes.get(node_id) if flow in kb.flows else None
    if node is None or node.text is None:
        return node_id  # the question is gone since a reload: its id still says which
    return short(kb.text(node.text, lang).strip().splitlines()[0], 70)


def _faq_title(kb: KnowledgeBase, faq_id: str, lang: str) -> str:
    entry = kb.faq_by_id.get(faq_id)
    questions = entry.questions.get(lang) if entry is not None else None
    return short(questions[0], 70) if questions else faq_id


def unanswered_blocks(rows: Sequence[UnansweredRow], lang: str) -> list[Block]:
    """The latest unanswered questions, most people first (the draft entries follow)."""
    _ = translator(lang).gettext
    blocks = [Block("title", _("Unanswered questions"))]
    if not rows:
        blocks.append(Block("text", _("None so far.")))
    for row in rows:
        blocks.append(Block("item", f"{row.count} 👤 [{row.lang}] {short(row.text, 200)}"))
    if rows:
        blocks.append(Block("note", _("Asked by the most people first (👤: people, not "
                                      "messages). The draft FAQ entries for them follow.")))
    return blocks


def reload_messages(outcome: ReloadOutcome, lang: str) -> list[Message]:
    """The report of a ``/reload``: the problems that kept the running base, or what changed."""
    _ = translator(lang).gettext
    if outcome.new_version is None:
        count = len(outcome.problems)
        blocks = [Block("title", _("The knowledge base was not reloaded")),
                  Block("text", _("It has {count} problems. The bot keeps answering with version "
                                  "{version}. Fix these and send /reload again:").format(
                                      count=count, version=outcome.old_version))]
        blocks += [Block("item", str(problem)) for problem in outcome.problems[:MAX_PROBLEMS]]
        if count > MAX_PROBLEMS:
            blocks.append(Block("note", _("…and {count} more (python -m bot validate lists "
                                          "them all).").format(count=count - MAX_PROBLEMS)))
        return [Message(tuple(blocks))]
    blocks = [Block("title", _("Knowledge base reloaded: {old} → {new}").format(
        old=outcome.old_version, new=outcome.new_version))]
    names = {"routes": _("Routes"), "flows": _("Interviews"), "faq": _("FAQ"),
             "documents": _("Documents"), "facts": _("Facts")}
    for change in outcome.changes:
        if not change.any:
            continue
        parts = []
        for sign, ids in (("+", change.added), ("−", change.removed), ("~", change.changed)):
            if ids:
                listed = ", ".join(ids[:MAX_IDS]) + (f" (+{len(ids) - MAX_IDS})"
                                                     if len(ids) > MAX_IDS else "")
                parts.append(f"{sign}{len(ids)}: {listed}")
        blocks.append(Block("item", f"{names[change.section]}: " + "; ".join(parts)))
    if not any(change.any for change in outcome.changes):
        blocks.append(Block("text", _("No routes, interviews, FAQ entries, documents or facts "
                                      "changed.")))
    blocks.append(Block("note", _("Interviews in progress continue on the new version.")))
    return [Message(tuple(blocks))]


def handoff_card(kb: KnowledgeBase, walkers: Mapping[str, FlowWalker], session: Session,
                 client: Client, contact: Contact, ticks: Mapping[str, bool], lang: str
                 ) -> list[Block]:
    """The card a consultant receives when a user asks for a human, in the consultants'
    language `lang`: who, how to reach them, and their case as the bot knows it (the
    interview and route, the answers as "question — answer", checklist progress, their last
    questions)."""
    _ = translator(lang).gettext
    who = client.name + (f" (@{client.username})" if client.username else "")
    blocks = [
        Block("title", _("🙋 Request for a consultant")),
        Block("item", _("Client: {name}, Telegram id {id}").format(name=who, id=client.id)),
        Block("item", _("Contact: {contact}").format(contact=contact.value)),
        Block("item", _("Language: {language}").format(language=language_name(session.lang))),
    ]
    dialog = session.dialog
    walker = walkers.get(dialog.flow) if dialog else None
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
    docs = session_outcome(kb, walkers, session)
    if docs is not None and docs.documents:
        done = sum(1 for doc_id, _doc in docs.documents if ticks.get(doc_id))
        blocks.append(Block("text", _("Checklist: {done} of {total} documents ready").format(
            done=done, total=len(docs.documents))))
    if session.recent_questions:
        blocks.append(Block("heading", _("Recent questions")))
        blocks += [Block("item", question) for question in session.recent_questions]
    return blocks


def handoff_failed_note(lang: str, handoff_id: int, attempts: int, error: str) -> str:
    """To the admins, when a card could not be posted to the consultants' chat."""
    _ = translator(lang).gettext
    return _("⚠️ A request for a consultant (no. {id}) could not be posted to the consultants' "
             "chat after {attempts} attempts. Last error: {error}. Please pass it on; here it "
             "is:").format(id=handoff_id, attempts=attempts, error=error)


def handoff_repeat_note(lang: str, handoff_id: int) -> str:
    """Before a card whose earlier post was interrupted (the bot restarted while posting)."""
    _ = translator(lang).gettext
    return _("♻️ Request no. {id} again: the bot restarted while posting it, so it may already be "
             "above. If it is, ignore this copy.").format(id=handoff_id)
