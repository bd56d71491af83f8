"""My checklist: the documents of the user's route as toggles (✅/⬜) with progress, per user.

The document list is the one the outcome shows: ``kb.documents_for(route, answers, extras)`` for
the route the user last reached (``session.last_route``) and their answers. Ticks are stored in
the ``checklists`` repository, keyed by user, route and document id, so they survive restarts and
a later interview that reaches the same route.

Button ids (callback data, ASCII, far below 64 bytes): ``ck`` opens the checklist, ``ck:<doc>``
toggles one document. They are not engine buttons; the adapter routes them here first.

Usage::

    docs = checklist_documents(engine, session)        # None when there is no route yet
    message = checklist_message(engine.kb, docs, ticks, session)
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.buttons import encode
from dialogs.engine import ChatEngine
from dialogs.i18n import translator
from dialogs.render import short
from dialogs.reply import Block, Button, Message
from dialogs.state import Session
from knowledge.schema import Document, when_matches

OPEN = "ck"
PREFIX = "ck:"
SIDES = ("worker", "employer")


@dataclass(frozen=True)
class ChecklistPress:
    """``ck`` (document None: open) or ``ck:<doc>`` (toggle that document)."""

    document: str | None


@dataclass(frozen=True)
class RouteDocuments:
    route: str
    documents: list[tuple[str, Document]]


def toggle_id(document_id: str) -> str:
    return PREFIX + document_id


def parse_press(data: str | None) -> ChecklistPress | None:
    """The checklist press in ``data``, or None when it is not a checklist button at all."""
    if data == OPEN:
        return ChecklistPress(None)
    if data and data.startswith(PREFIX) and len(data) > len(PREFIX):
        return ChecklistPress(data[len(PREFIX) :])
    return None


def checklist_documents(engine: ChatEngine, session: Session) -> RouteDocuments | None:
    """The documents of the user's last route that apply to their answers (None: no route)."""
    kb = engine.kb
    route = kb.routes.get(session.last_route or "")
    if route is None:
        return None
    dialog = session.dialog
    answers = dict(dialog.answers) if dialog else {}
    extra: list[str] = []
    walker = engine.walkers.get(dialog.flow) if dialog else None
    if dialog and walker and dialog.node in walker.flow.nodes:
        node = walker.node(dialog.node)
        # Documents the outcome adds for some answers (e.g. family members) belong to the list.
        if node.type == "outcome" and node.route == session.last_route:
            extra = [doc for e in node.extras if when_matches(e.when, answers)
                     for doc in e.documents]
    return RouteDocuments(session.last_route or "", kb.documents_for(route, answers, extra))


def checklist_message(engine: ChatEngine, docs: RouteDocuments, ticks: dict[str, bool],
                      session: Session, *, replace: bool = False) -> Message:
    """The checklist as one message: progress, documents by side, a toggle button for each."""
    kb, lang = engine.kb, session.lang
    _ = translator(lang).gettext
    done = sum(1 for doc_id, _doc in docs.documents if ticks.get(doc_id))
    total = len(docs.documents)
    blocks = [
        Block("title", _("My checklist")),
        Block("text", kb.text(kb.routes[docs.route].title, lang)),
        Block("note", _("{done} of {total} ready").format(done=done, total=total)),
    ]
    headings = {"worker": _("Documents from the worker"),
                "employer": _("Documents from the employer")}
    rows: list[list[Button]] = []
    for side in SIDES:
        side_docs = [(i, d) for i, d in docs.documents if d.prepared_by == side]
        if not side_docs:
            continue
        blocks.append(Block("heading", headings[side]))
        for doc_id, document in side_docs:
            mark = "✅" if ticks.get(doc_id) else "⬜"
            name = kb.text(document.name, lang)
            blocks.append(Block("text", f"{mark} {name}"))
            rows.append([Button(toggle_id(doc_id), short(f"{mark} {name}"))])
    if total:
        blocks.append(Block("note", _("Press a document to mark it ready or not ready.")))
    else:
        blocks.append(Block("text", _("This route needs no documents from you.")))
    rows.append(_return_row(engine, session))
    return Message(tuple(blocks), tuple(tuple(r) for r in rows), replace)


def _return_row(engine: ChatEngine, session: Session) -> list[Button]:
    _ = translator(session.lang).gettext
    row = []
    if session.dialog is not None:
        row.append(Button(encode("x"), _("Continue the interview")))
    row.append(Button(encode("menu"), _("Main menu")))
    return row


def open_button(lang: str) -> Button:
    """The "My checklist" button added under an outcome."""
    return Button(OPEN, "☑ " + translator(lang).gettext("My checklist"))
